"""``client.events.stream()`` — Server-Sent Events from ``GET /v1/events/stream``."""

from __future__ import annotations

import http.client
import json
import socket
from typing import IO, Any, Dict, Iterator, List, Optional

from .._errors import APIConnectionError
from ..types import StreamEvent
from ._base import APIResource, endpoint


def parse_sse(lines: Iterator[bytes]) -> Iterator[Dict[str, Any]]:
    """Messages of an SSE byte stream (WHATWG HTML §9.2.6): ``{"id", "event", "data"}`` with
    ``data`` as text. Comment lines (``:``, the server's keep-alive) are skipped; a message is
    dispatched at a blank line; a message without data is dropped."""
    event: Optional[str] = None
    data: List[str] = []
    last_id: Optional[str] = None
    for raw in lines:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data:
                yield {"id": last_id, "event": event or "message", "data": "\n".join(data)}
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id" and "\0" not in value:
            last_id = value  # the id persists across messages until the server sends another


class Events(APIResource):
    #: The server sends a keep-alive comment every 15 s (api.md → Live events); three missed in a
    #: row mean the connection is dead even if the socket does not know it yet: reconnect.
    IDLE_TIMEOUT_S = 45.0

    @endpoint("GET", "/v1/events/stream", location="none", sdk_only=("last_event_id", "reconnect"))
    def stream(self, *, last_event_id: Optional[str] = None, reconnect: bool = True) -> Iterator[StreamEvent]:
        """A generator over the organisation's live call events. Each item has ``id`` (the call
        event id), ``event``, ``type``, ``created``, ``api_version`` and ``data`` (``data.call``).

        With ``last_event_id`` the server first replays what came after it (events are kept
        24 h). When the connection drops, or stays silent for 45 s (three missed keep-alives),
        the generator reconnects with the last id it saw (``max_retries`` times in a row before
        raising); ``reconnect=False`` ends it instead.
        Close it (``gen.close()`` or leaving a ``with closing(...)``) to disconnect.

        Example::

            for event in client.events.stream():
                print(event.type, event.data.call.id)
        """
        failures = 0
        while True:
            headers = {"Last-Event-ID": last_event_id} if last_event_id else None
            idle_timeout = min(self._client.timeout, self.IDLE_TIMEOUT_S)
            resp = self._client._http.request(
                "GET", "/v1/events/stream", headers=headers, stream=True, timeout=idle_timeout
            )
            got_any = False
            try:
                for message in parse_sse(_read_lines(resp)):
                    got_any = True
                    failures = 0
                    if message["id"]:
                        last_event_id = message["id"]
                    yield _to_event(message)
            except APIConnectionError:
                if not reconnect:
                    raise
            finally:
                resp.close()
            if not reconnect:
                return
            failures = 0 if got_any else failures + 1
            if failures > self._client.max_retries:
                raise APIConnectionError("The event stream closed repeatedly without sending an event.")
            if failures:
                self._client._http._sleep(self._client._http._backoff(failures - 1))


def _read_lines(resp: IO[bytes]) -> Iterator[bytes]:
    while True:
        try:
            line = resp.readline()
        except (socket.timeout, TimeoutError, OSError, http.client.HTTPException, ValueError) as e:
            raise APIConnectionError(f"The event stream was interrupted: {e}") from e
        if not line:
            return
        yield line


def _to_event(message: Dict[str, Any]) -> StreamEvent:
    try:
        payload = json.loads(message["data"])
    except ValueError:
        payload = {"data": message["data"]}
    if not isinstance(payload, dict):
        payload = {"data": payload}
    event = StreamEvent(payload)
    if message["id"]:
        event["id"] = message["id"]
    event.setdefault("id", None)
    event["event"] = message["event"]
    event.setdefault("type", message["event"])
    return event
