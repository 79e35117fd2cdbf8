import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { callView } from '../calls/call-view.ts';
import type { CallEventSink, CallEventType } from '../calls/call-event-sink.ts';
import type { CallsTable, Json } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/** webhooks.md → Envelope: the API version every event carries. */
export const API_VERSION = '2026-04';

/**
 * The transactional outbox: one delivery row per (event, destination), written in the same
 * transaction as the status change that caused it — the call's inline URL (the agent's or the
 * call's own) and every enabled account endpoint whose `enabled_events` match.
 */
export class WebhookOutbox implements CallEventSink {
  constructor(
    private readonly clock: Clock,
    /** Nudges the delivery worker after the transaction had a chance to commit. */
    private readonly wake: () => void = () => {},
  ) {}

  async emit(tx: Store, call: CallsTable, type: CallEventType): Promise<void> {
    const now = new Date(this.clock.now());
    const endpoints = await tx.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'url', 'enabled_events'])
      .where('org_id', '=', call.org_id)
      .where('status', '=', 'enabled')
      .where('deleted_at', 'is', null)
      .execute();
    const targets: Array<{ endpointId: string | null; url: string }> = [];
    if (call.webhook_url) targets.push({ endpointId: null, url: call.webhook_url });
    for (const ep of endpoints) if (ep.enabled_events.includes('*') || ep.enabled_events.includes(type)) targets.push({ endpointId: ep.id, url: ep.url });
    for (const t of targets) {
      const id = newId('wd', now.getTime());
      const payload = { id, type, created: Math.floor(now.getTime() / 1000), api_version: API_VERSION, data: { call: callView(call) } } as unknown as Json;
      await tx.webhooks.insertDelivery({
        id, org_id: call.org_id, endpoint_id: t.endpointId, call_id: call.id, event_type: type, url: t.url, payload, status: 'pending',
        attempt_count: 0, manual_retry_count: 0, next_attempt_at: now, last_error: null, last_response_status: null, delivered_at: null, locked_until: null, locked_by: null,
      });
    }
    if (targets.length > 0) setTimeout(this.wake, 5).unref();
  }
}
