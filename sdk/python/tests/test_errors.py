"""Error mapping: each documented status becomes its class with status, code, param, message."""

from __future__ import annotations

import unittest

from _support import FakeServer, Reply, callingbox, error_body

CASES = [
    (400, "invalid_request", "returns.confirmed", callingbox.BadRequestError),
    (401, "unauthorized", None, callingbox.AuthenticationError),
    (404, "not_found", None, callingbox.NotFoundError),
    (409, "conflict", "number_id", callingbox.ConflictError),
    (409, "idempotency_conflict", None, callingbox.ConflictError),
    (413, "payload_too_large", None, callingbox.PayloadTooLargeError),
    (422, "unprocessable", "agent_id", callingbox.UnprocessableEntityError),
    (429, "rate_limited", None, callingbox.RateLimitError),
    (500, "internal", None, callingbox.InternalServerError),
    (502, "carrier_error", None, callingbox.InternalServerError),
    (503, "unavailable", None, callingbox.InternalServerError),
]


class ErrorMappingTest(unittest.TestCase):
    def test_each_status_maps_to_its_class(self):
        for status, code, param, cls in CASES:
            with self.subTest(status=status, code=code):
                message = f"Sentence for {code}."
                reply = Reply(status, error_body(code, message, param), {"X-Request-Id": "req_42"})
                with FakeServer(lambda req, r=reply: r) as server:
                    with self.assertRaises(cls) as ctx:
                        server.client(max_retries=0).agents.create(name="A", type="inbound")
                err = ctx.exception
                self.assertIsInstance(err, callingbox.APIError)
                self.assertIsInstance(err, callingbox.CallingboxError)
                self.assertEqual(err.status, status)
                self.assertEqual(err.code, code)
                self.assertEqual(err.param, param)
                self.assertEqual(err.message, message)
                self.assertEqual(err.request_id, "req_42")
                self.assertEqual(err.body["error"], message)
                self.assertIn(message, str(err))

    def test_classes_form_one_hierarchy(self):
        for cls in (
            callingbox.BadRequestError,
            callingbox.AuthenticationError,
            callingbox.NotFoundError,
            callingbox.ConflictError,
            callingbox.PayloadTooLargeError,
            callingbox.UnprocessableEntityError,
            callingbox.RateLimitError,
            callingbox.InternalServerError,
            callingbox.APIConnectionError,
            callingbox.APITimeoutError,
            callingbox.WebhookVerificationError,
        ):
            self.assertTrue(issubclass(cls, callingbox.APIError), cls)
        self.assertTrue(issubclass(callingbox.APITimeoutError, callingbox.APIConnectionError))
        self.assertTrue(issubclass(callingbox.WebhookVerificationError, callingbox.BadRequestError))

    def test_body_that_is_not_json(self):
        with FakeServer(lambda req: Reply(500, b"<html>Bad gateway</html>", {"Content-Type": "text/html"})) as server:
            with self.assertRaises(callingbox.InternalServerError) as ctx:
                server.client(max_retries=0).agents.list()
        self.assertEqual(ctx.exception.status, 500)
        self.assertIsNone(ctx.exception.code)
        self.assertIn("Bad gateway", ctx.exception.message)

    def test_empty_body(self):
        with FakeServer(lambda req: Reply(404, None)) as server:
            with self.assertRaises(callingbox.NotFoundError) as ctx:
                server.client().calls.retrieve("call_missing")
        self.assertIn("404", ctx.exception.message)

    def test_unlisted_4xx_is_a_plain_api_error(self):
        with FakeServer(lambda req: Reply(418, error_body("teapot", "I am a teapot."))) as server:
            with self.assertRaises(callingbox.APIError) as ctx:
                server.client().agents.list()
        self.assertIs(type(ctx.exception), callingbox.APIError)
        self.assertEqual(ctx.exception.code, "teapot")


if __name__ == "__main__":
    unittest.main()
