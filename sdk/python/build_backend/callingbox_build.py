"""A PEP 517 / PEP 660 build backend written with the standard library only.

Why not setuptools: the machines this project builds on reach no Python package index, and
setuptools < 70.1 cannot build a wheel without the separate ``wheel`` package, which is not
installed there. A pure-Python package needs nothing more than a zip file with a ``.dist-info``
folder (PEP 427), so this backend writes one itself. ``pip wheel sdk/python --no-deps
--no-build-isolation`` and ``pip install -e sdk/python`` both work offline, and with build
isolation too, because ``build-system.requires`` is empty.

Metadata comes from the ``[project]`` table of ``pyproject.toml`` (a small reader below, since
``tomllib`` only exists from Python 3.11 on).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
PACKAGE = "callingbox"
# Files shipped in the sdist besides the package sources.
SDIST_EXTRA = ("pyproject.toml", "README.md", "build_backend", "tests")
# Reproducible zip timestamps (zip cannot store dates before 1980).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _project_table() -> Dict[str, object]:
    """Read the simple keys of pyproject's [project] table: strings and lists of strings."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib  # Python >= 3.11

        return dict(tomllib.loads(text)["project"])
    except ImportError:
        pass
    table: Dict[str, object] = {}
    in_project = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_project = stripped == "[project]"
            continue
        if not in_project:
            continue
        m = re.match(r'^([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"\s*$', stripped)
        if m:
            table[m.group(1)] = m.group(2)
            continue
        m = re.match(r"^([A-Za-z0-9_-]+)\s*=\s*\[(.*)\]\s*$", stripped)
        if m:
            table[m.group(1)] = re.findall(r'"([^"]*)"', m.group(2))
    return table


def _name_version() -> Tuple[str, str]:
    project = _project_table()
    return str(project["name"]), str(project["version"])


def _dist_info_name() -> str:
    name, version = _name_version()
    return f"{name.replace('-', '_')}-{version}.dist-info"


def _wheel_name() -> str:
    name, version = _name_version()
    return f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def _metadata() -> str:
    project = _project_table()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
    ]
    if project.get("description"):
        lines.append(f"Summary: {project['description']}")
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    license_ = project.get("license")
    if isinstance(license_, dict) and license_.get("text"):
        lines.append(f"License: {license_['text']}")
    for classifier in project.get("classifiers", []) or []:  # type: ignore[union-attr]
        lines.append(f"Classifier: {classifier}")
    readme_path = os.path.join(ROOT, "README.md")
    body = ""
    if os.path.exists(readme_path):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme_path, encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _wheel_file() -> str:
    return (
        "Wheel-Version: 1.0\n"
        "Generator: callingbox_build\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )


def _package_files() -> List[Tuple[str, str]]:
    """(archive name, absolute path) of every file of the package, sorted for reproducibility."""
    out: List[Tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(SRC, PACKAGE)):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for filename in sorted(filenames):
            if filename.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(dirpath, filename)
            out.append((os.path.relpath(full, SRC).replace(os.sep, "/"), full))
    return out


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _write_wheel(path: str, entries: List[Tuple[str, bytes]]) -> None:
    dist_info = _dist_info_name()
    entries = entries + [
        (f"{dist_info}/METADATA", _metadata().encode("utf-8")),
        (f"{dist_info}/WHEEL", _wheel_file().encode("utf-8")),
        (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode("utf-8")),
    ]
    record = [_record_line(name, data) for name, data in entries]
    record.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


# --- PEP 517 hooks -------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> List[str]:
    return []


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: Optional[dict] = None
) -> str:
    dist_info = _dist_info_name()
    target = os.path.join(metadata_directory, dist_info)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    with open(os.path.join(target, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(_wheel_file())
    return dist_info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[dict] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    entries = [(arcname, _read(full)) for arcname, full in _package_files()]
    name = _wheel_name()
    _write_wheel(os.path.join(wheel_directory, name), entries)
    return name


def build_editable(
    wheel_directory: str,
    config_settings: Optional[dict] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    # PEP 660: a .pth file that puts src/ on sys.path is the simplest editable install.
    entries = [(f"_{PACKAGE}_editable.pth", (SRC + "\n").encode("utf-8"))]
    name = _wheel_name()
    _write_wheel(os.path.join(wheel_directory, name), entries)
    return name


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    name, version = _name_version()
    base = f"{name.replace('-', '_')}-{version}"
    sdist_name = f"{base}.tar.gz"
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))

    def add_bytes(tar: tarfile.TarFile, arcname: str, data: bytes) -> None:
        info = tarfile.TarInfo(f"{base}/{arcname}")
        info.size = len(data)
        info.mtime = mtime
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))

    with tarfile.open(os.path.join(sdist_directory, sdist_name), "w:gz") as tar:
        add_bytes(tar, "PKG-INFO", _metadata().encode("utf-8"))
        for arcname, full in _package_files():
            add_bytes(tar, f"src/{arcname}", _read(full))
        for extra in SDIST_EXTRA:
            full = os.path.join(ROOT, extra)
            if os.path.isfile(full):
                add_bytes(tar, extra, _read(full))
            elif os.path.isdir(full):
                for dirpath, dirnames, filenames in os.walk(full):
                    dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                    for filename in sorted(filenames):
                        if filename.endswith((".pyc", ".pyo")):
                            continue
                        path = os.path.join(dirpath, filename)
                        add_bytes(tar, os.path.relpath(path, ROOT).replace(os.sep, "/"), _read(path))
    return sdist_name
