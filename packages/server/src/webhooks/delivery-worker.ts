import type { Clock } from '../core/clock.ts';
import { isAbortError } from '../core/errors.ts';
import type { WebhookDeliveriesTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { VERSION } from '../version.ts';
import type { HttpSender, SendResult } from './http-sender.ts';
import { signatureHeader } from './signing.ts';

/** webhooks.md → Retries: attempt 1 at once, then 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
export const DEFAULT_RETRY_SCHEDULE_S = [60, 300, 1800, 7200, 18_000, 36_000, 86_400];
/** webhooks.md: an endpoint exhausted 10 times in a row is disabled. */
export const DISABLE_AFTER_EXHAUSTED = 10;
const TERMINAL = new Set(['call.completed', 'call.failed', 'call.no_answer', 'call.busy', 'call.canceled']);

export interface DeliveryWorkerOptions {
  store: Store;
  clock: Clock;
  sender: HttpSender;
  workerId: string;
  /** Seconds between attempts; its length + 1 is the number of attempts. */
  retryScheduleS?: number[];
  pollMs?: number;
  batch?: number;
  /** Longer than the send timeout, so a slow attempt is never handed to a second worker. */
  leaseMs?: number;
  random?: () => number;
  log?: { warn(o: object, m: string): void };
}

/**
 * Sends pending deliveries. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED`), so several
 * processes on one PostgreSQL never send the same attempt twice; a crashed worker's lease expires
 * and the row is sent again with the same event id (at least once).
 */
export class DeliveryWorker {
  private readonly schedule: number[];
  private readonly stop = new AbortController();
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.schedule = o.retryScheduleS ?? DEFAULT_RETRY_SCHEDULE_S;
  }

  get maxAttempts(): number {
    return this.schedule.length + 1;
  }

  start(): void {
    this.loop ??= this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      let sent = 0;
      try {
        sent = await this.tick();
      } catch (e) {
        if (!this.stop.signal.aborted) this.o.log?.warn({ err: e }, 'webhook delivery tick failed');
      }
      if (sent > 0 || this.stop.signal.aborted) continue;
      // Real time at the edge: the poll is the fallback when no wake-up comes (another process enqueued).
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.pollMs ?? 250);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /**
   * Claims and sends one batch; returns how many were attempted. Deliveries of one call go out one
   * after another in event order (ringing before answered before completed); calls in parallel.
   */
  async tick(): Promise<number> {
    const claimed = await this.claim();
    const byCall = new Map<string, WebhookDeliveriesTable[]>();
    for (const d of claimed) byCall.set(d.call_id ?? d.id, [...(byCall.get(d.call_id ?? d.id) ?? []), d]);
    await Promise.all(
      [...byCall.values()].map(async (group) => {
        group.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
        for (const d of group) await this.attempt(d);
      }),
    );
    return claimed.length;
  }

  private async claim(): Promise<WebhookDeliveriesTable[]> {
    const now = new Date(this.o.clock.now());
    const leaseUntil = new Date(now.getTime() + (this.o.leaseMs ?? 30_000));
    const db = this.o.store.db;
    return db
      .updateTable('webhook_deliveries')
      .set({ locked_until: leaseUntil, locked_by: this.o.workerId })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', now)]))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(this.o.batch ?? 32)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  private async attempt(d: WebhookDeliveriesTable): Promise<void> {
    const store = this.o.store;
    const endpoint = d.endpoint_id ? await store.db.selectFrom('webhook_endpoints').select(['signing_secret']).where('id', '=', d.endpoint_id).executeTakeFirst() : undefined;
    const secret = endpoint?.signing_secret ?? (await store.orgs.get(d.org_id))!.webhook_secret;
    const body = JSON.stringify(d.payload);
    const t = Math.floor(this.o.clock.now() / 1000);
    let result: SendResult;
    try {
      result = await this.o.sender.post(d.url, body, {
        'CallingBox-Signature': signatureHeader(secret, t, body),
        'CallingBox-Event-Id': d.id,
        'CallingBox-Event-Type': d.event_type,
        'X-CallingBox-Event': d.event_type,
        ...(d.call_id ? { 'X-CallingBox-Call-Id': d.call_id } : {}),
        'User-Agent': `CallingBox-Webhooks/${VERSION}`,
      }, this.stop.signal);
    } catch (e) {
      if (isAbortError(e)) return;
      throw e;
    }
    await this.record(d, result);
  }

  private async record(d: WebhookDeliveriesTable, r: SendResult): Promise<void> {
    const now = new Date(this.o.clock.now());
    await this.o.store.transaction(async (s) => {
      const attemptNo = d.attempt_count + 1;
      const exhausted = !r.ok && attemptNo >= this.maxAttempts;
      const status = r.ok ? 'delivered' : exhausted ? 'exhausted' : 'pending';
      const delayS = this.schedule[Math.min(attemptNo - 1, this.schedule.length - 1)] ?? 0;
      const jitter = 0.8 + 0.4 * (this.o.random ?? Math.random)();
      const updated = await s.db
        .updateTable('webhook_deliveries')
        .set({
          status, attempt_count: attemptNo, last_error: r.error, last_response_status: r.status, updated_at: now, locked_until: null, locked_by: null,
          delivered_at: r.ok ? now : d.delivered_at, next_attempt_at: status === 'pending' ? new Date(now.getTime() + delayS * 1000 * jitter) : null,
        })
        .where('id', '=', d.id)
        .where('locked_by', '=', this.o.workerId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      // Our lease ran out and another worker owns the row now: its attempt is the one recorded.
      if (updated.numUpdatedRows === 0n) return;
      await s.db.insertInto('webhook_attempts').values({ delivery_id: d.id, attempt_no: attemptNo, at: now, status_code: r.status, duration_ms: Math.round(r.durationMs), error: r.error }).onConflict((oc) => oc.doNothing()).execute();
      if (d.endpoint_id) {
        if (r.ok) await s.db.updateTable('webhook_endpoints').set({ consecutive_failures: 0 }).where('id', '=', d.endpoint_id).execute();
        else if (exhausted) {
          const ep = await s.db.updateTable('webhook_endpoints').set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) })).where('id', '=', d.endpoint_id).returning(['consecutive_failures', 'status']).executeTakeFirst();
          if (ep && ep.status === 'enabled' && ep.consecutive_failures >= DISABLE_AFTER_EXHAUSTED) {
            await s.db.updateTable('webhook_endpoints').set({ status: 'disabled', disabled_reason: 'too_many_failures', disabled_at: now, updated_at: now }).where('id', '=', d.endpoint_id).execute();
          }
        }
      } else if (d.call_id && TERMINAL.has(d.event_type) && (r.ok || exhausted)) {
        await s.db.updateTable('calls').set({ webhook_status: r.ok ? 'delivered' : 'failed', webhook_error: r.ok ? null : r.error }).where('id', '=', d.call_id).execute();
      }
      if (d.call_id) {
        await s.calls.addEvent({ id: d.call_id, org_id: d.org_id }, 'webhook_delivery', { delivery_id: d.id, event_type: d.event_type, endpoint_id: d.endpoint_id, status, attempt: attemptNo, ...(r.status !== null ? { response_status: r.status } : {}) });
      }
    });
  }
}
