"""Typed result objects, for editors and type checkers.

Each class is a :class:`~callingbox.CallingboxObject` (a ``dict`` with attribute access); the
annotations document the fields of ``api.md`` and give completion, while every field the server
sends stays reachable, also ones added after this SDK was released.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Optional, Type

from ._objects import CallingboxObject

__all__ = [
    "Agent",
    "AgentVersion",
    "ApiKey",
    "AvailableNumber",
    "Call",
    "CallEvent",
    "Number",
    "SipTrunk",
    "StreamEvent",
    "Transcript",
    "TranscriptSegment",
    "Usage",
    "UsageDay",
    "Voice",
    "WebCall",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookSecret",
]


class Number(CallingboxObject):
    id: str
    e164: str
    friendly_name: Optional[str]
    country_code: str
    number_type: str
    status: str
    carrier: str
    sip_trunk_id: Optional[str]
    monthly_cost_cents: int
    purchased_at: Optional[str]
    inbound_agent_id: Optional[str]
    outbound_agent_ids: List[str]
    created_at: str
    updated_at: str


class AvailableNumber(CallingboxObject):
    phone_number: str
    country_code: str
    number_type: str
    state: Optional[str]
    locality: Optional[str]
    monthly_cost_cents: int
    upfront_cost_cents: int
    currency: str


class Agent(CallingboxObject):
    id: str
    org_id: str
    user_id: Optional[str]
    name: str
    type: str
    persona: Optional[str]
    instructions: Optional[str]
    voice: Optional[str]
    language: str
    returns: Optional[Dict[str, Any]]
    tools: List[Dict[str, Any]]
    webhook_url: Optional[str]
    voicemail_action: str
    voicemail_message: Optional[str]
    first_message: Optional[str]
    timezone: str
    settings: Dict[str, Any]
    primary_number_id: Optional[str]
    numbers: List[Number]
    version: int

    _nested: ClassVar[Dict[str, Type[CallingboxObject]]] = {"numbers": Number}
    archived_at: Optional[str]
    created_at: str
    updated_at: str


class AgentVersion(CallingboxObject):
    version: int
    created_at: str
    config: Dict[str, Any]


class Call(CallingboxObject):
    id: str
    agent_id: Optional[str]
    agent_version: Optional[int]
    direction: str
    to_number: str
    from_number: Optional[str]
    status: str
    answered_by: Optional[str]
    persona: Optional[str]
    instructions: Optional[str]
    prompt: Optional[str]
    context: Any
    returns: Optional[Dict[str, Any]]
    result: Optional[Dict[str, Any]]
    result_status: str
    result_error: Optional[str]
    language: Optional[str]
    voice: Optional[str]
    webhook_url: Optional[str]
    webhook_status: str
    webhook_error: Optional[str]
    created_at: str
    started_at: Optional[str]
    answered_at: Optional[str]
    ended_at: Optional[str]
    duration_seconds: Optional[float]
    billed_duration_seconds: Optional[float]
    billing_amount_milli_cents: Optional[int]
    reservation_status: Optional[str]
    error_code: Optional[str]
    error_message: Optional[str]
    hangup_cause: Optional[str]
    ended_by: Optional[str]
    metadata: Optional[Dict[str, Any]]
    latency: Optional[Dict[str, Any]]
    recording_url: Optional[str]
    timezone: Optional[str]
    redacted_at: Optional[str]
    updated_at: str


class TranscriptSegment(CallingboxObject):
    sequence_no: int
    role: str
    text: str
    started_at: Optional[str]
    ended_at: Optional[str]
    duration_ms: Optional[int]
    source: str
    interrupted: bool


class Transcript(CallingboxObject):
    call_id: str
    segments: List[TranscriptSegment]

    _nested: ClassVar[Dict[str, Type[CallingboxObject]]] = {"segments": TranscriptSegment}


class CallEvent(CallingboxObject):
    id: str
    call_id: str
    sequence_no: int
    type: str
    at: str
    data: Dict[str, Any]


class SipTrunk(CallingboxObject):
    id: str
    name: str
    inbound_addresses: List[str]
    auth_username: Optional[str]
    outbound_uri: Optional[str]
    created_at: str
    updated_at: str


class ApiKey(CallingboxObject):
    id: str
    name: str
    prefix: str
    secret: str  # only in the create response
    created_at: str
    last_used_at: Optional[str]
    expires_at: Optional[str]
    revoked_at: Optional[str]


class WebCall(CallingboxObject):
    call_id: str
    url: str
    token: str
    expires_at: str


class Voice(CallingboxObject):
    id: str
    provider: str
    name: str
    language: str


class UsageDay(CallingboxObject):
    date: str
    direction: str
    calls: int
    minutes: float
    billed_seconds: int
    amount_milli_cents: int


class Usage(CallingboxObject):
    data: List[UsageDay]

    _nested: ClassVar[Dict[str, Type[CallingboxObject]]] = {"data": UsageDay}


class WebhookEndpoint(CallingboxObject):
    id: str
    org_id: str
    url: str
    description: Optional[str]
    enabled_events: List[str]
    status: str
    disabled_reason: Optional[str]
    disabled_at: Optional[str]
    consecutive_failures: int
    signing_secret: str  # only in the create and rotate responses
    created_at: str
    updated_at: str


class WebhookDelivery(CallingboxObject):
    id: str
    org_id: str
    endpoint_id: Optional[str]
    call_id: str
    event_type: str
    url: str
    status: str
    attempt_count: int
    manual_retry_count: int
    next_attempt_at: Optional[str]
    last_error: Optional[str]
    last_response_status: Optional[int]
    delivered_at: Optional[str]
    created_at: str
    updated_at: str
    attempts: List[Dict[str, Any]]


class WebhookSecret(CallingboxObject):
    secret: str
    created_at: str


class WebhookEvent(CallingboxObject):
    """The envelope of a webhook delivery: ``data.call`` is the call as of the event."""

    id: str
    type: str
    created: int
    api_version: str
    data: CallingboxObject


class StreamEvent(CallingboxObject):
    """One message of ``GET /v1/events/stream``: ``id`` is the call event id (``cev_…``),
    ``event`` the SSE event name, and ``type``/``created``/``api_version``/``data`` the envelope."""

    id: Optional[str]
    event: Optional[str]
    type: str
    created: int
    api_version: str
    data: CallingboxObject
