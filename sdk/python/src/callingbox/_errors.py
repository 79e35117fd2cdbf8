"""The error hierarchy: one class per HTTP status the API documents, plus transport failures.

Every error raised by a request is an :class:`APIError`, so ``except callingbox.APIError`` catches
them all; the subclasses let callers react to one kind (``except callingbox.NotFoundError``).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Type


class CallingboxError(Exception):
    """Base of every exception this package raises (also for configuration problems)."""


class APIError(CallingboxError):
    """A request failed. ``status`` is None when no HTTP response arrived.

    Attributes mirror the error body ``{"error", "code", "param"}`` of ``api.md``:
    ``message`` (the server's sentence), ``code`` (machine code such as ``"not_found"``),
    ``param`` (the dotted path of the offending field), ``request_id`` (from the response
    headers when the server sends one), ``body`` (the parsed body) and ``headers``.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        param: Optional[str] = None,
        request_id: Optional[str] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.param = param
        self.request_id = request_id
        self.body = body
        self.headers = dict(headers or {})

    @property
    def status_code(self) -> Optional[int]:
        """Alias of ``status`` for code written against other SDKs."""
        return self.status

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(str(self.status))
        if self.code:
            parts.append(self.code)
        prefix = " ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.param:
            text += f" (param: {self.param})"
        if self.request_id:
            text += f" [request {self.request_id}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"param={self.param!r}, message={self.message!r})"
        )


class BadRequestError(APIError):
    """400 ``invalid_request``: malformed JSON, wrong types, missing or unknown fields."""


class AuthenticationError(APIError):
    """401 ``unauthorized``: missing, malformed, unknown, revoked or expired key."""


class PermissionDeniedError(APIError):
    """403: the key may not do this."""


class NotFoundError(APIError):
    """404 ``not_found``: no such id in this organisation."""


class ConflictError(APIError):
    """409 ``conflict`` (or ``idempotency_conflict`` / ``idempotency_in_progress``)."""


class PayloadTooLargeError(APIError):
    """413 ``payload_too_large``: body over 1 MiB."""


class UnprocessableEntityError(APIError):
    """422 ``unprocessable``: a valid shape but an impossible request."""


class RateLimitError(APIError):
    """429 ``rate_limited``: the per-key limit was exceeded (after the SDK's own retries)."""


class InternalServerError(APIError):
    """5xx, including 502 ``carrier_error`` (after the SDK's own retries)."""


class APIConnectionError(APIError):
    """No HTTP response: the connection was refused, reset or could not be made."""

    def __init__(self, message: str = "Could not connect to the CallingBox API.", **kw: Any) -> None:
        super().__init__(message, **kw)


class APITimeoutError(APIConnectionError):
    """The request timed out before a response arrived."""

    def __init__(self, message: str = "The request to the CallingBox API timed out.", **kw: Any) -> None:
        super().__init__(message, **kw)


class WebhookVerificationError(BadRequestError):
    """A webhook's ``CallingBox-Signature`` is missing, malformed, wrong or too old."""

    def __init__(self, message: str, *, code: str = "invalid_signature") -> None:
        super().__init__(message, status=400, code=code)


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> Type[APIError]:
    """The class that stands for an HTTP status (unlisted 4xx fall back to :class:`APIError`)."""
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIError)


def error_from_response(
    status: int, body: Any, headers: Mapping[str, str], request_id: Optional[str]
) -> APIError:
    """Build the typed error for a non-2xx response whose body was already parsed."""
    message: Optional[str] = None
    code: Optional[str] = None
    param: Optional[str] = None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, str):
            message = err
        elif isinstance(err, dict):  # tolerate {"error": {"message", "code", "param"}} too
            message = err.get("message") if isinstance(err.get("message"), str) else None
            code = err.get("code") if isinstance(err.get("code"), str) else None
            param = err.get("param") if isinstance(err.get("param"), str) else None
        if isinstance(body.get("message"), str) and message is None:
            message = body["message"]
        if isinstance(body.get("code"), str):
            code = body["code"]
        if isinstance(body.get("param"), str):
            param = body["param"]
        if request_id is None and isinstance(body.get("request_id"), str):
            request_id = body["request_id"]
    elif isinstance(body, str) and body.strip():
        message = body.strip()[:500]
    if not message:
        message = f"The CallingBox API answered HTTP {status}."
    cls = error_class_for_status(status)
    return cls(
        message,
        status=status,
        code=code,
        param=param,
        request_id=request_id,
        body=body,
        headers=headers,
    )
