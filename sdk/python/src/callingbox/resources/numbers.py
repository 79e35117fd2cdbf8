"""``client.numbers`` — ``/v1/numbers``."""

from __future__ import annotations

from typing import Optional

from .._objects import Page
from ..types import AvailableNumber, Number
from ._base import NOT_GIVEN, APIResource, endpoint, fields, path_param


class Numbers(APIResource):
    @endpoint("GET", "/v1/numbers/available")
    def search_available(
        self,
        *,
        area_code: Optional[str] = None,
        country_code: str = "US",
        number_type: Optional[str] = None,
        limit: Optional[int] = None,
        carrier: Optional[str] = None,
    ) -> Page[AvailableNumber]:
        """Numbers that can be bought (from the sandbox inventory unless ``carrier="twilio"``).

        Example::

            available = client.numbers.search_available(area_code="415")
            number = client.numbers.purchase(available[0].phone_number)
        """
        params = fields(locals())
        return self._list("/v1/numbers/available", params, AvailableNumber)

    @endpoint("POST", "/v1/numbers/purchase")
    def purchase(self, phone_number: str, *, carrier: Optional[str] = None) -> Number:
        """Buy a number (``carrier`` defaults to ``"sandbox"`` on the server).

        Example: ``number = client.numbers.purchase("+14155550123")``"""
        return self._request("POST", "/v1/numbers/purchase", body=fields(locals()), cast=Number)

    @endpoint("GET", "/v1/numbers")
    def list(
        self, *, status: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None
    ) -> Page[Number]:
        """One page of active numbers (``status="released"`` for the others).

        Example: ``for n in client.numbers.list().auto_paging_iter(): print(n.e164)``"""
        return self._list("/v1/numbers", fields(locals()), Number)

    @endpoint("POST", "/v1/numbers/import")
    def import_number(
        self,
        phone_number: str,
        *,
        carrier: str,
        sip_trunk_id: Optional[str] = None,
        friendly_name: Optional[str] = None,
    ) -> Number:
        """Bring your own number (``carrier`` is ``"sip"`` or ``"twilio"``).

        Example: ``client.numbers.import_number("+14155550100", carrier="sip", sip_trunk_id=trunk.id)``"""
        return self._request("POST", "/v1/numbers/import", body=fields(locals()), cast=Number)

    @endpoint("GET", "/v1/numbers/{id}")
    def retrieve(self, id: str) -> Number:
        """Example: ``client.numbers.retrieve("pn_...")``"""
        return self._request("GET", f"/v1/numbers/{path_param(id)}", cast=Number)

    @endpoint("PATCH", "/v1/numbers/{id}")
    def update(self, id: str, *, friendly_name: Optional[str] = NOT_GIVEN) -> Number:
        """Example: ``client.numbers.update(number.id, friendly_name="Front desk")``"""
        body = fields(locals(), exclude=("id",), keep_none=True)
        return self._request("PATCH", f"/v1/numbers/{path_param(id)}", body=body, cast=Number)

    @endpoint("DELETE", "/v1/numbers/{id}")
    def release(self, id: str) -> Number:
        """Release the number: it is detached from every agent and no longer routes.

        Example: ``client.numbers.release(number.id)``"""
        return self._request("DELETE", f"/v1/numbers/{path_param(id)}", cast=Number)
