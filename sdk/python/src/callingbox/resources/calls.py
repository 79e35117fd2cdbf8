"""``client.calls`` — ``/v1/calls``."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Union

from .._objects import Page
from ..types import Call, CallEvent, Transcript
from ._base import APIResource, endpoint, fields, path_param

# A filter that names a value accepts several, sent comma-separated (api.md → Pagination).
Filter = Union[str, List[str], None]


class Calls(APIResource):
    @endpoint("POST", "/v1/calls", renames={"from_": "from_number"})
    def create(
        self,
        *,
        agent_id: str,
        to: str,
        from_: Optional[str] = None,
        instructions: Optional[str] = None,
        context: Any = None,
        webhook_url: Optional[str] = None,
        metadata: Optional[Dict[str, Any]] = None,
    ) -> Call:
        """Dispatch an outbound call with an outbound agent; the call starts ``queued``.
        ``from_`` is the API's ``from_number`` and must be attached to the agent.

        Example::

            call = client.calls.create(agent_id=agent.id, to="+14155550100", from_=number.e164)
        """
        body = fields(locals(), renames={"from_": "from_number"})
        return self._request("POST", "/v1/calls", body=body, cast=Call)

    @endpoint("GET", "/v1/calls/{id}")
    def retrieve(self, id: str) -> Call:
        """Example: ``call = client.calls.retrieve("call_...")``"""
        return self._request("GET", f"/v1/calls/{path_param(id)}", cast=Call)

    @endpoint("GET", "/v1/calls")
    def list(
        self,
        *,
        direction: Filter = None,
        agent_id: Filter = None,
        status: Filter = None,
        to_number: Filter = None,
        from_number: Filter = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Page[Call]:
        """One page of calls, newest first, inbound and outbound together. List-valued filters
        are sent comma-separated; ``created_after``/``created_before`` take ISO 8601 strings or
        ``datetime`` objects.

        Example: ``page = client.calls.list(direction="inbound", status=["completed", "failed"])``
        """
        return self._list("/v1/calls", fields(locals()), Call)

    @endpoint("GET", "/v1/calls")
    def iter_calls(
        self,
        *,
        direction: Filter = None,
        agent_id: Filter = None,
        status: Filter = None,
        to_number: Filter = None,
        from_number: Filter = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Iterator[Call]:
        """Every call matching the filters of :meth:`list`, across all pages (``limit`` is the
        page size). A generator: the next page is fetched only once the previous page has been
        consumed, so breaking out early costs no further requests.

        Example::

            for call in client.calls.iter_calls(direction="inbound"):
                print(call.id, call.to_number, call.result)
        """
        page = self.list(**fields(locals()))
        yield from page.auto_paging_iter()

    @endpoint("GET", "/v1/calls/{id}/transcript")
    def transcript(self, id: str) -> Transcript:
        """Example: ``for s in client.calls.transcript(call.id).segments: print(s.role, s.text)``"""
        return self._request("GET", f"/v1/calls/{path_param(id)}/transcript", cast=Transcript)

    @endpoint("GET", "/v1/calls/{id}/events")
    def events(self, id: str, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page[CallEvent]:
        """One page of the call's timeline, oldest first (``.auto_paging_iter()`` for all).

        Example: ``[e.type for e in client.calls.events(call.id)]``"""
        params = fields(locals(), exclude=("id",))
        return self._list(f"/v1/calls/{path_param(id)}/events", params, CallEvent)

    @endpoint("POST", "/v1/calls/{id}/hangup")
    def hangup(self, id: str) -> Call:
        """End a live call (``ended_by: "api"``); a queued or ringing one becomes ``canceled``.

        Example: ``client.calls.hangup(call.id)``"""
        return self._request("POST", f"/v1/calls/{path_param(id)}/hangup", body={}, cast=Call)

    @endpoint("POST", "/v1/calls/{id}/extract")
    def extract(self, id: str, *, returns: Optional[Dict[str, Any]] = None) -> Call:
        """Re-run extraction on the stored transcript (optionally with another schema, which
        then replaces the call's ``returns``). Synchronous: up to 60 s.

        Example: ``call = client.calls.extract(call.id, returns={"callback": "phone"})``"""
        body = fields(locals(), exclude=("id",))
        return self._request("POST", f"/v1/calls/{path_param(id)}/extract", body=body, cast=Call)

    @endpoint("DELETE", "/v1/calls/{id}")
    def redact(self, id: str) -> Call:
        """Erase a finished call's transcript, result, recording, context and metadata.

        Example: ``client.calls.redact(call.id)``"""
        return self._request("DELETE", f"/v1/calls/{path_param(id)}", cast=Call)

    @endpoint("GET", "/v1/calls/{id}/recording")
    def recording(self, id: str) -> bytes:
        """The call's recording as WAV bytes (a :class:`~callingbox.NotFoundError` when the call
        was not recorded).

        Example: ``open("call.wav", "wb").write(client.calls.recording(call.id))``"""
        return self._raw("GET", f"/v1/calls/{path_param(id)}/recording", accept="audio/wav, */*")
