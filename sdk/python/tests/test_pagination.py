"""Pagination (api.md): bare arrays with CallingBox-Next-Cursor, and {data, has_more, next_cursor}."""

from __future__ import annotations

import unittest

from _support import FakeServer, Reply, error_body

TOTAL = 500


def calls_server(total: int = TOTAL):
    """A fake GET /v1/calls over ``total`` calls, newest first, with an opaque offset cursor
    bound to its filters (as the real one: another filter with that cursor is a 400)."""
    calls = [
        {"id": f"call_{i:04d}", "direction": "inbound" if i % 2 else "outbound", "agent_id": "ag_1"}
        for i in range(total, 0, -1)
    ]

    def handler(req):
        if req.path != "/v1/calls":
            return Reply(404, error_body("not_found", "No such route."))
        limit = int(req.query.get("limit", "50"))
        start = 0
        if "cursor" in req.query:
            offset, _, direction = req.query["cursor"].partition(":")
            if direction != req.query.get("direction", ""):
                return Reply(400, error_body("invalid_request", "Cursor of other filters.", "cursor"))
            start = int(offset)
        rows = [c for c in calls if req.query.get("direction") in (None, c["direction"])]
        page = rows[start : start + limit]
        headers = {}
        if start + limit < len(rows):
            headers["CallingBox-Next-Cursor"] = f"{start + limit}:{req.query.get('direction', '')}"
        return Reply(200, page, headers)

    return handler


class IterCallsTest(unittest.TestCase):
    def test_walks_every_page_lazily(self):
        with FakeServer(calls_server()) as server:
            client = server.client()
            calls = client.calls.iter_calls(limit=50)
            self.assertEqual(len(server.requests), 0, "a generator fetches nothing until iterated")
            first = next(calls)
            self.assertEqual(first.id, f"call_{TOTAL:04d}")
            self.assertEqual(len(server.requests), 1)
            seen = [first.id]
            for _ in range(49):  # consume the rest of page 1
                seen.append(next(calls).id)
            self.assertEqual(len(server.requests), 1, "page 2 must not be fetched before page 1 is consumed")
            fifty_first = next(calls)
            self.assertEqual(fifty_first.id, f"call_{TOTAL - 50:04d}")
            self.assertEqual(len(server.requests), 2)
            seen.append(fifty_first.id)
            seen.extend(c.id for c in calls)
            self.assertEqual(seen, [f"call_{i:04d}" for i in range(TOTAL, 0, -1)])
            self.assertEqual(len(server.requests), TOTAL // 50)
            self.assertEqual(server.requests[0].query, {"limit": "50"})
            self.assertEqual(server.requests[1].query, {"limit": "50", "cursor": "50:"})

    def test_filters_are_kept_on_every_page(self):
        with FakeServer(calls_server()) as server:
            client = server.client()
            calls = list(client.calls.iter_calls(direction="inbound", limit=50))
            self.assertEqual(len(calls), TOTAL // 2)
            self.assertTrue(all(c.direction == "inbound" for c in calls))
            self.assertEqual(len(server.requests), 5)
            for req in server.requests:
                self.assertEqual(req.query["direction"], "inbound")

    def test_list_returns_one_page(self):
        with FakeServer(calls_server()) as server:
            page = server.client().calls.list(limit=200)
            self.assertEqual(len(page), 200)
            self.assertTrue(page.has_more)
            self.assertEqual(page.next_cursor, "200:")
            self.assertEqual(page.data[0].id, f"call_{TOTAL:04d}")
            second = page.next_page()
            self.assertEqual(second[0].id, f"call_{TOTAL - 200:04d}")
            third = second.next_page()
            self.assertEqual(len(third), 100)
            self.assertFalse(third.has_more)
            self.assertIsNone(third.next_page())

    def test_empty_result(self):
        with FakeServer(calls_server(0)) as server:
            self.assertEqual(list(server.client().calls.iter_calls()), [])
            self.assertEqual(len(server.requests), 1)


class DataListTest(unittest.TestCase):
    def test_data_lists_follow_next_cursor_in_the_body(self):
        agents = [{"id": f"ag_{i:03d}", "name": f"Agent {i}"} for i in range(120, 0, -1)]

        def handler(req):
            start = int(req.query.get("cursor", "0"))
            limit = int(req.query.get("limit", "50"))
            page = agents[start : start + limit]
            more = start + limit < len(agents)
            return Reply(200, {"data": page, "has_more": more, "next_cursor": str(start + limit) if more else None})

        with FakeServer(handler) as server:
            page = server.client().agents.list(type="inbound", include_archived=True)
            self.assertEqual(len(page), 50)
            self.assertTrue(page.has_more)
            self.assertEqual(server.requests[0].query, {"type": "inbound", "include_archived": "true"})
            names = [a.name for a in page.auto_paging_iter()]
            self.assertEqual(len(names), 120)
            self.assertEqual(len(server.requests), 3)
            self.assertEqual(server.requests[2].query["cursor"], "100")
            self.assertEqual(server.requests[2].query["type"], "inbound")

    def test_include_archived_false_is_not_sent(self):
        with FakeServer(lambda req: Reply(200, {"data": [], "has_more": False, "next_cursor": None})) as server:
            page = server.client().agents.list()
            self.assertEqual(server.requests[0].query, {})
            self.assertFalse(page.has_more)
            self.assertEqual(page.data, [])


if __name__ == "__main__":
    unittest.main()
