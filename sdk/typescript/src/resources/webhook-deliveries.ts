import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { WebhookDelivery, WebhookDeliveryListParams } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/webhook_deliveries`: one row per (event, destination). */
export class WebhookDeliveries extends APIResource {
  /**
   * Lists deliveries.
   * @example
   * for await (const d of client.webhookDeliveries.list({ status: 'exhausted' })) console.log(d.id, d.last_error);
   */
  list(params: WebhookDeliveryListParams = {}, options?: RequestOptions): PagePromise<WebhookDelivery> {
    return this.paginate('/v1/webhook_deliveries', params, options);
  }

  /**
   * Fetches one delivery with its `attempts`.
   * @example
   * const delivery = await client.webhookDeliveries.retrieve('wd_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.call('GET', `/v1/webhook_deliveries/${seg(id)}`, { options });
  }

  /**
   * Sends a delivered or exhausted delivery again, with the same event id (409 while pending).
   * @example
   * await client.webhookDeliveries.redeliver(delivery.id);
   */
  redeliver(id: string, options?: RequestOptions): Promise<WebhookDelivery> {
    return this.call('POST', `/v1/webhook_deliveries/${seg(id)}/redeliver`, { options });
  }
}
