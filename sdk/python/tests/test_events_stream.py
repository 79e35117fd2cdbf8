"""events.stream(): SSE parsing, Last-Event-ID, reconnection (api.md → Live events)."""

from __future__ import annotations

import itertools
import json
import time
import unittest
from unittest import mock

from _support import FakeServer, Reply, callingbox
from callingbox.resources.events import Events, parse_sse


def message(event_id: str, event_type: str, call_id: str) -> bytes:
    data = {"type": event_type, "created": 1764000000, "api_version": "2026-04", "data": {"call": {"id": call_id}}}
    return f"id: {event_id}\nevent: {event_type}\ndata: {json.dumps(data)}\n\n".encode()


class ParseSseTest(unittest.TestCase):
    def test_fields_comments_and_multiline_data(self):
        lines = [
            b": keep-alive\n",
            b"id: cev_1\r\n",
            b"event: call.ringing\n",
            b"data: {\"a\":\n",
            b"data: 1}\n",
            b"\n",
            b"retry: 1000\n",
            b"event: empty\n",
            b"\n",  # no data: dropped
            b"data:no-space\n",
            b"\n",
        ]
        out = list(parse_sse(iter(lines)))
        self.assertEqual(out[0], {"id": "cev_1", "event": "call.ringing", "data": '{"a":\n1}'})
        self.assertEqual(out[1], {"id": "cev_1", "event": "message", "data": "no-space"})
        self.assertEqual(len(out), 2)


class StreamTest(unittest.TestCase):
    def test_yields_events_and_resumes_with_last_event_id(self):
        connections = itertools.count()

        def handler(req):
            n = next(connections)
            if n == 0:
                return Reply(stream=[b": hi\n\n", message("cev_1", "call.ringing", "call_1"), message("cev_2", "call.answered", "call_1")])
            return Reply(stream=[message("cev_3", "call.completed", "call_1")])

        with FakeServer(handler) as server:
            stream = server.client().events.stream(last_event_id="cev_0")
            events = [next(stream) for _ in range(3)]
            stream.close()
            self.assertEqual([e.id for e in events], ["cev_1", "cev_2", "cev_3"])
            self.assertEqual([e.type for e in events], ["call.ringing", "call.answered", "call.completed"])
            self.assertEqual(events[0].event, "call.ringing")
            self.assertEqual(events[2].data.call.id, "call_1")
            self.assertEqual(server.requests[0].headers["last-event-id"], "cev_0")
            self.assertEqual(server.requests[0].headers["accept"], "text/event-stream")
            self.assertEqual(server.requests[1].headers["last-event-id"], "cev_2")

    def test_chunked_stream_split_mid_message(self):
        whole = message("cev_7", "call.answered", "call_3") + message("cev_8", "call.completed", "call_3")
        pieces = [whole[:10], whole[10:57], whole[57:58], whole[58:]]
        with FakeServer(lambda req: Reply(stream=pieces, chunked=True)) as server:
            events = list(server.client().events.stream(reconnect=False))
        self.assertEqual([(e.id, e.type) for e in events], [("cev_7", "call.answered"), ("cev_8", "call.completed")])

    def test_a_silent_connection_is_replaced(self):
        """Three missed keep-alives mean a dead connection: reconnect with Last-Event-ID."""
        connections = itertools.count()

        def stall_after(first: bytes):
            yield first
            time.sleep(5.0)  # no keep-alive: the client gives up on this connection first

        def handler(req):
            if next(connections) == 0:
                return Reply(stream=stall_after(message("cev_1", "call.ringing", "call_1")), chunked=True)
            return Reply(stream=[message("cev_2", "call.answered", "call_1")], chunked=True)

        with mock.patch.object(Events, "IDLE_TIMEOUT_S", 0.5), FakeServer(handler) as server:
            stream = server.client().events.stream()
            events = [next(stream), next(stream)]
            stream.close()
        self.assertEqual([e.id for e in events], ["cev_1", "cev_2"])
        self.assertEqual(server.requests[1].headers["last-event-id"], "cev_1")

    def test_without_reconnect_the_generator_ends_with_the_connection(self):
        with FakeServer(lambda req: Reply(stream=[message("cev_1", "call.queued", "call_9")])) as server:
            events = list(server.client().events.stream(reconnect=False))
            self.assertEqual([e.id for e in events], ["cev_1"])
            self.assertNotIn("last-event-id", server.requests[0].headers)

    def test_gives_up_when_connections_keep_closing_empty(self):
        with FakeServer(lambda req: Reply(stream=[b": nothing\n\n"])) as server:
            with self.assertRaises(callingbox.APIConnectionError):
                list(server.client(max_retries=2).events.stream())
            self.assertEqual(len(server.requests), 3)

    def test_error_status_raises_typed_error(self):
        with FakeServer(lambda req: Reply(401, {"error": "Bad key.", "code": "unauthorized"})) as server:
            with self.assertRaises(callingbox.AuthenticationError):
                next(server.client().events.stream())


if __name__ == "__main__":
    unittest.main()
