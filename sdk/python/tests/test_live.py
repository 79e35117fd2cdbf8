"""The SDK against a real server. Runs only when CALLINGBOX_TEST_BASE_URL and
CALLINGBOX_TEST_API_KEY are set (test/sdk-python.test.ts starts a server and sets them);
CALLINGBOX_TEST_SECOND_API_KEY (another organisation) and CALLINGBOX_TEST_DATA_DIR (the
server's data directory) enable the tenancy and credentials.json cases."""

from __future__ import annotations

import os
import threading
import time
import unittest
import uuid
from typing import Any, Callable, List
from unittest import mock

from _support import FakeServer, Reply, callingbox
from callingbox import Callingbox
from sip_caller import SipCaller, sip_port_of

BASE_URL = os.environ.get("CALLINGBOX_TEST_BASE_URL")
API_KEY = os.environ.get("CALLINGBOX_TEST_API_KEY")
SECOND_KEY = os.environ.get("CALLINGBOX_TEST_SECOND_API_KEY")
DATA_DIR = os.environ.get("CALLINGBOX_TEST_DATA_DIR")


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


@unittest.skipUnless(BASE_URL and API_KEY, "set CALLINGBOX_TEST_BASE_URL and CALLINGBOX_TEST_API_KEY")
class LiveTestCase(unittest.TestCase):
    client: Callingbox

    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Callingbox(api_key=API_KEY, base_url=BASE_URL, timeout=30)

    def buy(self, area_code: str = "628") -> Any:
        available = self.client.numbers.search_available(area_code=area_code, limit=1)
        self.assertEqual(len(available), 1, f"no sandbox number left in {area_code}")
        return self.client.numbers.purchase(available[0].phone_number)

    def route(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn``; skip the test when the server has no such route yet (the SDK follows the
        spec, the server is still being built)."""
        try:
            return fn()
        except callingbox.NotFoundError as e:
            if e.message.startswith("No route"):
                self.skipTest(f"server: {e.message}")
            raise


class AgentsAndNumbersTest(LiveTestCase):
    def test_lifecycle(self):
        c = self.client
        first, second = self.buy("628"), self.buy("628")
        self.assertTrue(first.e164.startswith("+1628"))
        self.assertEqual((first.status, first.carrier), ("active", "sandbox"))
        agent = c.agents.create(
            name=unique("Reservations"),
            type="inbound",
            instructions="Take reservations.",
            timezone="America/Los_Angeles",
            returns={"name": "string", "party_size": "integer"},
            settings={"recording": True},
            number_ids=[first.id, second.id],
        )
        self.assertEqual(agent.type, "inbound")
        self.assertEqual(agent.primary_number_id, first.id)  # the first of number_ids
        self.assertEqual(sorted(n.id for n in agent.numbers), sorted([first.id, second.id]))
        self.assertEqual(agent.returns.party_size, "integer")
        self.assertEqual(agent.timezone, "America/Los_Angeles")
        self.assertEqual(dict(agent)["id"], agent.id)

        updated = c.agents.update(agent.id, instructions="Take reservations for up to 8.", settings={"recording": None, "silence_timeout_ms": 8000})
        self.assertEqual(updated.version, agent.version + 1)
        self.assertEqual(updated.instructions, "Take reservations for up to 8.")
        self.assertNotIn("recording", updated.settings)  # JSON merge patch: null removes
        self.assertEqual(updated.settings.silence_timeout_ms, 8000)
        cleared = c.agents.update(agent.id, persona=None)
        self.assertIsNone(cleared.persona)
        versions = c.agents.versions(agent.id)
        self.assertGreaterEqual(len(versions), 3)
        self.assertEqual(versions[0].version, cleared.version)  # newest first
        self.assertEqual(c.agents.retrieve(agent.id).version, cleared.version)

        # One number, one inbound agent: another inbound agent cannot take it while attached.
        other = c.agents.create(name=unique("After hours"), type="inbound")
        with self.assertRaises(callingbox.ConflictError) as ctx:
            c.agents.attach_number(other.id, number_id=second.id)
        self.assertEqual(ctx.exception.status, 409)
        detached = c.agents.detach_number(agent.id, number_id=second.id)
        self.assertEqual([n.id for n in detached.numbers], [first.id])
        moved = c.agents.attach_number(other.id, number_id=second.id, set_as_primary=True)
        self.assertEqual(moved.primary_number_id, second.id)
        self.assertEqual(c.agents.attach_number(other.id, number_id=second.id).id, other.id)  # twice: a no-op
        self.assertEqual(c.numbers.retrieve(second.id).inbound_agent_id, other.id)

        third = self.buy("628")
        c.agents.attach_number(agent.id, number_id=third.id)
        self.assertEqual(c.agents.set_primary_number(agent.id, number_id=third.id).primary_number_id, third.id)

        archived = c.agents.archive(other.id)
        self.assertIsNotNone(archived.archived_at)
        self.assertEqual(archived.numbers, [])
        listed = {a.id for a in c.agents.list(type="inbound").auto_paging_iter()}
        self.assertIn(agent.id, listed)
        self.assertNotIn(other.id, listed)
        self.assertIn(other.id, {a.id for a in c.agents.list(include_archived=True).auto_paging_iter()})

        renamed = c.numbers.update(third.id, friendly_name="Terrace line")
        self.assertEqual(renamed.friendly_name, "Terrace line")
        released = c.numbers.release(third.id)
        self.assertEqual(released.status, "released")
        self.assertNotIn(third.id, {n.id for n in c.numbers.list().auto_paging_iter()})
        self.assertIn(third.id, {n.id for n in c.numbers.list(status="released").auto_paging_iter()})

    def test_pagination_over_the_server(self):
        c = self.client
        prefix = unique("Pager")
        created = [c.agents.create(name=f"{prefix} {i}", type="outbound") for i in range(5)]
        page = c.agents.list(type="outbound", limit=2)
        self.assertEqual(len(page), 2)
        self.assertTrue(page.has_more)
        self.assertTrue(page.next_cursor)
        seen = [a.id for a in page.auto_paging_iter()]
        self.assertEqual(len(seen), len(set(seen)))
        for agent in created:
            self.assertIn(agent.id, seen)
        self.assertEqual(set(seen[:5]), {a.id for a in created})  # newest first
        listed = list(c.agents.list(type="outbound", limit=200))
        stamps = [a.created_at for a in listed]
        self.assertEqual(stamps, sorted(stamps, reverse=True))

        for _ in range(2):
            self.buy("628")
        numbers = c.numbers.list(limit=1)  # a bare array; the cursor comes in a header
        self.assertEqual(len(numbers), 1)
        self.assertTrue(numbers.has_more)
        all_numbers = list(numbers.auto_paging_iter())
        self.assertEqual(len(all_numbers), len({n.id for n in all_numbers}))
        self.assertGreaterEqual(len(all_numbers), 3)

    def test_typed_errors(self):
        c = self.client
        with self.assertRaises(callingbox.NotFoundError) as ctx:
            c.agents.retrieve("ag_01NOSUCHAGENT00000000000000")
        self.assertEqual(ctx.exception.code, "not_found")
        self.assertTrue(ctx.exception.request_id.startswith("req_"), ctx.exception.request_id)  # CallingBox-Request-Id
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            c.agents.create(name="", type="inbound")
        self.assertEqual((ctx.exception.code, ctx.exception.param), ("invalid_request", "name"))
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            c.agents.create(name="Typo", type="inbound", returns={"confirmed": "yesno"})
        self.assertTrue(ctx.exception.param.startswith("returns"), ctx.exception.param)
        # Unknown fields are a 400 naming the field (the SDK itself raises TypeError for them).
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            c._http.request("POST", "/v1/agents", body={"name": "x", "type": "inbound", "colour": "red"}, has_body=True)
        self.assertEqual(ctx.exception.param, "colour")
        with self.assertRaises(callingbox.BadRequestError) as ctx:
            c.calls.list(cursor="not-a-cursor")
        self.assertEqual(ctx.exception.param, "cursor")
        with self.assertRaises(callingbox.AuthenticationError) as ctx:
            Callingbox(api_key="sk_live_wrong", base_url=BASE_URL).agents.list()
        self.assertEqual((ctx.exception.status, ctx.exception.code), (401, "unauthorized"))

    def test_idempotency_key_replays_the_first_response(self):
        c = self.client
        phone = c.numbers.search_available(area_code="628", limit=1)[0].phone_number
        key = str(uuid.uuid4())
        body = {"phone_number": phone}
        first = c._http.request("POST", "/v1/numbers/purchase", body=body, has_body=True, idempotency_key=key)
        again = c._http.request("POST", "/v1/numbers/purchase", body=body, has_body=True, idempotency_key=key)
        self.assertEqual((first.status, again.status), (201, 201))
        self.assertEqual(first.json()["id"], again.json()["id"])
        with self.assertRaises(callingbox.ConflictError) as ctx:
            c._http.request("POST", "/v1/numbers/purchase", body={"phone_number": "+16285550189"}, has_body=True, idempotency_key=key)
        self.assertEqual(ctx.exception.code, "idempotency_conflict")
        # Buying it again without the key: the number is taken.
        with self.assertRaises(callingbox.ConflictError):
            c.numbers.purchase(phone)


class AccountTest(LiveTestCase):
    def test_api_keys(self):
        c = self.client
        key = c.api_keys.create(name=unique("ci"))
        self.assertTrue(key.secret.startswith("sk_live_"))
        self.assertEqual(key.prefix, key.secret[:12])
        self.assertEqual(len(Callingbox(api_key=key.secret, base_url=BASE_URL).agents.list(limit=1)) <= 1, True)
        self.assertIn(key.id, {k.id for k in c.api_keys.list().auto_paging_iter()})
        self.assertIsNotNone(c.api_keys.revoke(key.id).revoked_at)
        with self.assertRaises(callingbox.AuthenticationError):
            Callingbox(api_key=key.secret, base_url=BASE_URL, max_retries=0).agents.list()

    def test_webhook_secret_and_endpoints(self):
        c = self.client
        secret = c.webhook_secret.retrieve()
        self.assertTrue(secret.secret.startswith("whsec_"))
        rotated = c.webhook_secret.rotate()
        self.assertNotEqual(rotated.secret, secret.secret)
        self.assertEqual(c.webhook_secret.retrieve().secret, rotated.secret)

        ep = c.webhook_endpoints.create(url="https://example.com/hooks", description="test", enabled_events=["call.completed"])
        self.assertTrue(ep.signing_secret.startswith("whsec_"))
        self.assertEqual(ep.enabled_events, ["call.completed"])
        got = c.webhook_endpoints.retrieve(ep.id)
        self.assertNotIn("signing_secret", got)
        self.assertEqual(c.webhook_endpoints.update(ep.id, description=None, enabled_events=["*"]).enabled_events, ["*"])
        new = c.webhook_endpoints.rotate_secret(ep.id)
        self.assertNotEqual(new.signing_secret, ep.signing_secret)
        self.assertIn(ep.id, {e.id for e in c.webhook_endpoints.list().auto_paging_iter()})
        c.webhook_endpoints.delete(ep.id)
        with self.assertRaises(callingbox.NotFoundError):
            c.webhook_endpoints.retrieve(ep.id)
        self.assertIsInstance(c.webhook_deliveries.list(endpoint_id=ep.id), callingbox.Page)
        with self.assertRaises(callingbox.NotFoundError):
            c.webhook_deliveries.retrieve("wd_01NOSUCHDELIVERY000000000000")

    def test_sip_trunks_and_imported_numbers(self):
        c = self.client
        trunk = c.sip_trunks.create(
            name=unique("Carrier"), inbound_addresses=["203.0.113.0/24"], auth_username="acme",
            auth_password="s3cret", outbound_uri="sip:carrier.example:5060",
        )
        self.assertNotIn("auth_password", trunk)  # write-only
        self.assertEqual(c.sip_trunks.retrieve(trunk.id).outbound_uri, "sip:carrier.example:5060")
        self.assertEqual(c.sip_trunks.update(trunk.id, outbound_uri="sip:other.example").outbound_uri, "sip:other.example")
        self.assertIn(trunk.id, {t.id for t in c.sip_trunks.list().auto_paging_iter()})
        phone = f"+1212555{uuid.uuid4().int % 10000:04d}"
        number = c.numbers.import_number(phone, carrier="sip", sip_trunk_id=trunk.id, friendly_name="BYO")
        self.assertEqual((number.carrier, number.sip_trunk_id), ("sip", trunk.id))
        with self.assertRaises(callingbox.ConflictError):
            c.sip_trunks.delete(trunk.id)  # numbers still use it
        c.numbers.release(number.id)
        c.sip_trunks.delete(trunk.id)
        with self.assertRaises(callingbox.NotFoundError):
            c.sip_trunks.retrieve(trunk.id)

    def test_usage_and_voices(self):
        usage = self.client.usage.retrieve(from_="2026-01-01", to="2026-12-31")
        self.assertIsInstance(usage.data, list)
        voices = self.route(self.client.voices.list)
        for voice in voices:
            self.assertIn(":", voice.id)

    @unittest.skipUnless(SECOND_KEY, "set CALLINGBOX_TEST_SECOND_API_KEY")
    def test_another_organisation_sees_nothing(self):
        agent = self.client.agents.create(name=unique("Private"), type="outbound")
        other = Callingbox(api_key=SECOND_KEY, base_url=BASE_URL)
        with self.assertRaises(callingbox.NotFoundError):
            other.agents.retrieve(agent.id)
        self.assertNotIn(agent.id, {a.id for a in other.agents.list().auto_paging_iter()})

    @unittest.skipUnless(DATA_DIR, "set CALLINGBOX_TEST_DATA_DIR")
    def test_credentials_json_of_the_server(self):
        env = {"CALLINGBOX_DATA_DIR": DATA_DIR}
        with mock.patch.dict(os.environ, env):
            for name in ("CALLINGBOX_API_KEY", "CALLINGBOX_BASE_URL"):
                os.environ.pop(name, None)
            client = Callingbox()
        self.assertEqual(client.api_key, API_KEY)
        client.agents.list(limit=1)  # the base_url of credentials.json reaches the server


class CallsTest(LiveTestCase):
    def test_list_and_iterate(self):
        page = self.client.calls.list(limit=5)
        self.assertIsInstance(page, callingbox.Page)
        inbound = list(self.client.calls.iter_calls(direction="inbound", limit=2))
        self.assertTrue(all(c.direction == "inbound" for c in inbound))

    def _outbound_call(self, **kw: Any) -> Any:
        number = self.buy("628")
        agent = self.client.agents.create(name=unique("Dialer"), type="outbound", instructions="Say hello.", number_ids=[number.id], **kw)
        call = self.route(lambda: self.client.calls.create(agent_id=agent.id, to="+14155550199", from_=number.e164, metadata={"test": "sdk"}))
        return agent, number, call

    def test_dispatch_and_read_back(self):
        agent, number, call = self._outbound_call()
        self.assertEqual((call.direction, call.agent_id, call.from_number), ("outbound", agent.id, number.e164))
        self.assertEqual(call.metadata.test, "sdk")
        self.assertEqual(self.client.calls.retrieve(call.id).id, call.id)
        found = [c.id for c in self.client.calls.iter_calls(agent_id=agent.id)]
        self.assertEqual(found, [call.id])
        self.assertIsInstance(self.client.calls.events(call.id), callingbox.Page)
        inbound_agent = self.client.agents.create(name=unique("Inbound"), type="inbound")
        with self.assertRaises(callingbox.UnprocessableEntityError):
            self.client.calls.create(agent_id=inbound_agent.id, to="+14155550199")

    def test_webhook_signed_by_the_server_verifies(self):
        received: List[Any] = []
        arrived = threading.Event()

        def receiver(req: Any) -> Reply:
            received.append(req)
            arrived.set()
            return Reply(204)

        with FakeServer(receiver) as hooks:
            _agent, _number, call = self._outbound_call(webhook_url=hooks.url + "/hooks")
            secret = self.client.webhook_secret.retrieve().secret
            if not arrived.wait(20):
                self.fail(f"no webhook for {call.id} within 20 s")
            req = received[0]
            event = Callingbox.webhooks.construct_event(payload=req.body, sig_header=req.headers.get("callingbox-signature"), secret=secret)
            self.assertEqual(event.data.call.id, call.id)
            self.assertEqual(req.headers.get("callingbox-event-id"), event.id)
            with self.assertRaises(callingbox.BadRequestError):
                Callingbox.webhooks.construct_event(payload=req.body + b" ", sig_header=req.headers.get("callingbox-signature"), secret=secret)


def eventually(check: Callable[[], Any], timeout_s: float = 20.0, what: str = "condition") -> Any:
    """Polls ``check`` until it returns a truthy value (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class InboundCallTest(LiveTestCase):
    """A real inbound SIP call to a sandbox number, read back through the SDK: the walkthrough's
    loop over iter_calls, the transcript and timeline, and the webhooks the server signed."""

    def place_call(self, **agent_fields: Any) -> Any:
        """Buys a number, puts a new inbound agent on it, calls it over SIP and waits until the
        call is over. Returns (agent, number, call)."""
        sip_port = sip_port_of(BASE_URL)
        if not sip_port:
            self.skipTest("the server runs no SIP user agent")
        c = self.client
        number = self.buy("628")
        agent = c.agents.create(name=unique("Front desk"), type="inbound", instructions="Take a message.", number_ids=[number.id], **agent_fields)
        caller = SipCaller(sip_port)
        try:
            caller.call(number.e164, talk_s=1.0)
        finally:
            caller.close()

        def finished() -> Any:
            calls = [x for x in c.calls.iter_calls() if x.direction == "inbound" and x.agent_id == agent.id]
            return calls if calls and calls[0].status not in ("queued", "initiated", "ringing", "in_progress") else None

        calls = eventually(finished, what="the inbound call to finish")
        self.assertEqual(len(calls), 1)
        return agent, number, calls[0]

    def test_event_stream_replays_after_last_event_id(self):
        _agent, _number, call = self.place_call()
        timeline = list(self.client.calls.events(call.id).auto_paging_iter())
        first_status = next(e for e in timeline if e.type == "status")
        stream = self.client.with_options(timeout=15).events.stream(last_event_id=first_status.id, reconnect=False)
        try:
            seen: List[Any] = [self.route(lambda: next(stream))]
            while not (seen[-1].data.call.id == call.id and seen[-1].type == "call.completed"):
                seen.append(next(stream))
        finally:
            stream.close()
        mine = [e for e in seen if e.data.call.id == call.id]
        self.assertTrue(all(e.id.startswith("cev_") and e.id > first_status.id for e in seen))
        self.assertIn("call.answered", [e.type for e in mine])
        self.assertEqual(mine[-1].event, "call.completed")
        self.assertEqual(mine[-1].data.call.status, "completed")
        self.assertEqual(mine[-1].api_version, "2026-04")

    def test_inbound_call_end_to_end(self):
        c = self.client
        received: List[Any] = []
        with FakeServer(lambda req: (received.append(req), Reply(204))[1]) as hooks:
            agent, number, call = self.place_call(returns={"caller_name": "string"}, webhook_url=hooks.url + "/hooks")
            self.assertEqual((call.to_number, call.from_number), (number.e164, "+15551230000"))
            self.assertEqual(call.status, "completed")
            self.assertEqual(call.ended_by, "caller")
            self.assertIn("caller_name", call.returns)
            self.assertEqual(c.calls.retrieve(call.id).id, call.id)
            self.assertEqual([x.id for x in c.calls.iter_calls(agent_id=agent.id, direction="inbound", limit=1)], [call.id])
            self.assertEqual(c.calls.transcript(call.id).call_id, call.id)
            timeline = list(c.calls.events(call.id).auto_paging_iter())
            statuses = [e.data.to for e in timeline if e.type == "status"]
            self.assertEqual(statuses[-1], "completed")
            self.assertEqual([e.sequence_no for e in timeline], sorted(e.sequence_no for e in timeline))

            # Webhooks: signed with the organisation's default secret, one per status, terminal last.
            secret = c.webhook_secret.retrieve().secret
            eventually(lambda: any(r.headers.get("callingbox-event-type") == "call.completed" for r in received), what="call.completed webhook")
            events = [
                Callingbox.webhooks.construct_event(payload=r.body, sig_header=r.headers.get("callingbox-signature"), secret=secret)
                for r in received
            ]
            self.assertEqual([e.type for e in events][:2], ["call.ringing", "call.answered"])
            self.assertEqual(events[-1].type, "call.completed")
            self.assertTrue(all(e.data.call.id == call.id for e in events))
            self.assertEqual([r.headers.get("callingbox-event-id") for r in received], [e.id for e in events])

            deliveries = list(c.webhook_deliveries.list(call_id=call.id).auto_paging_iter())
            self.assertEqual({d.id for d in deliveries}, {e.id for e in events})
            completed = next(d for d in deliveries if d.event_type == "call.completed")
            eventually(lambda: c.webhook_deliveries.retrieve(completed.id).status == "delivered", what="delivered status")
            detail = c.webhook_deliveries.retrieve(completed.id)
            self.assertGreaterEqual(len(detail.attempts), 1)
            again = c.webhook_deliveries.redeliver(completed.id)
            self.assertEqual(again.manual_retry_count, detail.manual_retry_count + 1)
            count = len(received)
            eventually(lambda: len(received) > count, what="the redelivery")
            self.assertEqual(received[-1].headers.get("callingbox-event-id"), completed.id)  # same event id
            self.assertEqual(c.calls.retrieve(call.id).webhook_status, "delivered")


if __name__ == "__main__":
    unittest.main()
