import { resolveSettings } from './internal/credentials.js';
import { Transport } from './internal/transport.js';
import { Agents } from './resources/agents.js';
import { ApiKeys } from './resources/api-keys.js';
import { Calls } from './resources/calls.js';
import { Events } from './resources/events.js';
import { Numbers } from './resources/numbers.js';
import { SipTrunks } from './resources/sip-trunks.js';
import { UsageResource } from './resources/usage.js';
import { Voices } from './resources/voices.js';
import { WebCalls } from './resources/web-calls.js';
import { WebhookDeliveries } from './resources/webhook-deliveries.js';
import { WebhookEndpoints } from './resources/webhook-endpoints.js';
import { WebhookSecretResource } from './resources/webhook-secret.js';
import type { RequestOptions } from './internal/transport.js';
import type { Health } from './types.js';
import { Webhooks } from './webhooks.js';

/** Retries after the first attempt of a request that met a 429, a 5xx or a connection error. */
export const DEFAULT_MAX_RETRIES = 2;
/** Per-attempt timeout: generous, since `calls.extract` may legitimately take up to 60 s. */
export const DEFAULT_TIMEOUT_MS = 90_000;

/** Options of {@link CallingBox}. Each falls back to the environment, then to a default. */
export interface ClientOptions {
  /** API key; default `CALLINGBOX_API_KEY`, else the local server's `credentials.json`. */
  apiKey?: string;
  /** Server address; default `CALLINGBOX_BASE_URL`, else credentials.json's `base_url`, else `http://localhost:8080`. */
  baseUrl?: string;
  /** Retries of a failed request (default 2). */
  maxRetries?: number;
  /** Timeout of each attempt in milliseconds (default 90 000). */
  timeoutMs?: number;
  /** A fetch implementation (default the global `fetch`). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
}

/**
 * The CallingBox API client.
 *
 * @example
 * import { CallingBox } from 'callingbox';
 * const client = new CallingBox(); // CALLINGBOX_API_KEY / CALLINGBOX_BASE_URL, or ./.callingbox/credentials.json
 * const agent = await client.agents.create({ name: 'Front desk', type: 'inbound' });
 */
export class CallingBox {
  /** The webhook verifier, also importable as `Webhooks`. */
  static readonly Webhooks = Webhooks;

  /** Where requests go (without `/v1`). */
  readonly baseUrl: string;
  readonly agents: Agents;
  readonly numbers: Numbers;
  readonly sipTrunks: SipTrunks;
  readonly calls: Calls;
  readonly webCalls: WebCalls;
  readonly voices: Voices;
  readonly usage: UsageResource;
  readonly apiKeys: ApiKeys;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly webhookDeliveries: WebhookDeliveries;
  readonly webhookSecret: WebhookSecretResource;
  readonly events: Events;
  /** The webhook verifier (same as the static {@link CallingBox.Webhooks}). */
  readonly webhooks = Webhooks;
  private readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    const { apiKey, baseUrl } = resolveSettings(options);
    // Accept a base URL given with the version path as well.
    this.baseUrl = baseUrl.replace(/\/v1$/, '');
    if (typeof (options.fetch ?? globalThis.fetch) !== 'function') {
      throw new TypeError('No fetch: use Node 18 or later, or pass { fetch } to new CallingBox().');
    }
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const transport = (this.transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey,
      maxRetries,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Called unbound: some runtimes reject fetch invoked with a foreign `this`.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      defaultHeaders: options.defaultHeaders ?? {},
    }));
    this.agents = new Agents(transport);
    this.numbers = new Numbers(transport);
    this.sipTrunks = new SipTrunks(transport);
    this.calls = new Calls(transport);
    this.webCalls = new WebCalls(transport);
    this.voices = new Voices(transport);
    this.usage = new UsageResource(transport);
    this.apiKeys = new ApiKeys(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
    this.webhookDeliveries = new WebhookDeliveries(transport);
    this.webhookSecret = new WebhookSecretResource(transport);
    this.events = new Events(transport, maxRetries);
  }

  /**
   * The server's health (`GET /v1/health`, no key needed): status, version, ports and components.
   * A 503 (database down) still resolves, with `status: "down"`.
   * @example
   * const { status, version } = await client.health();
   */
  async health(options?: RequestOptions): Promise<Health> {
    try {
      // A health probe should answer now: no retries unless asked for.
      const { data } = await this.transport.request<Health>({ method: 'GET', path: '/v1/health', options: { maxRetries: 0, ...options } });
      return data;
    } catch (error) {
      const body = (error as { status?: number; body?: unknown }).body;
      if ((error as { status?: number }).status === 503 && body !== null && typeof body === 'object' && 'status' in body) return body as Health;
      throw error;
    }
  }
}
