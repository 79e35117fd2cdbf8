"""The HTTP layer: one request with retries, typed errors and an Idempotency-Key (urllib only).

Retries (``sdk.md``): 429, 5xx, ``409 idempotency_in_progress`` and connection failures are
retried ``max_retries`` times (2 by default) with exponential backoff and jitter, waiting what
``Retry-After`` asks when the server sends it. Every POST carries an ``Idempotency-Key`` generated
once and reused by each retry, so a retried POST never repeats its effect (``api.md``).
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Mapping, Optional

from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    error_from_response,
)
from ._version import __version__

DEFAULT_TIMEOUT_S = 90.0  # POST /v1/calls/{id}/extract may run up to 60 s on the server.
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY_S = 0.5
MAX_RETRY_DELAY_S = 8.0
# A Retry-After longer than this is not waited for: the error is raised for the caller to decide.
MAX_RETRY_AFTER_S = 60.0
REQUEST_ID_HEADERS = ("callingbox-request-id", "x-request-id", "request-id")


class Response:
    """A finished HTTP response: status, lower-cased headers and the body bytes."""

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body.decode("utf-8"))


def encode_query_value(value: Any) -> str:
    """Query values as the API reads them: booleans in lower case, lists comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(encode_query_value(v) for v in value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
            return value.isoformat(timespec="milliseconds") + "Z"
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def encode_query(params: Optional[Mapping[str, Any]]) -> str:
    if not params:
        return ""
    pairs = [(k, encode_query_value(v)) for k, v in params.items() if v is not None]
    return urllib.parse.urlencode(pairs)


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return encode_query_value(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def parse_retry_after(value: Optional[str], now: Callable[[], float] = time.time) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())


class HttpClient:
    """Sends requests to one base URL with one API key."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Optional[Mapping[str, str]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers = dict(default_headers or {})
        self._sleep = sleep
        self._opener = urllib.request.build_opener()

    # -- public -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        has_body: bool = False,
        headers: Optional[Mapping[str, str]] = None,
        stream: bool = False,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Send a request and return a :class:`Response` (or, with ``stream=True``, the open
        ``http.client.HTTPResponse`` of a 2xx answer). Raises :class:`APIError` subclasses."""
        url = self.base_url + path
        query = encode_query(params)
        if query:
            url += ("&" if "?" in url else "?") + query
        all_headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "text/event-stream" if stream else "application/json",
            "User-Agent": f"callingbox-python/{__version__}",
        }
        all_headers.update(self.default_headers)
        data: Optional[bytes] = None
        if has_body:
            data = json.dumps(body, default=_json_default).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if method.upper() == "POST":
            # One key for the request and all its retries: the server answers a retry with the
            # first response instead of repeating the effect.
            all_headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        if headers:
            all_headers.update(headers)

        attempt = 0
        while True:
            try:
                result = self._send(method.upper(), url, data, all_headers, stream, timeout or self.timeout)
            except APIConnectionError:
                if attempt >= self.max_retries:
                    raise
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            if isinstance(result, Response) and result.status >= 300:
                error = self._error(result)
                delay = self._retry_delay(result, error, attempt)
                if delay is None:
                    raise error
                self._sleep(delay)
                attempt += 1
                continue
            return result

    # -- internals --------------------------------------------------------------------------

    def _send(
        self, method: str, url: str, data: Optional[bytes], headers: Dict[str, str], stream: bool, timeout: float
    ) -> Any:
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            resp = self._opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            try:
                body = e.read()
            except (OSError, http.client.HTTPException):
                body = b""
            finally:
                e.close()
            return Response(e.code, dict(e.headers.items()) if e.headers else {}, body)
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise APITimeoutError() from e
            raise APIConnectionError(f"Could not connect to the CallingBox API at {url}: {e.reason}") from e
        except (socket.timeout, TimeoutError) as e:
            raise APITimeoutError() from e
        except (OSError, http.client.HTTPException) as e:
            raise APIConnectionError(f"Connection to the CallingBox API failed: {e}") from e
        if stream and 200 <= resp.status < 300:
            return resp
        try:
            body = resp.read()
        except (socket.timeout, TimeoutError) as e:
            raise APITimeoutError() from e
        except (OSError, http.client.HTTPException) as e:
            raise APIConnectionError(f"Connection to the CallingBox API failed: {e}") from e
        finally:
            resp.close()
        return Response(resp.status, dict(resp.headers.items()), body)

    def _error(self, resp: Response) -> APIError:
        try:
            body: Any = resp.json()
        except ValueError:
            body = resp.body.decode("utf-8", "replace")
        request_id = next((resp.headers[h] for h in REQUEST_ID_HEADERS if h in resp.headers), None)
        return error_from_response(resp.status, body, resp.headers, request_id)

    def _retry_delay(self, resp: Response, error: APIError, attempt: int) -> Optional[float]:
        """Seconds to wait before retrying, or None when the error must be raised now."""
        if attempt >= self.max_retries:
            return None
        retryable = (
            resp.status == 429
            or resp.status >= 500
            or (resp.status == 409 and error.code == "idempotency_in_progress")
        )
        if not retryable:
            return None
        retry_after = parse_retry_after(resp.header("retry-after"))
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER_S else None
        return self._backoff(attempt)

    @staticmethod
    def _backoff(attempt: int) -> float:
        delay = min(INITIAL_RETRY_DELAY_S * (2**attempt), MAX_RETRY_DELAY_S)
        return delay * (1 - 0.25 * random.random())
