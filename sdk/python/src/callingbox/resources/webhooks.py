"""``webhook_endpoints``, ``webhook_deliveries`` and ``webhook_secret`` (``webhooks.md``)."""

from __future__ import annotations

from typing import List, Optional

from .._objects import Page
from ..types import WebhookDelivery, WebhookEndpoint, WebhookSecret
from ._base import NOT_GIVEN, APIResource, endpoint, fields, path_param


class WebhookEndpoints(APIResource):
    @endpoint("POST", "/v1/webhook_endpoints")
    def create(
        self, *, url: str, description: Optional[str] = None, enabled_events: Optional[List[str]] = None
    ) -> WebhookEndpoint:
        """An account-wide endpoint; ``signing_secret`` is in this response only.

        Example: ``ep = client.webhook_endpoints.create(url="https://example.com/hooks",
        enabled_events=["call.completed"])``"""
        return self._request("POST", "/v1/webhook_endpoints", body=fields(locals()), cast=WebhookEndpoint)

    @endpoint("GET", "/v1/webhook_endpoints")
    def list(self, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page[WebhookEndpoint]:
        """Example: ``[e.url for e in client.webhook_endpoints.list()]``"""
        return self._list("/v1/webhook_endpoints", fields(locals()), WebhookEndpoint)

    @endpoint("GET", "/v1/webhook_endpoints/{id}")
    def retrieve(self, id: str) -> WebhookEndpoint:
        """Example: ``client.webhook_endpoints.retrieve("we_...")``"""
        return self._request("GET", f"/v1/webhook_endpoints/{path_param(id)}", cast=WebhookEndpoint)

    @endpoint("PATCH", "/v1/webhook_endpoints/{id}")
    def update(
        self,
        id: str,
        *,
        url: str = NOT_GIVEN,
        description: Optional[str] = NOT_GIVEN,
        enabled_events: List[str] = NOT_GIVEN,
        status: str = NOT_GIVEN,
    ) -> WebhookEndpoint:
        """``status="enabled"`` re-enables a disabled endpoint.

        Example: ``client.webhook_endpoints.update(ep.id, status="enabled")``"""
        body = fields(locals(), exclude=("id",), keep_none=True)
        return self._request("PATCH", f"/v1/webhook_endpoints/{path_param(id)}", body=body, cast=WebhookEndpoint)

    @endpoint("DELETE", "/v1/webhook_endpoints/{id}")
    def delete(self, id: str) -> WebhookEndpoint:
        """Example: ``client.webhook_endpoints.delete(ep.id)``"""
        return self._request("DELETE", f"/v1/webhook_endpoints/{path_param(id)}", cast=WebhookEndpoint)

    @endpoint("POST", "/v1/webhook_endpoints/{id}/rotate_secret")
    def rotate_secret(self, id: str) -> WebhookEndpoint:
        """A new ``signing_secret``, shown once; the old one stops at once.

        Example: ``secret = client.webhook_endpoints.rotate_secret(ep.id).signing_secret``"""
        return self._request(
            "POST", f"/v1/webhook_endpoints/{path_param(id)}/rotate_secret", body={}, cast=WebhookEndpoint
        )


class WebhookDeliveries(APIResource):
    @endpoint("GET", "/v1/webhook_deliveries")
    def list(
        self,
        *,
        endpoint_id: Optional[str] = None,
        call_id: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Page[WebhookDelivery]:
        """Example: ``client.webhook_deliveries.list(call_id=call.id, status="exhausted")``"""
        return self._list("/v1/webhook_deliveries", fields(locals()), WebhookDelivery)

    @endpoint("GET", "/v1/webhook_deliveries/{id}")
    def retrieve(self, id: str) -> WebhookDelivery:
        """With ``attempts``. Example: ``client.webhook_deliveries.retrieve("wd_...")``"""
        return self._request("GET", f"/v1/webhook_deliveries/{path_param(id)}", cast=WebhookDelivery)

    @endpoint("POST", "/v1/webhook_deliveries/{id}/redeliver")
    def redeliver(self, id: str) -> WebhookDelivery:
        """Queue a delivered or exhausted delivery again, with the same event id.

        Example: ``client.webhook_deliveries.redeliver(delivery.id)``"""
        return self._request(
            "POST", f"/v1/webhook_deliveries/{path_param(id)}/redeliver", body={}, cast=WebhookDelivery
        )


class WebhookSecretResource(APIResource):
    @endpoint("GET", "/v1/webhook_secret")
    def retrieve(self) -> WebhookSecret:
        """The organisation's default signing secret (inline deliveries and HTTP tools).

        Example: ``secret = client.webhook_secret.retrieve().secret``"""
        return self._request("GET", "/v1/webhook_secret", cast=WebhookSecret)

    @endpoint("POST", "/v1/webhook_secret/rotate")
    def rotate(self) -> WebhookSecret:
        """Replace the default secret; the old one stops at once.

        Example: ``new_secret = client.webhook_secret.rotate().secret``"""
        return self._request("POST", "/v1/webhook_secret/rotate", body={}, cast=WebhookSecret)
