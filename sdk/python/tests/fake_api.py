"""A small in-memory stand-in for the numbers, agents and calls routes of ``api.md``, enough to
run the examples in unit tests (the live server runs them in ``test/sdk-python.test.ts``)."""

from __future__ import annotations

import itertools
import re
from typing import Any, Dict, List

from _support import Reply, Req, error_body

AGENT_FIELDS = {
    "name", "type", "persona", "instructions", "voice", "language", "timezone", "returns", "tools",
    "webhook_url", "voicemail_action", "voicemail_message", "first_message", "settings",
    "number_ids", "primary_number_id",
}


class FakeApi:
    def __init__(self, api_key: str, calls: List[Dict[str, Any]]) -> None:
        self.api_key = api_key
        self.numbers: Dict[str, Dict[str, Any]] = {}
        self.agents: Dict[str, Dict[str, Any]] = {}
        self.calls = calls
        self._ids = itertools.count(1)

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}"

    def _agent_view(self, agent: Dict[str, Any]) -> Dict[str, Any]:
        numbers = [n for n in self.numbers.values() if n["id"] in agent["number_ids"]]
        view = {k: v for k, v in agent.items() if k != "number_ids"}
        return {**view, "numbers": numbers}

    def __call__(self, req: Req) -> Any:
        if req.headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(401, error_body("unauthorized", "Unknown API key."))
        body = req.json or {}
        m = re.fullmatch(r"/v1/agents/([^/]+)(?:/numbers(?:/([^/]+))?)?", req.path)
        if req.path == "/v1/numbers/available":
            area = req.query.get("area_code", "415")
            taken = {n["e164"] for n in self.numbers.values()}
            free = [f"+1{area}5550{i}" for i in range(100, 190) if f"+1{area}5550{i}" not in taken]
            return [{"phone_number": p, "country_code": "US"} for p in free[: int(req.query.get("limit", "20"))]]
        if req.path == "/v1/numbers/purchase":
            number = {"id": self._id("pn"), "e164": body["phone_number"], "status": "active", "inbound_agent_id": None}
            self.numbers[number["id"]] = number
            return Reply(201, number)
        if req.path == "/v1/agents" and req.method == "POST":
            unknown = set(body) - AGENT_FIELDS
            if unknown:
                return Reply(400, error_body("invalid_request", "unknown field", sorted(unknown)[0]))
            agent = {"id": self._id("ag"), "version": 1, "number_ids": [], **body}
            agent.setdefault("number_ids", [])
            for nid in agent["number_ids"]:
                self.numbers[nid]["inbound_agent_id"] = agent["id"]
            self.agents[agent["id"]] = agent
            return Reply(201, self._agent_view(agent))
        if m and m.group(1) in self.agents:
            agent = self.agents[m.group(1)]
            if req.method == "PATCH":
                agent.update(body)
                agent["version"] += 1
            elif req.method == "POST":  # attach
                owner = self.numbers[body["number_id"]]["inbound_agent_id"]
                if owner not in (None, agent["id"]):
                    return Reply(409, error_body("conflict", f"Number is answered by {owner}.", "number_id"))
                agent["number_ids"].append(body["number_id"])
                self.numbers[body["number_id"]]["inbound_agent_id"] = agent["id"]
            elif req.method == "DELETE" and m.group(2):
                agent["number_ids"].remove(m.group(2))
                self.numbers[m.group(2)]["inbound_agent_id"] = None
            return self._agent_view(agent)
        if req.path == "/v1/calls":
            start = int(req.query.get("cursor", "0"))
            limit = int(req.query.get("limit", "50"))
            headers = {"CallingBox-Next-Cursor": str(start + limit)} if start + limit < len(self.calls) else {}
            return Reply(200, self.calls[start : start + limit], headers)
        return Reply(404, error_body("not_found", f"No route {req.method} {req.path}."))
