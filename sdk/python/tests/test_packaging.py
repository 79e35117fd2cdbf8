"""The in-tree build backend makes an installable wheel offline, with py.typed inside."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unittest
import zipfile

from _support import SDK_ROOT, callingbox

sys.path.insert(0, os.path.join(SDK_ROOT, "build_backend"))
import callingbox_build  # noqa: E402


class BuildBackendTest(unittest.TestCase):
    def test_wheel_contents(self):
        with tempfile.TemporaryDirectory() as out:
            name = callingbox_build.build_wheel(out)
            self.assertEqual(name, f"callingbox-{callingbox.__version__}-py3-none-any.whl")
            with zipfile.ZipFile(os.path.join(out, name)) as zf:
                names = set(zf.namelist())
                dist_info = f"callingbox-{callingbox.__version__}.dist-info"
                for required in (
                    "callingbox/__init__.py",
                    "callingbox/py.typed",
                    "callingbox/resources/calls.py",
                    f"{dist_info}/METADATA",
                    f"{dist_info}/WHEEL",
                    f"{dist_info}/RECORD",
                ):
                    self.assertIn(required, names)
                self.assertFalse(any("__pycache__" in n for n in names))
                metadata = zf.read(f"{dist_info}/METADATA").decode()
                self.assertIn("Requires-Python: >=3.9", metadata)
                record = zf.read(f"{dist_info}/RECORD").decode().splitlines()
                self.assertEqual(len(record), len(names))

    def test_version_matches_pyproject(self):
        with open(os.path.join(SDK_ROOT, "pyproject.toml")) as f:
            version = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
        self.assertEqual(version, callingbox.__version__)

    def test_sdist_contents(self):
        import tarfile

        with tempfile.TemporaryDirectory() as out:
            name = callingbox_build.build_sdist(out)
            with tarfile.open(os.path.join(out, name)) as tf:
                names = set(tf.getnames())
            base = name[: -len(".tar.gz")]
            for required in ("PKG-INFO", "pyproject.toml", "src/callingbox/py.typed", "build_backend/callingbox_build.py"):
                self.assertIn(f"{base}/{required}", names)

    def test_pip_wheel_offline_and_install(self):
        """``pip wheel sdk/python --no-deps --no-build-isolation`` works with no index, and the
        wheel installs into a fresh target and imports."""
        try:
            import pip  # noqa: F401
        except ImportError:
            self.skipTest("pip is not installed")
        with tempfile.TemporaryDirectory() as out:
            env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
            subprocess.run(
                [sys.executable, "-m", "pip", "wheel", SDK_ROOT, "--no-deps", "--no-build-isolation", "-w", out, "-q"],
                check=True,
                env=env,
                capture_output=True,
            )
            wheel = os.path.join(out, f"callingbox-{callingbox.__version__}-py3-none-any.whl")
            self.assertTrue(os.path.exists(wheel))
            target = os.path.join(out, "site")
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-deps", "--target", target, wheel, "-q"],
                check=True,
                env=env,
                capture_output=True,
            )
            code = "import callingbox, sys; assert callingbox.__file__.startswith(sys.argv[1]); print(callingbox.__version__)"
            done = subprocess.run(
                [sys.executable, "-c", code, target],
                check=True,
                env=dict(env, PYTHONPATH=target),
                capture_output=True,
                text=True,
                cwd=out,
            )
            self.assertEqual(done.stdout.strip(), callingbox.__version__)
            self.assertTrue(os.path.exists(os.path.join(target, "callingbox", "py.typed")))


if __name__ == "__main__":
    unittest.main()
