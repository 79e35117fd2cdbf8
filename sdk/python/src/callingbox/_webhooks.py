"""Webhook signature verification (``webhooks.md`` → Signature).

Header: ``CallingBox-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`` where each ``v1`` is the
lowercase hex HMAC-SHA256, keyed with the signing secret, of ``f"{t}.{raw body}"``. A request is
accepted when any ``v1`` matches (compared in constant time) and ``|now - t| <= tolerance``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Callable, List, Mapping, Optional, Tuple, Union

from ._errors import WebhookVerificationError
from .types import WebhookEvent

SIGNATURE_HEADER = "CallingBox-Signature"
DEFAULT_TOLERANCE_S = 300  # webhooks.md: reject when |now − t| > 300 s (replay window)

Payload = Union[bytes, bytearray, str]


def _payload_bytes(payload: Any) -> bytes:
    if isinstance(payload, (bytes, bytearray)):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    raise TypeError(
        "payload must be the raw request body (bytes or str), not parsed JSON: re-serialising "
        "changes the bytes and the signature no longer matches."
    )


def _header_value(sig_header: Any) -> Optional[str]:
    if sig_header is None or isinstance(sig_header, str):
        return sig_header
    if isinstance(sig_header, bytes):
        return sig_header.decode("latin-1")
    if isinstance(sig_header, Mapping):  # a whole headers mapping: look the header up
        for key, value in sig_header.items():
            if str(key).lower() == SIGNATURE_HEADER.lower():
                return value if isinstance(value, str) else None
        return None
    raise TypeError("sig_header must be the CallingBox-Signature header value (str)")


def parse_signature_header(header: str) -> Tuple[int, List[str]]:
    """``(t, [v1, …])`` from a header; raises :class:`WebhookVerificationError` when malformed."""
    timestamp: Optional[int] = None
    signatures: List[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookVerificationError(
                    "The CallingBox-Signature timestamp is not an integer.", code="invalid_signature"
                ) from None
        elif key == "v1" and value:
            signatures.append(value.lower())
    if timestamp is None:
        raise WebhookVerificationError("The CallingBox-Signature header has no timestamp (t=).")
    if not signatures:
        raise WebhookVerificationError("The CallingBox-Signature header has no v1 signature.")
    return timestamp, signatures


def compute_signature(payload: Payload, secret: str, timestamp: int) -> str:
    """The ``v1`` value for a body signed at ``timestamp``."""
    signed = str(int(timestamp)).encode("ascii") + b"." + _payload_bytes(payload)
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


class Webhooks:
    """Verifies webhook requests. Reached as ``Callingbox.webhooks``, ``client.webhooks`` or
    ``callingbox.webhooks``; needs no API key."""

    DEFAULT_TOLERANCE_S = DEFAULT_TOLERANCE_S

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self._now = now

    def verify_header(
        self,
        payload: Payload,
        sig_header: Optional[str],
        secret: str,
        tolerance: Optional[float] = DEFAULT_TOLERANCE_S,
    ) -> None:
        """Raise :class:`~callingbox.WebhookVerificationError` (a ``BadRequestError``) unless the
        header signs ``payload`` with ``secret`` within ``tolerance`` seconds (None: no limit)."""
        body = _payload_bytes(payload)
        header = _header_value(sig_header)
        if not header:
            raise WebhookVerificationError("No CallingBox-Signature header.", code="missing_signature")
        if not secret:
            raise WebhookVerificationError("No webhook signing secret was given.", code="missing_secret")
        timestamp, signatures = parse_signature_header(header)
        expected = compute_signature(body, secret, timestamp)
        # Compare with every candidate (no early exit) so timing tells nothing about which matched.
        matched = False
        for candidate in signatures:
            if hmac.compare_digest(expected.encode("ascii"), candidate.encode("ascii", "replace")):
                matched = True
        if not matched:
            raise WebhookVerificationError(
                "No CallingBox-Signature v1 value matches this payload and secret.", code="invalid_signature"
            )
        if tolerance is not None and abs(self._now() - timestamp) > tolerance:
            raise WebhookVerificationError(
                f"The CallingBox-Signature timestamp is more than {tolerance:g} s away from now.",
                code="stale_signature",
            )

    def construct_event(
        self,
        payload: Payload,
        sig_header: Optional[str],
        secret: str,
        tolerance: Optional[float] = DEFAULT_TOLERANCE_S,
    ) -> WebhookEvent:
        """Verify a webhook request and return its event (``.id``, ``.type``, ``.data.call``).

        Pass the raw body, not parsed JSON. Raises :class:`~callingbox.WebhookVerificationError`
        (a :class:`~callingbox.BadRequestError`) for a missing, malformed, wrong or stale signature.

        Example::

            event = Callingbox.webhooks.construct_event(
                payload=request.get_data(), sig_header=request.headers.get("CallingBox-Signature"),
                secret=os.environ["CALLINGBOX_WEBHOOK_SECRET"],
            )
            if event.type == "call.completed":
                print(event.data.call.result)
        """
        self.verify_header(payload, sig_header, secret, tolerance)
        try:
            data = json.loads(_payload_bytes(payload).decode("utf-8"))
        except ValueError:
            raise WebhookVerificationError("The webhook payload is not JSON.", code="invalid_payload") from None
        if not isinstance(data, dict):
            raise WebhookVerificationError("The webhook payload is not a JSON object.", code="invalid_payload")
        return WebhookEvent(data)

    def generate_header(self, payload: Payload, secret: str, timestamp: Optional[int] = None) -> str:
        """A valid ``CallingBox-Signature`` value, for testing your own webhook handler."""
        t = int(self._now()) if timestamp is None else int(timestamp)
        return f"t={t},v1={compute_signature(payload, secret, t)}"
