"""The ``Callingbox`` client: configuration plus one attribute per API resource."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from ._config import resolve_config
from ._http import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S, HttpClient
from ._webhooks import Webhooks
from .resources._base import NOT_GIVEN
from .resources.account import ApiKeys, SipTrunks, UsageResource, Voices, WebCalls
from .resources.agents import Agents
from .resources.calls import Calls
from .resources.events import Events
from .resources.numbers import Numbers
from .resources.webhooks import WebhookDeliveries, WebhookEndpoints, WebhookSecretResource


class Callingbox:
    """A client for one CallingBox server and organisation.

    With no arguments it reads ``CALLINGBOX_API_KEY`` and ``CALLINGBOX_BASE_URL`` (default
    ``http://localhost:8080``), falling back to the ``credentials.json`` a local server wrote into
    ``CALLINGBOX_DATA_DIR`` (or ``./.callingbox/``).

    Example::

        from callingbox import Callingbox

        client = Callingbox()
        available = client.numbers.search_available(area_code="415")
        number = client.numbers.purchase(available[0].phone_number)
    """

    #: Webhook verification; needs no client: ``Callingbox.webhooks.construct_event(...)``.
    webhooks = Webhooks()

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        config = resolve_config(api_key, base_url)
        self.api_key = config.api_key
        self.base_url = config.base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self._http = HttpClient(
            api_key=self.api_key,
            base_url=self.base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self.agents = Agents(self)
        self.numbers = Numbers(self)
        self.calls = Calls(self)
        self.sip_trunks = SipTrunks(self)
        self.api_keys = ApiKeys(self)
        self.web_calls = WebCalls(self)
        self.voices = Voices(self)
        self.usage = UsageResource(self)
        self.webhook_endpoints = WebhookEndpoints(self)
        self.webhook_deliveries = WebhookDeliveries(self)
        self.webhook_secret = WebhookSecretResource(self)
        self.events = Events(self)

    def with_options(
        self,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Any = NOT_GIVEN,
        max_retries: Any = NOT_GIVEN,
    ) -> "Callingbox":
        """A copy of this client with some settings changed.

        Example: ``client.with_options(max_retries=5).calls.create(...)``"""
        return Callingbox(
            api_key=api_key or self.api_key,
            base_url=base_url or self.base_url,
            timeout=self.timeout if timeout is NOT_GIVEN else timeout,
            max_retries=self.max_retries if max_retries is NOT_GIVEN else max_retries,
            default_headers=self._http.default_headers,
        )

    def __repr__(self) -> str:
        return f"<Callingbox base_url={self.base_url!r} key={self.api_key[:12]!r}…>"


#: The spelling of the TypeScript SDK, for code moving between the two.
CallingBox = Callingbox
