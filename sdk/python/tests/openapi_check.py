"""Compares the SDK's methods with an OpenAPI document (``GET /v1/openapi.json``).

Every method marked with ``@endpoint`` names its operation; its keyword arguments (after the
renames ``from_`` → ``from_number`` / ``from``, without path parameters and SDK-only options) must
equal the properties of the operation's JSON request body, or its query parameters. Operations
of the document that no SDK method calls are reported too, so a new route cannot go unnoticed.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import urllib.request
from typing import Any, Dict, List, Optional, Set, Tuple

import callingbox
from callingbox.resources._base import ENDPOINT_ATTR, Endpoint

# Operations that are not for API clients (the dashboard's session sign-in) or not resources.
NOT_IN_SDK = {
    ("GET", "/v1/health"),
    ("GET", "/v1/openapi.json"),
    ("POST", "/v1/sessions"),
    ("DELETE", "/v1/sessions/current"),
}


def load_document() -> Optional[Dict[str, Any]]:
    """The document from ``CALLINGBOX_OPENAPI_JSON`` (a file) or a live server at
    ``CALLINGBOX_TEST_BASE_URL``; None when neither is set."""
    path = os.environ.get("CALLINGBOX_OPENAPI_JSON")
    base = os.environ.get("CALLINGBOX_TEST_BASE_URL")
    if path:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    elif base:
        with urllib.request.urlopen(base.rstrip("/") + "/v1/openapi.json", timeout=30) as resp:
            doc = json.load(resp)
    else:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        raise AssertionError(f"Not an OpenAPI document (no 'paths'): {json.dumps(doc)[:300]}")
    return doc


def sdk_methods() -> List[Tuple[str, str, Any, Endpoint]]:
    """(resource attribute, method name, function, endpoint) of every marked method."""
    client = callingbox.Callingbox(api_key="sk_live_inspect", base_url="http://localhost:1")
    out = []
    for attr, resource in sorted(vars(client).items()):
        if attr.startswith("_") or not hasattr(resource, "_client"):
            continue
        for name, fn in inspect.getmembers(type(resource), inspect.isfunction):
            ep = getattr(fn, ENDPOINT_ATTR, None)
            if ep is not None:
                out.append((attr, name, fn, ep))
    return out


def sdk_fields(fn: Any, ep: Endpoint) -> Set[str]:
    path_params = set(re.findall(r"{(\w+)}", ep.path))
    names = set()
    for param in inspect.signature(fn).parameters.values():
        if param.name == "self" or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if param.name in path_params or param.name in ep.sdk_only:
            continue
        names.add(ep.renames.get(param.name, param.name))
    return names


def _resolve(doc: Dict[str, Any], schema: Dict[str, Any]) -> Dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        node: Any = doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def schema_properties(doc: Dict[str, Any], schema: Dict[str, Any]) -> Set[str]:
    schema = _resolve(doc, schema)
    props = set(schema.get("properties", {}))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            props |= schema_properties(doc, sub)
    return props


def api_fields(doc: Dict[str, Any], op: Dict[str, Any], location: str) -> Set[str]:
    if location == "body":
        body = op.get("requestBody")
        if not body:
            return set()
        body = _resolve(doc, body)
        content = body.get("content", {}).get("application/json")
        return schema_properties(doc, content["schema"]) if content else set()
    params = [_resolve(doc, p) for p in op.get("parameters", [])]
    return {p["name"] for p in params if p.get("in") == "query"}


def compare(doc: Dict[str, Any], missing: Optional[List[str]] = None) -> List[str]:
    """Every difference between the SDK and the document, as sentences; empty when they agree.

    SDK methods whose operation the document lacks are problems too, unless ``missing`` is a list:
    then they go there instead (a server still being built lacks routes the spec names, and the
    SDK follows the spec)."""
    problems: List[str] = []
    covered: Set[Tuple[str, str]] = set()
    paths = doc.get("paths", {})
    for attr, name, fn, ep in sdk_methods():
        label = f"client.{attr}.{name}"
        covered.add((ep.method, ep.path))
        op = paths.get(ep.path, {}).get(ep.method.lower())
        if op is None:
            (problems if missing is None else missing).append(f"{label}: the server has no operation {ep.method} {ep.path}")
            continue
        ours = sdk_fields(fn, ep)
        if ep.location == "none":
            theirs = api_fields(doc, op, "query") | api_fields(doc, op, "body")
        else:
            theirs = api_fields(doc, op, ep.location)
        if ours - theirs:
            problems.append(f"{label}: sends {sorted(ours - theirs)} that {ep.method} {ep.path} does not accept")
        if theirs - ours:
            problems.append(f"{label}: lacks {sorted(theirs - ours)} that {ep.method} {ep.path} accepts")
    for path, ops in paths.items():
        for method in ops:
            key = (method.upper(), path)
            if method.lower() in ("get", "post", "put", "patch", "delete") and key not in covered and key not in NOT_IN_SDK:
                problems.append(f"no SDK method calls {key[0]} {path}")
    return problems
