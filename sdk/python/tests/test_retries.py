"""Retries, backoff, Retry-After and the Idempotency-Key (sdk.md, api.md → Idempotency)."""

from __future__ import annotations

import itertools
import unittest

from _support import FakeServer, Reply, callingbox, error_body

CALL = {"id": "call_1", "status": "queued", "direction": "outbound"}


def failing_first(n: int, failure: Reply, success: Reply):
    counter = itertools.count()

    def handler(req):
        return failure if next(counter) < n else success

    return handler


class RetryTest(unittest.TestCase):
    def test_post_retried_after_5xx_reuses_one_idempotency_key(self):
        fail = Reply(503, error_body("internal", "Try again."))
        with FakeServer(failing_first(2, fail, Reply(201, CALL))) as server:
            client = server.client()
            call = client.calls.create(agent_id="ag_1", to="+14155550100")
            self.assertEqual(call.id, "call_1")
            self.assertEqual(len(server.requests), 3)
            keys = {r.headers.get("idempotency-key") for r in server.requests}
            self.assertEqual(len(keys), 1)
            self.assertTrue(next(iter(keys)))
            self.assertEqual(len(server.sleeps), 2)
            self.assertLess(server.sleeps[0], server.sleeps[1])  # exponential

    def test_every_post_gets_its_own_key(self):
        with FakeServer(lambda req: Reply(201, CALL)) as server:
            client = server.client()
            client.calls.create(agent_id="ag_1", to="+14155550100")
            client.calls.create(agent_id="ag_1", to="+14155550100")
            keys = [r.headers.get("idempotency-key") for r in server.requests]
            self.assertEqual(len(set(keys)), 2)

    def test_get_sends_no_idempotency_key(self):
        with FakeServer(lambda req: Reply(200, CALL)) as server:
            server.client().calls.retrieve("call_1")
            self.assertNotIn("idempotency-key", server.requests[0].headers)

    def test_gives_up_after_max_retries(self):
        with FakeServer(lambda req: Reply(500, error_body("internal", "Boom."))) as server:
            with self.assertRaises(callingbox.InternalServerError) as ctx:
                server.client().agents.retrieve("ag_1")
            self.assertEqual(len(server.requests), 3)  # 1 + 2 retries by default
            self.assertEqual(ctx.exception.status, 500)

    def test_max_retries_is_configurable(self):
        with FakeServer(lambda req: Reply(502, error_body("carrier_error", "No route."))) as server:
            with self.assertRaises(callingbox.InternalServerError) as ctx:
                server.client(max_retries=0).calls.create(agent_id="ag_1", to="+1415")
            self.assertEqual(len(server.requests), 1)
            self.assertEqual(ctx.exception.code, "carrier_error")
        with FakeServer(lambda req: Reply(500, error_body("internal", "Boom."))) as server:
            with self.assertRaises(callingbox.InternalServerError):
                server.client(max_retries=4).agents.retrieve("ag_1")
            self.assertEqual(len(server.requests), 5)

    def test_429_honours_retry_after(self):
        limited = Reply(429, error_body("rate_limited", "Slow down."), {"Retry-After": "3"})
        with FakeServer(failing_first(1, limited, Reply(200, {"data": []}))) as server:
            client = server.client()
            client.agents.list()
            self.assertEqual(len(server.requests), 2)
            self.assertEqual(server.sleeps, [3.0])

    def test_retry_after_beyond_the_cap_raises_at_once(self):
        limited = Reply(429, error_body("rate_limited", "Slow down."), {"Retry-After": "3600"})
        with FakeServer(lambda req: limited) as server:
            with self.assertRaises(callingbox.RateLimitError):
                server.client().agents.list()
            self.assertEqual(len(server.requests), 1)

    def test_4xx_is_not_retried(self):
        for status in (400, 401, 404, 409, 413, 422):
            with FakeServer(lambda req, s=status: Reply(s, error_body("x", "No."))) as server:
                with self.assertRaises(callingbox.APIError):
                    server.client().calls.create(agent_id="ag_1", to="+1415")
                self.assertEqual(len(server.requests), 1, status)

    def test_idempotency_in_progress_is_retried(self):
        busy = Reply(409, error_body("idempotency_in_progress", "Still running."))
        with FakeServer(failing_first(1, busy, Reply(201, CALL))) as server:
            server.client().calls.create(agent_id="ag_1", to="+14155550100")
            self.assertEqual(len(server.requests), 2)
            self.assertEqual(len({r.headers["idempotency-key"] for r in server.requests}), 1)

    def test_dropped_connection_is_retried_with_the_same_key(self):
        with FakeServer(failing_first(1, Reply(drop=True), Reply(201, CALL))) as server:
            call = server.client().calls.create(agent_id="ag_1", to="+14155550100")
            self.assertEqual(call.status, "queued")
            self.assertEqual(len(server.requests), 2)
            self.assertEqual(len({r.headers["idempotency-key"] for r in server.requests}), 1)

    def test_connection_refused_raises_api_connection_error(self):
        with FakeServer(lambda req: Reply(200)) as server:
            url = server.url
        client = callingbox.Callingbox(api_key="sk_live_test", base_url=url, max_retries=1)
        sleeps = []
        client._http._sleep = sleeps.append
        with self.assertRaises(callingbox.APIConnectionError) as ctx:
            client.agents.list()
        self.assertIsInstance(ctx.exception, callingbox.APIError)
        self.assertIsNone(ctx.exception.status)
        self.assertEqual(len(sleeps), 1)

    def test_timeout_raises_api_timeout_error(self):
        with FakeServer(lambda req: Reply(200, {}, delay_s=1.0)) as server:
            client = server.client(timeout=0.2, max_retries=1)
            with self.assertRaises(callingbox.APITimeoutError) as ctx:
                client.agents.retrieve("ag_1")
            self.assertIsInstance(ctx.exception, callingbox.APIConnectionError)
            self.assertEqual(len(server.requests), 2)


class RetryAfterParsingTest(unittest.TestCase):
    def test_seconds_and_http_dates(self):
        from callingbox._http import parse_retry_after

        self.assertEqual(parse_retry_after("2"), 2.0)
        self.assertEqual(parse_retry_after("0.5"), 0.5)
        self.assertIsNone(parse_retry_after(None))
        self.assertIsNone(parse_retry_after("soon"))
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0), 10.0)


if __name__ == "__main__":
    unittest.main()
