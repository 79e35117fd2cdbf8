/**
 * CallingBox TypeScript SDK.
 *
 * @example
 * import { CallingBox, Webhooks, tool } from 'callingbox';
 * const client = new CallingBox();
 * for await (const call of client.calls.list({ direction: 'inbound' })) console.log(call.id, call.result);
 */
export { CallingBox, CallingBox as default, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type ClientOptions } from './client.js';
export {
  APIConnectionError, APIError, APITimeoutError, AuthenticationError, BadRequestError, CallingBoxError, ConflictError,
  InternalServerError, NotFoundError, PayloadTooLargeError, PermissionDeniedError, RateLimitError, UnprocessableEntityError,
  WebhookVerificationError,
} from './errors.js';
export { Page, PagePromise, NEXT_CURSOR_HEADER } from './pagination.js';
export { Webhooks, DEFAULT_TOLERANCE_SEC, SIGNATURE_HEADER, type ConstructEventOptions, type RawBody } from './webhooks.js';
export { tool, type BuiltinToolInput, type HttpToolInput } from './tool.js';
export type { RequestOptions } from './internal/transport.js';
export { EventStream, type EventStreamParams } from './resources/events.js';
export type { Agents } from './resources/agents.js';
export type { Numbers } from './resources/numbers.js';
export type { SipTrunks } from './resources/sip-trunks.js';
export type { Calls } from './resources/calls.js';
export type { WebCalls } from './resources/web-calls.js';
export type { Voices } from './resources/voices.js';
export type { UsageResource } from './resources/usage.js';
export type { ApiKeys } from './resources/api-keys.js';
export type { WebhookEndpoints } from './resources/webhook-endpoints.js';
export type { WebhookDeliveries } from './resources/webhook-deliveries.js';
export type { WebhookSecretResource } from './resources/webhook-secret.js';
export type { Events } from './resources/events.js';
export type * from './types.js';
export { VERSION } from './version.js';
