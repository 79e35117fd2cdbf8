import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../schema.ts';
import { jsonb } from '../jsonb.ts';
import type { RepoDeps } from '../store.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';
import { newWebhookSecret } from './orgs.ts';

export interface EndpointFields {
  url: string;
  description: string | null;
  enabled_events: string[];
}

export interface DeliveryFilter {
  endpoint_id?: string[] | undefined;
  call_id?: string[] | undefined;
  status?: Array<'pending' | 'delivered' | 'exhausted'> | undefined;
}

export class WebhookRepo {
  constructor(private readonly d: RepoDeps) {}

  async createEndpoint(orgId: string, f: EndpointFields): Promise<WebhookEndpointsTable> {
    const now = new Date(this.d.clock.now());
    const row: WebhookEndpointsTable = {
      ...f, id: newId('we'), org_id: orgId, status: 'enabled', disabled_reason: null, disabled_at: null,
      consecutive_failures: 0, signing_secret: newWebhookSecret(), deleted_at: null, created_at: now, updated_at: now,
    };
    await this.d.db.insertInto('webhook_endpoints').values({ ...row, enabled_events: jsonb(f.enabled_events) }).execute();
    return row;
  }

  async getEndpoint(orgId: string, id: string): Promise<WebhookEndpointsTable> {
    const row = await this.d.db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new NotFoundError('webhook endpoint', id);
    return row;
  }

  async listEndpoints(orgId: string, page: PageRequest): Promise<Page<WebhookEndpointsTable>> {
    let q = this.d.db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null);
    return keysetPage(q, page);
  }

  /** PATCH: `status: "enabled"` re-enables and zeroes the failure counter. */
  async updateEndpoint(orgId: string, id: string, patch: Partial<EndpointFields> & { status?: 'enabled' | 'disabled' | undefined }): Promise<WebhookEndpointsTable> {
    const row = await this.getEndpoint(orgId, id);
    const now = new Date(this.d.clock.now());
    const next: WebhookEndpointsTable = { ...row, updated_at: now };
    if (patch.url !== undefined) next.url = patch.url;
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.enabled_events !== undefined) next.enabled_events = patch.enabled_events;
    if (patch.status === 'enabled' && row.status !== 'enabled') Object.assign(next, { status: 'enabled', disabled_reason: null, disabled_at: null, consecutive_failures: 0 });
    if (patch.status === 'disabled' && row.status !== 'disabled') Object.assign(next, { status: 'disabled', disabled_reason: 'manual', disabled_at: now });
    await this.d.db
      .updateTable('webhook_endpoints')
      .set({ url: next.url, description: next.description, enabled_events: jsonb(next.enabled_events), status: next.status, disabled_reason: next.disabled_reason, disabled_at: next.disabled_at, consecutive_failures: next.consecutive_failures, updated_at: now })
      .where('id', '=', id)
      .execute();
    return next;
  }

  async deleteEndpoint(orgId: string, id: string): Promise<WebhookEndpointsTable> {
    const row = await this.getEndpoint(orgId, id);
    const now = new Date(this.d.clock.now());
    await this.d.db.updateTable('webhook_endpoints').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
    return { ...row, deleted_at: now, updated_at: now };
  }

  /** A new secret for the endpoint; the old one stops at once. */
  async rotateEndpointSecret(orgId: string, id: string): Promise<WebhookEndpointsTable> {
    const row = await this.getEndpoint(orgId, id);
    const next = { ...row, signing_secret: newWebhookSecret(), updated_at: new Date(this.d.clock.now()) };
    await this.d.db.updateTable('webhook_endpoints').set({ signing_secret: next.signing_secret, updated_at: next.updated_at }).where('id', '=', id).execute();
    return next;
  }

  async listDeliveries(orgId: string, f: DeliveryFilter, page: PageRequest): Promise<Page<WebhookDeliveriesTable>> {
    let q = this.d.db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId);
    if (f.endpoint_id?.length) q = q.where('endpoint_id', 'in', f.endpoint_id);
    if (f.call_id?.length) q = q.where('call_id', 'in', f.call_id);
    if (f.status?.length) q = q.where('status', 'in', f.status);
    return keysetPage(q, page);
  }

  async getDelivery(orgId: string, id: string): Promise<WebhookDeliveriesTable> {
    const row = await this.d.db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('webhook delivery', id);
    return row;
  }

  async attemptsOf(deliveryId: string): Promise<WebhookAttemptsTable[]> {
    return this.d.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt_no').execute();
  }

  /** Inserts a delivery row (the outbox; tests use it until events fire). */
  async insertDelivery(row: Omit<WebhookDeliveriesTable, 'id' | 'created_at' | 'updated_at'> & { id?: string }): Promise<WebhookDeliveriesTable> {
    const now = new Date(this.d.clock.now());
    const full: WebhookDeliveriesTable = { ...row, id: row.id ?? newId('wd', now.getTime()), created_at: now, updated_at: now };
    await this.d.db.insertInto('webhook_deliveries').values({ ...full, payload: full.payload === null ? null : jsonb(full.payload) }).execute();
    return full;
  }

  /** Manual redelivery: same event id, back to pending; a pending delivery is a 409. */
  async redeliver(orgId: string, id: string): Promise<WebhookDeliveriesTable> {
    const now = new Date(this.d.clock.now());
    const updated = await this.d.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'pending', next_attempt_at: now, manual_retry_count: eb('manual_retry_count', '+', 1), updated_at: now }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '!=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (updated) return updated;
    await this.getDelivery(orgId, id);
    throw new ConflictError(`Delivery '${id}' is still pending; it will be attempted again on its schedule.`);
  }
}
