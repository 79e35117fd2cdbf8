"""What every resource shares: the request helpers, list pages and endpoint metadata.

Each public method is marked with :func:`endpoint`, naming the HTTP operation it calls and where
its keyword arguments go (JSON body or query string). A unit test reads these marks and compares
every method's keyword arguments with the request schemas of ``GET /v1/openapi.json``, so the SDK
cannot drift from the server unnoticed (``sdk.md``).
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Mapping, NamedTuple, Optional, Tuple, Type, TypeVar

from .._objects import CallingboxObject, Page, convert

if TYPE_CHECKING:
    from .._client import Callingbox

F = TypeVar("F", bound=Callable[..., Any])
O = TypeVar("O", bound=CallingboxObject)


class _NotGiven:
    """Marks a keyword argument that was not passed (distinct from an explicit ``None``,
    which a PATCH sends as JSON ``null`` to clear a field)."""

    _instance: Optional["_NotGiven"] = None

    def __new__(cls) -> "_NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


class Endpoint(NamedTuple):
    """The HTTP operation behind an SDK method."""

    method: str
    path: str  # OpenAPI template, e.g. "/v1/agents/{id}"
    location: str  # "body", "query" or "none": where the keyword arguments go
    renames: Mapping[str, str]  # SDK keyword → API field, e.g. {"from_": "from_number"}
    sdk_only: Tuple[str, ...]  # keywords that are not API fields (e.g. a header value)


ENDPOINT_ATTR = "__callingbox_endpoint__"


def endpoint(
    method: str,
    path: str,
    *,
    location: Optional[str] = None,
    renames: Optional[Mapping[str, str]] = None,
    sdk_only: Iterable[str] = (),
) -> Callable[[F], F]:
    if location is None:
        location = "query" if method in ("GET", "DELETE") else "body"

    def mark(fn: F) -> F:
        setattr(fn, ENDPOINT_ATTR, Endpoint(method, path, location, dict(renames or {}), tuple(sdk_only)))
        return fn

    return mark


def path_param(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"Expected a non-empty id string, got {value!r}")
    return urllib.parse.quote(value, safe="")


def fields(
    values: Mapping[str, Any],
    *,
    exclude: Iterable[str] = (),
    renames: Optional[Mapping[str, str]] = None,
    keep_none: bool = False,
) -> Dict[str, Any]:
    """The API fields from a method's ``locals()``: drops ``self``, path parameters and arguments
    not given; with ``keep_none`` an explicit ``None`` is kept (sent as ``null``)."""
    skip = {"self", *exclude}
    renames = renames or {}
    out: Dict[str, Any] = {}
    for name, value in values.items():
        if name in skip or value is NOT_GIVEN:
            continue
        if value is None and not keep_none:
            continue
        out[renames.get(name, name)] = value
    return out


class APIResource:
    def __init__(self, client: "Callingbox") -> None:
        self._client = client

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = NOT_GIVEN,
        cast: Type[O] = CallingboxObject,  # type: ignore[assignment]
    ) -> O:
        resp = self._client._http.request(
            method, path, params=params, body=None if body is NOT_GIVEN else body, has_body=body is not NOT_GIVEN
        )
        data = resp.json()
        return cast(data) if isinstance(data, dict) else cast({})

    def _raw(self, method: str, path: str, accept: str = "*/*") -> bytes:
        resp = self._client._http.request(method, path, headers={"Accept": accept})
        return bytes(resp.body)

    def _list(self, path: str, params: Mapping[str, Any], cast: Type[O]) -> "Page[O]":
        """One page of a list: a bare array (calls, numbers) or ``{data, has_more,
        next_cursor}``; the next cursor comes from the body or the ``CallingBox-Next-Cursor``
        header. The page knows how to fetch the following one with the same filters."""
        params = {k: v for k, v in params.items() if v is not None}
        resp = self._client._http.request("GET", path, params=params)
        payload = resp.json()
        header_cursor = resp.header("callingbox-next-cursor") or None
        has_more: Optional[bool] = None
        if isinstance(payload, dict):
            items = payload.get("data") or []
            next_cursor = payload.get("next_cursor") or header_cursor
            if isinstance(payload.get("has_more"), bool):
                has_more = payload["has_more"]
        else:
            items = payload if isinstance(payload, list) else []
            next_cursor = header_cursor

        def fetch_next(cursor: str) -> "Page[O]":
            return self._list(path, {**params, "cursor": cursor}, cast)

        objects = [cast(convert(item)) if isinstance(item, dict) else item for item in items]
        return Page(objects, next_cursor=next_cursor, has_more=has_more, fetch_next=fetch_next)
