"""Where the key and base URL come from, and module style (a default client from the env)."""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from unittest import mock

from _support import FakeServer, Reply, callingbox
from callingbox._config import DEFAULT_BASE_URL, resolve_config


def write_credentials(directory: str, **content: str) -> str:
    path = os.path.join(directory, "credentials.json")
    with open(path, "w") as f:
        json.dump(content, f)
    return path


class ResolveConfigTest(unittest.TestCase):
    def test_arguments_win(self):
        env = {"CALLINGBOX_API_KEY": "sk_live_env", "CALLINGBOX_BASE_URL": "http://env:1"}
        cfg = resolve_config("sk_live_arg", "http://arg:2/", env=env)
        self.assertEqual((cfg.api_key, cfg.base_url), ("sk_live_arg", "http://arg:2"))

    def test_environment(self):
        env = {"CALLINGBOX_API_KEY": "sk_live_env", "CALLINGBOX_BASE_URL": "http://env:1/v1"}
        cfg = resolve_config(env=env)
        self.assertEqual((cfg.api_key, cfg.base_url), ("sk_live_env", "http://env:1"))

    def test_default_base_url(self):
        cfg = resolve_config(env={"CALLINGBOX_API_KEY": "sk_live_env"})
        self.assertEqual(cfg.base_url, DEFAULT_BASE_URL)
        self.assertEqual(DEFAULT_BASE_URL, "http://localhost:8080")

    def test_credentials_json_in_data_dir(self):
        with tempfile.TemporaryDirectory() as d:
            path = write_credentials(
                d, api_key="sk_live_file", base_url="http://127.0.0.1:9999", org_id="org_1", created_at="x"
            )
            cfg = resolve_config(env={"CALLINGBOX_DATA_DIR": d})
            self.assertEqual((cfg.api_key, cfg.base_url, cfg.source), ("sk_live_file", "http://127.0.0.1:9999", path))
            # CALLINGBOX_BASE_URL still wins over the file's base_url.
            cfg = resolve_config(env={"CALLINGBOX_DATA_DIR": d, "CALLINGBOX_BASE_URL": "http://other:1"})
            self.assertEqual(cfg.base_url, "http://other:1")
            # A key in the environment wins over the file, and the file's URL is then not used.
            cfg = resolve_config(env={"CALLINGBOX_DATA_DIR": d, "CALLINGBOX_API_KEY": "sk_live_env"})
            self.assertEqual((cfg.api_key, cfg.base_url), ("sk_live_env", DEFAULT_BASE_URL))

    def test_default_data_dir_is_dot_callingbox_in_cwd(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, ".callingbox"))
            write_credentials(os.path.join(d, ".callingbox"), api_key="sk_live_cwd", base_url="http://cwd:1")
            old = os.getcwd()
            os.chdir(d)
            try:
                cfg = resolve_config(env={})
            finally:
                os.chdir(old)
            self.assertEqual((cfg.api_key, cfg.base_url), ("sk_live_cwd", "http://cwd:1"))

    def test_no_key_anywhere(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(callingbox.CallingboxError) as ctx:
                resolve_config(env={"CALLINGBOX_DATA_DIR": d})
            self.assertIn("CALLINGBOX_API_KEY", str(ctx.exception))

    def test_unreadable_credentials(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "credentials.json"), "w") as f:
                f.write("{not json")
            with self.assertRaises(callingbox.CallingboxError):
                resolve_config(env={"CALLINGBOX_DATA_DIR": d})


class ModuleStyleTest(unittest.TestCase):
    def setUp(self):
        callingbox._reset_default_client()
        self.addCleanup(callingbox._reset_default_client)

    def test_module_level_resources_use_the_environment(self):
        def handler(req):
            if req.path == "/v1/numbers/available":
                return Reply(200, [{"phone_number": "+14155550142"}])
            return Reply(201, {"id": "pn_1", "e164": req.json["phone_number"], "auth": req.headers["authorization"]})

        with FakeServer(handler) as server:
            env = {"CALLINGBOX_API_KEY": "sk_live_module", "CALLINGBOX_BASE_URL": server.url}
            with mock.patch.dict(os.environ, env):
                available = callingbox.numbers.search_available(area_code="415")
                number = callingbox.numbers.purchase(available[0].phone_number)
            self.assertEqual(number.e164, "+14155550142")
            self.assertEqual(number.auth, "Bearer sk_live_module")
            self.assertIs(callingbox.default_client(), callingbox.default_client())

    def test_module_level_credentials_json(self):
        with FakeServer(lambda req: Reply(200, {"data": [], "has_more": False, "next_cursor": None})) as server:
            with tempfile.TemporaryDirectory() as d:
                write_credentials(d, api_key="sk_live_file", base_url=server.url)
                env = {"CALLINGBOX_DATA_DIR": d}
                with mock.patch.dict(os.environ, env):
                    os.environ.pop("CALLINGBOX_API_KEY", None)
                    os.environ.pop("CALLINGBOX_BASE_URL", None)
                    callingbox.agents.list()
            self.assertEqual(server.requests[0].headers["authorization"], "Bearer sk_live_file")

    def test_module_level_overrides(self):
        with FakeServer(lambda req: Reply(200, {"data": []})) as server:
            with mock.patch.object(callingbox, "api_key", "sk_live_set"), mock.patch.object(
                callingbox, "base_url", server.url
            ):
                callingbox.voices.list()
            self.assertEqual(server.requests[0].headers["authorization"], "Bearer sk_live_set")

    def test_unknown_module_attribute(self):
        with self.assertRaises(AttributeError):
            callingbox.not_a_resource  # noqa: B018

    def test_client_style_and_alias(self):
        client = callingbox.Callingbox(api_key="sk_live_x", base_url="http://h:1")
        self.assertIs(callingbox.CallingBox, callingbox.Callingbox)
        self.assertIs(client.webhooks, callingbox.Callingbox.webhooks)
        copy = client.with_options(max_retries=5, timeout=3)
        self.assertEqual((copy.max_retries, copy.timeout, copy.api_key), (5, 3, "sk_live_x"))
        self.assertNotIn("sk_live_x", repr(client)[-3:])


if __name__ == "__main__":
    unittest.main()
