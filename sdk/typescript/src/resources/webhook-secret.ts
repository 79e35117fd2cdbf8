import type { RequestOptions } from '../internal/transport.js';
import type { WebhookSecret } from '../types.js';
import { APIResource } from './resource.js';

/** `/v1/webhook_secret`: the organisation's default signing secret (agent and call webhooks, tools). */
export class WebhookSecretResource extends APIResource {
  /**
   * The current secret.
   * @example
   * const { secret } = await client.webhookSecret.retrieve();
   */
  retrieve(options?: RequestOptions): Promise<WebhookSecret> {
    return this.call('GET', '/v1/webhook_secret', { options });
  }

  /**
   * Replaces the secret; the old one stops at once.
   * @example
   * const { secret } = await client.webhookSecret.rotate();
   */
  rotate(options?: RequestOptions): Promise<WebhookSecret> {
    return this.call('POST', '/v1/webhook_secret/rotate', { options });
  }
}
