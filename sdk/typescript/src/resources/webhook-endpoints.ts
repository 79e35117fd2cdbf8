import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { ListParams, WebhookEndpoint, WebhookEndpointCreateParams, WebhookEndpointUpdateParams } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/webhook_endpoints`: account-wide webhook destinations. */
export class WebhookEndpoints extends APIResource {
  /**
   * Creates an endpoint; its `signing_secret` is in this answer only.
   * @example
   * const endpoint = await client.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['call.completed'] });
   */
  create(body: WebhookEndpointCreateParams, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.call('POST', '/v1/webhook_endpoints', { body, options });
  }

  /**
   * Lists endpoints.
   * @example
   * const { data } = await client.webhookEndpoints.list();
   */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<WebhookEndpoint> {
    return this.paginate('/v1/webhook_endpoints', params, options);
  }

  /**
   * Fetches one endpoint.
   * @example
   * const endpoint = await client.webhookEndpoints.retrieve('we_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.call('GET', `/v1/webhook_endpoints/${seg(id)}`, { options });
  }

  /**
   * Changes an endpoint; `{ status: 'enabled' }` re-enables a disabled one.
   * @example
   * await client.webhookEndpoints.update(endpoint.id, { status: 'enabled' });
   */
  update(id: string, body: WebhookEndpointUpdateParams, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.call('PATCH', `/v1/webhook_endpoints/${seg(id)}`, { body, options });
  }

  /**
   * Deletes an endpoint.
   * @example
   * await client.webhookEndpoints.delete(endpoint.id);
   */
  delete(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.call('DELETE', `/v1/webhook_endpoints/${seg(id)}`, { options });
  }

  /**
   * Replaces the endpoint's signing secret; the old one stops at once.
   * @example
   * const { signing_secret } = await client.webhookEndpoints.rotateSecret(endpoint.id);
   */
  rotateSecret(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.call('POST', `/v1/webhook_endpoints/${seg(id)}/rotate_secret`, { options });
  }
}
