"""Webhook signature verification (webhooks.md → Signature)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import unittest

from _support import callingbox
from callingbox import Callingbox

SECRET = "whsec_" + "ab" * 32
EVENT = {
    "id": "wd_01JABC",
    "type": "call.completed",
    "created": 1764000000,
    "api_version": "2026-04",
    "data": {"call": {"id": "call_1", "result": {"party_size": 4}, "direction": "inbound"}},
}
PAYLOAD = json.dumps(EVENT, separators=(",", ":")).encode()


def sign(payload: bytes, secret: str = SECRET, t: int = None) -> str:
    """An independent signer, written from the spec rather than with the SDK's helper."""
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


class ConstructEventTest(unittest.TestCase):
    def test_correct_signature_returns_the_event(self):
        event = Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=sign(PAYLOAD), secret=SECRET)
        self.assertEqual(event.id, "wd_01JABC")
        self.assertEqual(event.type, "call.completed")
        self.assertEqual(event.data.call.result.party_size, 4)
        self.assertEqual(dict(event)["api_version"], "2026-04")

    def test_str_payload_and_module_level_access(self):
        event = callingbox.webhooks.construct_event(PAYLOAD.decode(), sign(PAYLOAD), SECRET)
        self.assertEqual(event.data.call.id, "call_1")

    def test_any_of_several_v1_values(self):
        t = int(time.time())
        good = sign(PAYLOAD, t=t).split("v1=")[1]
        header = f"t={t},v1={'0' * 64},v1={good}"
        event = Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=header, secret=SECRET)
        self.assertEqual(event.type, "call.completed")
        # Secrets rotated: the header carries the old and new signatures.
        old = sign(PAYLOAD, secret="whsec_old", t=t).split("v1=")[1]
        header = f"t={t}, v1={old}, v1={good}"
        Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=header, secret="whsec_old")

    def test_wrong_secret(self):
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=sign(PAYLOAD), secret="whsec_other")
        self.assertIsInstance(ctx.exception, callingbox.WebhookVerificationError)
        self.assertEqual(ctx.exception.status, 400)
        self.assertEqual(ctx.exception.code, "invalid_signature")

    def test_tampered_body(self):
        header = sign(PAYLOAD)
        tampered = PAYLOAD.replace(b'"party_size":4', b'"party_size":40')
        self.assertNotEqual(tampered, PAYLOAD)
        with self.assertRaises(callingbox.BadRequestError):
            Callingbox.webhooks.construct_event(payload=tampered, sig_header=header, secret=SECRET)
        # Re-serialised JSON (other whitespace) is a different body too.
        with self.assertRaises(callingbox.BadRequestError):
            Callingbox.webhooks.construct_event(payload=json.dumps(EVENT), sig_header=header, secret=SECRET)

    def test_missing_header(self):
        for header in (None, ""):
            with self.assertRaises(callingbox.BadRequestError) as ctx:
                Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=header, secret=SECRET)
            self.assertEqual(ctx.exception.code, "missing_signature")

    def test_stale_timestamp(self):
        old = int(time.time()) - 301
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=sign(PAYLOAD, t=old), secret=SECRET)
        self.assertEqual(ctx.exception.code, "stale_signature")
        future = int(time.time()) + 301
        with self.assertRaises(callingbox.BadRequestError):
            Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=sign(PAYLOAD, t=future), secret=SECRET)
        # Inside the window, and with a wider tolerance, it passes.
        Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=sign(PAYLOAD, t=old + 10), secret=SECRET)
        Callingbox.webhooks.construct_event(
            payload=PAYLOAD, sig_header=sign(PAYLOAD, t=old), secret=SECRET, tolerance=600
        )

    def test_malformed_headers(self):
        t = int(time.time())
        for header in ("garbage", f"t={t}", "v1=abc", f"t=notanumber,v1={'a' * 64}", f"t={t},v1=zz"):
            with self.subTest(header=header):
                with self.assertRaises(callingbox.BadRequestError):
                    Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=header, secret=SECRET)

    def test_headers_mapping_is_accepted(self):
        headers = {"content-type": "application/json", "callingbox-signature": sign(PAYLOAD)}
        event = Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=headers, secret=SECRET)
        self.assertEqual(event.id, "wd_01JABC")

    def test_parsed_json_payload_is_refused(self):
        with self.assertRaises(TypeError):
            Callingbox.webhooks.construct_event(payload=EVENT, sig_header=sign(PAYLOAD), secret=SECRET)

    def test_golden_value_shared_with_the_server(self):
        """The same vector as packages/server/src/webhooks/signing.test.ts (computed by Node's
        crypto): both sides must agree byte for byte."""
        secret = "whsec_" + "11" * 32
        body = b'{"id":"wd_1","type":"call.completed"}'
        header = "t=1700000000,v1=ee578691c20a7b0b2417a6bbf0f098b0bdbe751c62b0875b70b0791b0c065b0a"
        self.assertEqual(callingbox.Webhooks(now=lambda: 1700000000).generate_header(body, secret), header)
        verifier = callingbox.Webhooks(now=lambda: 1700000000 + 300)
        self.assertEqual(verifier.construct_event(body, header, secret).type, "call.completed")
        with self.assertRaises(callingbox.WebhookVerificationError):
            callingbox.Webhooks(now=lambda: 1700000000 + 301).construct_event(body, header, secret)

    def test_generate_header_round_trips(self):
        header = Callingbox.webhooks.generate_header(PAYLOAD, SECRET)
        self.assertEqual(header, sign(PAYLOAD, t=int(header.split(",")[0][2:])))
        Callingbox.webhooks.construct_event(payload=PAYLOAD, sig_header=header, secret=SECRET)


if __name__ == "__main__":
    unittest.main()
