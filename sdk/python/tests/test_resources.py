"""What each resource method sends (method, path, query, body) and what it returns."""

from __future__ import annotations

import datetime as dt
import json
import unittest

from _support import FakeServer, Reply, callingbox


def echo(req):
    """Answer with what was asked, so a test can read the request off the result too."""
    if req.path.endswith("/recording"):
        return Reply(200, b"RIFF\x00\x00WAVE", {"Content-Type": "audio/wav"})
    if req.path in ("/v1/numbers/available", "/v1/calls", "/v1/numbers"):
        return Reply(200, [{"phone_number": "+14155550100", "id": "x"}])
    if req.method == "GET" and req.path.count("/") == 2 or req.path.endswith(("/versions", "/events")):
        return Reply(200, {"data": [{"id": "x"}], "has_more": False, "next_cursor": None})
    return Reply(200, {"id": "obj_1", "method": req.method, "path": req.path, "body": req.json})


class ResourceRequestTest(unittest.TestCase):
    def setUp(self):
        self.server = FakeServer(echo).__enter__()
        self.client = self.server.client()

    def tearDown(self):
        self.server.__exit__(None, None, None)

    def last(self):
        return self.server.requests[-1]

    def test_agents(self):
        c = self.client
        agent = c.agents.create(name="Front desk", type="inbound", returns={"name": "string"}, number_ids=["pn_1"])
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/agents"))
        self.assertEqual(self.last().json, {"name": "Front desk", "type": "inbound", "returns": {"name": "string"}, "number_ids": ["pn_1"]})
        self.assertEqual(self.last().headers["content-type"], "application/json")
        self.assertTrue(self.last().headers["authorization"].startswith("Bearer sk_live_test"))
        self.assertEqual(agent.body.returns.name, "string")

        c.agents.update("ag_1", instructions="New.", persona=None, settings={"recording": True, "stt": None})
        self.assertEqual((self.last().method, self.last().path), ("PATCH", "/v1/agents/ag_1"))
        self.assertEqual(self.last().json, {"instructions": "New.", "persona": None, "settings": {"recording": True, "stt": None}})
        with self.assertRaises(TypeError):
            c.agents.update("ag_1", instructionz="typo")  # a typo must not silently do nothing

        c.agents.retrieve("ag_1")
        self.assertEqual((self.last().method, self.last().path), ("GET", "/v1/agents/ag_1"))
        c.agents.archive("ag_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/agents/ag_1"))
        c.agents.attach_number("ag_1", number_id="pn_2", set_as_primary=True)
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/agents/ag_1/numbers"))
        self.assertEqual(self.last().json, {"number_id": "pn_2", "set_as_primary": True})
        c.agents.attach_number("ag_1", number_id="pn_2")
        self.assertEqual(self.last().json, {"number_id": "pn_2"})
        c.agents.detach_number("ag_1", number_id="pn_2")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/agents/ag_1/numbers/pn_2"))
        c.agents.set_primary_number("ag_1", number_id="pn_3")
        self.assertEqual((self.last().method, self.last().path), ("PUT", "/v1/agents/ag_1/primary-number"))
        self.assertEqual(self.last().json, {"number_id": "pn_3"})
        versions = c.agents.versions("ag_1")
        self.assertEqual(self.last().path, "/v1/agents/ag_1/versions")
        self.assertEqual(versions[0].id, "x")

    def test_numbers(self):
        c = self.client
        available = c.numbers.search_available(area_code="415")
        self.assertEqual(self.last().query, {"area_code": "415", "country_code": "US"})
        self.assertEqual(available[0].phone_number, "+14155550100")
        c.numbers.search_available(area_code="212", number_type="local", limit=5)
        self.assertEqual(self.last().query, {"area_code": "212", "country_code": "US", "number_type": "local", "limit": "5"})
        c.numbers.purchase(available[0].phone_number)
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/numbers/purchase"))
        self.assertEqual(self.last().json, {"phone_number": "+14155550100"})
        c.numbers.import_number("+14155550111", carrier="sip", sip_trunk_id="trk_1")
        self.assertEqual(self.last().json, {"phone_number": "+14155550111", "carrier": "sip", "sip_trunk_id": "trk_1"})
        c.numbers.list(status="released")
        self.assertEqual((self.last().path, self.last().query), ("/v1/numbers", {"status": "released"}))
        c.numbers.update("pn_1", friendly_name="Desk")
        self.assertEqual((self.last().method, self.last().json), ("PATCH", {"friendly_name": "Desk"}))
        c.numbers.release("pn_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/numbers/pn_1"))

    def test_calls(self):
        c = self.client
        c.calls.create(agent_id="ag_1", to="+14155550100", from_="+14155550101", metadata={"k": 1})
        self.assertEqual(self.last().json, {"agent_id": "ag_1", "to": "+14155550100", "from_number": "+14155550101", "metadata": {"k": 1}})
        c.calls.list(
            direction="inbound",
            status=["completed", "failed"],
            created_after=dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
            created_before="2026-11-02T00:00:00.000Z",
            limit=10,
        )
        self.assertEqual(
            self.last().query,
            {
                "direction": "inbound",
                "status": "completed,failed",
                "created_after": "2026-11-01T00:00:00.000Z",
                "created_before": "2026-11-02T00:00:00.000Z",
                "limit": "10",
            },
        )
        c.calls.retrieve("call_1")
        self.assertEqual(self.last().path, "/v1/calls/call_1")
        c.calls.transcript("call_1")
        self.assertEqual(self.last().path, "/v1/calls/call_1/transcript")
        events = c.calls.events("call_1", limit=5)
        self.assertEqual((self.last().path, self.last().query), ("/v1/calls/call_1/events", {"limit": "5"}))
        self.assertEqual(len(events), 1)
        c.calls.hangup("call_1")
        self.assertEqual((self.last().method, self.last().path, self.last().json), ("POST", "/v1/calls/call_1/hangup", {}))
        c.calls.extract("call_1", returns={"ok": "boolean"})
        self.assertEqual((self.last().path, self.last().json), ("/v1/calls/call_1/extract", {"returns": {"ok": "boolean"}}))
        c.calls.extract("call_1")
        self.assertEqual(self.last().json, {})
        c.calls.redact("call_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/calls/call_1"))
        audio = c.calls.recording("call_1")
        self.assertEqual(audio, b"RIFF\x00\x00WAVE")
        self.assertIsInstance(audio, bytes)

    def test_smaller_resources(self):
        c = self.client
        c.sip_trunks.create(name="T", inbound_addresses=["10.0.0.0/8"], auth_password="pw")
        self.assertEqual((self.last().path, self.last().json), ("/v1/sip_trunks", {"name": "T", "inbound_addresses": ["10.0.0.0/8"], "auth_password": "pw"}))
        c.sip_trunks.update("trk_1", outbound_uri="sip:x.example")
        self.assertEqual((self.last().method, self.last().json), ("PATCH", {"outbound_uri": "sip:x.example"}))
        c.sip_trunks.list()
        c.sip_trunks.retrieve("trk_1")
        c.sip_trunks.delete("trk_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/sip_trunks/trk_1"))
        c.api_keys.create(name="ci")
        self.assertEqual(self.last().json, {"name": "ci"})
        c.api_keys.list()
        c.api_keys.revoke("key_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/api_keys/key_1"))
        c.web_calls.create(agent_id="ag_1")
        self.assertEqual((self.last().path, self.last().json), ("/v1/web_calls", {"agent_id": "ag_1"}))
        self.assertEqual(c.voices.list()[0].id, "x")
        c.usage.retrieve(from_=dt.date(2026, 11, 1), to="2026-11-30")
        self.assertEqual((self.last().path, self.last().query), ("/v1/usage", {"from": "2026-11-01", "to": "2026-11-30"}))
        c.webhook_endpoints.create(url="https://example.com/h", enabled_events=["call.completed"])
        self.assertEqual(self.last().json, {"url": "https://example.com/h", "enabled_events": ["call.completed"]})
        c.webhook_endpoints.update("we_1", status="enabled", description=None)
        self.assertEqual(self.last().json, {"status": "enabled", "description": None})
        c.webhook_endpoints.rotate_secret("we_1")
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/webhook_endpoints/we_1/rotate_secret"))
        c.webhook_endpoints.retrieve("we_1")
        c.webhook_endpoints.list()
        c.webhook_endpoints.delete("we_1")
        self.assertEqual((self.last().method, self.last().path), ("DELETE", "/v1/webhook_endpoints/we_1"))
        c.webhook_deliveries.list(call_id="call_1", status="exhausted")
        self.assertEqual(self.last().query, {"call_id": "call_1", "status": "exhausted"})
        c.webhook_deliveries.retrieve("wd_1")
        c.webhook_deliveries.redeliver("wd_1")
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/webhook_deliveries/wd_1/redeliver"))
        c.webhook_secret.retrieve()
        self.assertEqual((self.last().method, self.last().path), ("GET", "/v1/webhook_secret"))
        c.webhook_secret.rotate()
        self.assertEqual((self.last().method, self.last().path), ("POST", "/v1/webhook_secret/rotate"))

    def test_ids_are_escaped_in_paths(self):
        self.client.calls.retrieve("call_1/../agents")
        self.assertEqual(self.last().path, "/v1/calls/call_1%2F..%2Fagents")
        with self.assertRaises(ValueError):
            self.client.calls.retrieve("")


class ResultObjectTest(unittest.TestCase):
    def test_attribute_access_and_dict(self):
        obj = callingbox.CallingboxObject(
            {"id": "call_1", "latency": {"p50_ms": 420}, "segments": [{"text": "hi"}], "from": "x", "items": [1]}
        )
        self.assertEqual(obj.latency.p50_ms, 420)
        self.assertEqual(obj.segments[0].text, "hi")
        self.assertEqual(obj.from_, "x")
        self.assertEqual(obj["items"], [1])
        plain = dict(obj)
        self.assertEqual(plain["latency"], {"p50_ms": 420})
        self.assertEqual(dict(plain["latency"]), {"p50_ms": 420})
        self.assertIs(type(obj.to_dict()["latency"]), dict)
        self.assertEqual(json.loads(json.dumps(obj)), obj.to_dict())
        with self.assertRaises(AttributeError):
            obj.missing_field
        self.assertIsNone(getattr(obj, "missing_field", None))
        obj.note = {"a": 1}
        self.assertEqual(obj.note.a, 1)
        self.assertIn("latency", dir(obj))

    def test_nested_typed_objects(self):
        from callingbox.types import Agent, Number, Transcript, TranscriptSegment, Usage, UsageDay

        agent = Agent({"id": "ag_1", "numbers": [{"id": "pn_1", "e164": "+14155550100"}], "settings": {"stt": "local"}})
        self.assertIsInstance(agent.numbers[0], Number)
        self.assertEqual(agent.numbers[0].e164, "+14155550100")
        self.assertIsInstance(agent.settings, callingbox.CallingboxObject)
        self.assertIsInstance(Transcript({"segments": [{"text": "hi"}]}).segments[0], TranscriptSegment)
        self.assertIsInstance(Usage({"data": [{"date": "2026-11-01"}]}).data[0], UsageDay)
        self.assertEqual(dict(agent)["numbers"], [{"id": "pn_1", "e164": "+14155550100"}])


if __name__ == "__main__":
    unittest.main()
