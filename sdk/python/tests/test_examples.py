"""The examples in /examples run unchanged: with CALLINGBOX_BASE_URL + CALLINGBOX_API_KEY, and
with neither (credentials.json in CALLINGBOX_DATA_DIR). Here against an in-memory fake; against
the real server in test/sdk-python.test.ts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from _support import SRC, FakeServer, callingbox
from fake_api import FakeApi

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXAMPLES = os.path.join(REPO, "examples")
KEY = "sk_live_examples"


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLINGBOX_")}
    env["PYTHONPATH"] = SRC
    env.update(extra)
    return env


def run_example(name: str, env: dict, cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, name)], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def some_calls() -> list:
    return [
        {"id": f"call_{i:03d}", "direction": "inbound" if i % 3 else "outbound", "agent_id": "ag_0003" if i % 2 else "ag_other",
         "to_number": "+14155550100", "result": {"name": f"Guest {i}"}}
        for i in range(120, 0, -1)
    ]


@unittest.skipUnless(os.path.isdir(EXAMPLES), "examples/ not found")
class WalkthroughTest(unittest.TestCase):
    def check_output(self, done: subprocess.CompletedProcess) -> None:
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertTrue(lines[0].startswith("bought +1415"), done.stdout)
        self.assertIn("now answers", done.stdout)
        printed = [line for line in lines if line.startswith("call_")]
        # The fake's first agent is ag_0003 (after two numbers); inbound calls are the i % 3 != 0 ones.
        expected = [c for c in some_calls() if c["direction"] == "inbound" and c["agent_id"] == "ag_0003"]
        self.assertEqual(len(printed), len(expected))
        self.assertTrue(printed[0].startswith(f"{expected[0]['id']} +14155550100 "))

    def test_with_base_url_and_api_key(self):
        api = FakeApi(KEY, some_calls())
        with FakeServer(api) as server, tempfile.TemporaryDirectory() as cwd:
            done = run_example("inbound_walkthrough.py", clean_env(CALLINGBOX_BASE_URL=server.url, CALLINGBOX_API_KEY=KEY), cwd)
            self.check_output(done)
            self.assertGreaterEqual(sum(r.path == "/v1/calls" for r in server.requests), 3)  # 120 calls, 50 a page
            spare = [n for n in api.numbers.values()][1]
            self.assertEqual(spare["inbound_agent_id"], "ag_0003")  # moved over

    def test_with_credentials_json_only(self):
        api = FakeApi(KEY, some_calls())
        with FakeServer(api) as server, tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as cwd:
            with open(os.path.join(data_dir, "credentials.json"), "w") as f:
                json.dump({"api_key": KEY, "base_url": server.url, "org_id": "org_1", "created_at": "2026-11-27T00:00:00.000Z"}, f)
            done = run_example("inbound_walkthrough.py", clean_env(CALLINGBOX_DATA_DIR=data_dir), cwd)
            self.check_output(done)

    def test_quickstart_module_style(self):
        api = FakeApi(KEY, [])
        with FakeServer(api) as server, tempfile.TemporaryDirectory() as cwd:
            os.mkdir(os.path.join(cwd, ".callingbox"))  # the default data dir, next to where it runs
            with open(os.path.join(cwd, ".callingbox", "credentials.json"), "w") as f:
                json.dump({"api_key": KEY, "base_url": server.url}, f)
            done = run_example("quickstart.py", clean_env(), cwd)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertRegex(done.stdout, r"^ag_\d+ answers \+14155550100")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(os.path.isdir(EXAMPLES), "examples/ not found")
class WebhookReceiverTest(unittest.TestCase):
    def test_accepts_signed_and_refuses_unsigned(self):
        secret = "whsec_" + "cd" * 32
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, os.path.join(EXAMPLES, "webhook_receiver.py"), str(port)],
            env=clean_env(CALLINGBOX_WEBHOOK_SECRET=secret), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            self.assertIn("listening", proc.stdout.readline())
            body = json.dumps({"id": "wd_1", "type": "call.completed", "created": int(time.time()),
                               "api_version": "2026-04", "data": {"call": {"id": "call_1", "status": "completed", "result": {"ok": True}}}}).encode()
            url = f"http://127.0.0.1:{port}/"
            signed = urllib.request.Request(url, data=body, headers={"CallingBox-Signature": callingbox.webhooks.generate_header(body, secret)})
            with urllib.request.urlopen(signed, timeout=10) as resp:
                self.assertEqual(resp.status, 204)
            forged = urllib.request.Request(url, data=body, headers={"CallingBox-Signature": callingbox.webhooks.generate_header(body, "whsec_wrong")})
            with self.assertRaises(urllib.error.HTTPError) as ctx:
                urllib.request.urlopen(forged, timeout=10)
            self.assertEqual(ctx.exception.code, 400)
            ctx.exception.close()
        finally:
            proc.terminate()
            out, _err = proc.communicate(timeout=10)
        self.assertIn("wd_1 call.completed call_1 completed", out)


if __name__ == "__main__":
    unittest.main()
