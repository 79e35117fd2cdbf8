"""``client.agents`` — ``/v1/agents``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .._objects import Page
from ..types import Agent, AgentVersion
from ._base import NOT_GIVEN, APIResource, endpoint, fields, path_param


class Agents(APIResource):
    @endpoint("POST", "/v1/agents")
    def create(
        self,
        *,
        name: str,
        type: str,
        persona: Optional[str] = None,
        instructions: Optional[str] = None,
        voice: Optional[str] = None,
        language: Optional[str] = None,
        timezone: Optional[str] = None,
        returns: Optional[Dict[str, Any]] = None,
        tools: Optional[List[Dict[str, Any]]] = None,
        webhook_url: Optional[str] = None,
        voicemail_action: Optional[str] = None,
        voicemail_message: Optional[str] = None,
        first_message: Optional[str] = None,
        settings: Optional[Dict[str, Any]] = None,
        number_ids: Optional[List[str]] = None,
        primary_number_id: Optional[str] = None,
    ) -> Agent:
        """Create an agent (``type`` is ``"inbound"`` or ``"outbound"`` and never changes).

        Example::

            agent = client.agents.create(
                name="Front desk", type="inbound", instructions="Book a table.",
                returns={"party_size": "integer", "date": "date"}, number_ids=[number.id],
            )
        """
        return self._request("POST", "/v1/agents", body=fields(locals()), cast=Agent)

    @endpoint("GET", "/v1/agents/{id}")
    def retrieve(self, id: str) -> Agent:
        """Example: ``agent = client.agents.retrieve("ag_...")``"""
        return self._request("GET", f"/v1/agents/{path_param(id)}", cast=Agent)

    @endpoint("GET", "/v1/agents")
    def list(
        self,
        *,
        type: Optional[str] = None,
        include_archived: bool = False,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Page[Agent]:
        """One page of agents, newest first. Example: ``client.agents.list(type="inbound")``;
        ``.auto_paging_iter()`` on the page walks every page."""
        params = {"type": type, "include_archived": include_archived or None, "limit": limit, "cursor": cursor}
        return self._list("/v1/agents", params, Agent)

    @endpoint("PATCH", "/v1/agents/{id}")
    def update(
        self,
        id: str,
        *,
        name: str = NOT_GIVEN,
        persona: Optional[str] = NOT_GIVEN,
        instructions: Optional[str] = NOT_GIVEN,
        voice: Optional[str] = NOT_GIVEN,
        language: str = NOT_GIVEN,
        timezone: str = NOT_GIVEN,
        returns: Optional[Dict[str, Any]] = NOT_GIVEN,
        tools: List[Dict[str, Any]] = NOT_GIVEN,
        webhook_url: Optional[str] = NOT_GIVEN,
        voicemail_action: str = NOT_GIVEN,
        voicemail_message: Optional[str] = NOT_GIVEN,
        first_message: Optional[str] = NOT_GIVEN,
        settings: Optional[Dict[str, Any]] = NOT_GIVEN,
        primary_number_id: Optional[str] = NOT_GIVEN,
    ) -> Agent:
        """Change some fields; the next call uses the new version. ``None`` clears a field, and
        ``settings`` is a JSON merge patch (a ``None`` value removes that key).

        Example: ``client.agents.update(agent.id, instructions="Also take callback numbers.")``
        """
        body = fields(locals(), exclude=("id",), keep_none=True)
        return self._request("PATCH", f"/v1/agents/{path_param(id)}", body=body, cast=Agent)

    @endpoint("DELETE", "/v1/agents/{id}")
    def archive(self, id: str) -> Agent:
        """Archive the agent: it detaches its numbers, answers no call and keeps its calls.

        Example: ``client.agents.archive(agent.id)``"""
        return self._request("DELETE", f"/v1/agents/{path_param(id)}", cast=Agent)

    @endpoint("POST", "/v1/agents/{id}/numbers")
    def attach_number(self, id: str, *, number_id: str, set_as_primary: bool = False) -> Agent:
        """Attach a number; it routes to this agent at once. A number answered by another
        inbound agent is a :class:`~callingbox.ConflictError`.

        Example: ``client.agents.attach_number(agent.id, number_id=number.id)``"""
        body: Dict[str, Any] = {"number_id": number_id}
        if set_as_primary:
            body["set_as_primary"] = True
        return self._request("POST", f"/v1/agents/{path_param(id)}/numbers", body=body, cast=Agent)

    @endpoint("DELETE", "/v1/agents/{id}/numbers/{number_id}", location="none")
    def detach_number(self, id: str, *, number_id: str) -> Agent:
        """Detach a number (it stops routing to this agent at once).

        Example: ``client.agents.detach_number(agent.id, number_id=number.id)``"""
        return self._request("DELETE", f"/v1/agents/{path_param(id)}/numbers/{path_param(number_id)}", cast=Agent)

    @endpoint("PUT", "/v1/agents/{id}/primary-number")
    def set_primary_number(self, id: str, *, number_id: str) -> Agent:
        """Make an attached number the agent's primary (its default caller id).

        Example: ``client.agents.set_primary_number(agent.id, number_id=number.id)``"""
        return self._request(
            "PUT", f"/v1/agents/{path_param(id)}/primary-number", body={"number_id": number_id}, cast=Agent
        )

    @endpoint("GET", "/v1/agents/{id}/versions")
    def versions(self, id: str) -> Page[AgentVersion]:
        """Every version of the agent's configuration, newest first.

        Example: ``[v.version for v in client.agents.versions(agent.id)]``"""
        return self._list(f"/v1/agents/{path_param(id)}/versions", {}, AgentVersion)
