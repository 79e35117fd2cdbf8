"""Smaller resources: ``sip_trunks``, ``api_keys``, ``web_calls``, ``voices``, ``usage``."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from .._objects import Page
from ..types import ApiKey, SipTrunk, Usage, Voice, WebCall
from ._base import NOT_GIVEN, APIResource, endpoint, fields, path_param


class SipTrunks(APIResource):
    @endpoint("POST", "/v1/sip_trunks")
    def create(
        self,
        *,
        name: str,
        inbound_addresses: Optional[List[str]] = None,
        auth_username: Optional[str] = None,
        auth_password: Optional[str] = None,
        outbound_uri: Optional[str] = None,
    ) -> SipTrunk:
        """Register a SIP trunk (``auth_password`` is write-only).

        Example: ``client.sip_trunks.create(name="Carrier", inbound_addresses=["203.0.113.0/24"],
        outbound_uri="sip:carrier.example:5060")``"""
        return self._request("POST", "/v1/sip_trunks", body=fields(locals()), cast=SipTrunk)

    @endpoint("GET", "/v1/sip_trunks")
    def list(self, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page[SipTrunk]:
        """Example: ``[t.name for t in client.sip_trunks.list()]``"""
        return self._list("/v1/sip_trunks", fields(locals()), SipTrunk)

    @endpoint("GET", "/v1/sip_trunks/{id}")
    def retrieve(self, id: str) -> SipTrunk:
        """Example: ``client.sip_trunks.retrieve("trk_...")``"""
        return self._request("GET", f"/v1/sip_trunks/{path_param(id)}", cast=SipTrunk)

    @endpoint("PATCH", "/v1/sip_trunks/{id}")
    def update(
        self,
        id: str,
        *,
        name: str = NOT_GIVEN,
        inbound_addresses: List[str] = NOT_GIVEN,
        auth_username: Optional[str] = NOT_GIVEN,
        auth_password: Optional[str] = NOT_GIVEN,
        outbound_uri: Optional[str] = NOT_GIVEN,
    ) -> SipTrunk:
        """Example: ``client.sip_trunks.update(trunk.id, outbound_uri="sip:other.example")``"""
        body = fields(locals(), exclude=("id",), keep_none=True)
        return self._request("PATCH", f"/v1/sip_trunks/{path_param(id)}", body=body, cast=SipTrunk)

    @endpoint("DELETE", "/v1/sip_trunks/{id}")
    def delete(self, id: str) -> SipTrunk:
        """Delete a trunk (a :class:`~callingbox.ConflictError` while numbers use it).

        Example: ``client.sip_trunks.delete(trunk.id)``"""
        return self._request("DELETE", f"/v1/sip_trunks/{path_param(id)}", cast=SipTrunk)


class ApiKeys(APIResource):
    @endpoint("POST", "/v1/api_keys")
    def create(self, *, name: str, expires_at: Any = None) -> ApiKey:
        """Create a key; ``secret`` is in this response only.

        Example: ``secret = client.api_keys.create(name="ci").secret``"""
        return self._request("POST", "/v1/api_keys", body=fields(locals()), cast=ApiKey)

    @endpoint("GET", "/v1/api_keys")
    def list(self, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page[ApiKey]:
        """Example: ``[k.prefix for k in client.api_keys.list()]``"""
        return self._list("/v1/api_keys", fields(locals()), ApiKey)

    @endpoint("DELETE", "/v1/api_keys/{id}")
    def revoke(self, id: str) -> ApiKey:
        """Revoke a key at once (it then answers 401).

        Example: ``client.api_keys.revoke(key.id)``"""
        return self._request("DELETE", f"/v1/api_keys/{path_param(id)}", cast=ApiKey)


class WebCalls(APIResource):
    @endpoint("POST", "/v1/web_calls")
    def create(self, *, agent_id: str, metadata: Optional[Dict[str, Any]] = None) -> WebCall:
        """A browser call to an inbound agent: ``url`` and a one-time ``token`` valid for 60 s.

        Example: ``web = client.web_calls.create(agent_id=agent.id)``"""
        return self._request("POST", "/v1/web_calls", body=fields(locals()), cast=WebCall)


class Voices(APIResource):
    @endpoint("GET", "/v1/voices")
    def list(self) -> Page[Voice]:
        """Every voice of every configured TTS provider (``id`` is ``<provider>:<voice>``).

        Example: ``[v.id for v in client.voices.list()]``"""
        return self._list("/v1/voices", {}, Voice)


class UsageResource(APIResource):
    @endpoint("GET", "/v1/usage", renames={"from_": "from"})
    def retrieve(self, *, from_: Any = None, to: Any = None) -> Usage:
        """Metered usage per UTC day and direction; ``from_``/``to`` are ``YYYY-MM-DD`` strings
        or ``date`` objects, both inclusive (default: the last 30 days).

        Example: ``for day in client.usage.retrieve(from_="2026-11-01").data: print(day.minutes)``"""
        params = fields(locals(), renames={"from_": "from"})
        return self._request("GET", "/v1/usage", params=params, cast=Usage)
