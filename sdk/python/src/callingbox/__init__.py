"""CallingBox Python SDK.

Client style::

    from callingbox import Callingbox
    client = Callingbox()                     # or Callingbox(api_key=..., base_url=...)
    client.calls.create(agent_id=agent.id, to="+14155550100")

Module style (a default client built from the environment on first use)::

    import callingbox
    available = callingbox.numbers.search_available(area_code="415")
    number = callingbox.numbers.purchase(available[0].phone_number)

Set ``callingbox.api_key`` / ``callingbox.base_url`` before the first call to override the
environment for the default client.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Optional

from ._client import CallingBox, Callingbox
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CallingboxError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WebhookVerificationError,
)
from ._objects import CallingboxObject, Page
from ._version import __version__
from ._webhooks import Webhooks
from .resources._base import NOT_GIVEN

if TYPE_CHECKING:  # the module-level resources, for type checkers
    from .resources.account import ApiKeys, SipTrunks, UsageResource, Voices, WebCalls
    from .resources.agents import Agents
    from .resources.calls import Calls
    from .resources.events import Events
    from .resources.numbers import Numbers
    from .resources.webhooks import WebhookDeliveries, WebhookEndpoints, WebhookSecretResource

    agents: Agents
    numbers: Numbers
    calls: Calls
    sip_trunks: SipTrunks
    api_keys: ApiKeys
    web_calls: WebCalls
    voices: Voices
    usage: UsageResource
    webhook_endpoints: WebhookEndpoints
    webhook_deliveries: WebhookDeliveries
    webhook_secret: WebhookSecretResource
    events: Events

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CallingBox",
    "Callingbox",
    "CallingboxError",
    "CallingboxObject",
    "ConflictError",
    "InternalServerError",
    "NOT_GIVEN",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "WebhookVerificationError",
    "Webhooks",
    "__version__",
    "default_client",
    "webhooks",
]

#: Overrides for the default client; None means "from the environment".
api_key: Optional[str] = None
base_url: Optional[str] = None

#: Webhook verification, also at module level: ``callingbox.webhooks.construct_event(...)``.
webhooks = Callingbox.webhooks

_RESOURCES = frozenset(
    {
        "agents",
        "numbers",
        "calls",
        "sip_trunks",
        "api_keys",
        "web_calls",
        "voices",
        "usage",
        "webhook_endpoints",
        "webhook_deliveries",
        "webhook_secret",
        "events",
    }
)
_lock = threading.Lock()
_default: Optional[Callingbox] = None
_default_settings: Any = None


def default_client() -> Callingbox:
    """The client behind module style, built on first use from ``callingbox.api_key`` /
    ``callingbox.base_url`` or the environment; rebuilt when those two change."""
    global _default, _default_settings
    settings = (api_key, base_url)
    with _lock:
        if _default is None or settings != _default_settings:
            _default = Callingbox(api_key=api_key, base_url=base_url)
            _default_settings = settings
        return _default


def _reset_default_client() -> None:
    """Forget the default client (tests change the environment between cases)."""
    global _default, _default_settings
    with _lock:
        _default = None
        _default_settings = None


def __getattr__(name: str) -> Any:  # PEP 562: callingbox.calls → default_client().calls
    if name in _RESOURCES:
        return getattr(default_client(), name)
    raise AttributeError(f"module 'callingbox' has no attribute {name!r}")
