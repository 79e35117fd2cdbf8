import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import type { WebhookDeliveriesTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { VERSION } from '../version.ts';
import { recordAttempts, type AttemptResult } from './delivery-record.ts';
import type { HttpSender, SendResult } from './http-sender.ts';
import { signatureHeader } from './signing.ts';

export { DISABLE_AFTER_EXHAUSTED } from './delivery-record.ts';

/** webhooks.md → Retries: attempt 1 at once, then 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
export const DEFAULT_RETRY_SCHEDULE_S = [60, 300, 1800, 7200, 18_000, 36_000, 86_400];
/** Rows per claim: large enough that a claim's round trip is shared by many sends, small enough to spread a backlog over several processes. */
const DEFAULT_BATCH = 64;
/** Requests in flight at once: the sender's pool has as many connections per origin, so undici never queues one unseen (which would hide how long it waited from the lease check). */
export const DEFAULT_SEND_CONCURRENCY = 32;
/** Signing secrets come with the claim; one read longer ago than this is read again before it signs, so a rotation reaches every signature within this time. */
const SECRET_MAX_AGE_MS = 250;
/** How long finished attempts wait for more before they are recorded together (one transaction per batch, not per delivery). */
const RECORD_LINGER_MS = 10;
/** Time left on a lease after a send times out, for recording the attempt before another worker may claim the row. */
const RECORD_MARGIN_MS = 5000;

export interface DeliveryWorkerOptions {
  store: Store;
  clock: Clock;
  sender: HttpSender;
  workerId: string;
  /** Seconds between attempts; its length + 1 is the number of attempts. */
  retryScheduleS?: number[];
  pollMs?: number;
  /** Rows per claim (64). */
  batch?: number;
  /** Claimed rows held at once, sent or waiting (2 × batch). */
  maxInFlight?: number;
  /** Requests in flight at once (32). */
  sendConcurrency?: number;
  /** The send timeout: a row is only sent while its lease still covers it. */
  sendTimeoutMs?: number;
  /** Longer than the send timeout, so a slow attempt is never handed to a second worker. */
  leaseMs?: number;
  random?: () => number;
  log?: { warn(o: object, m: string): void };
}

type Claimed = WebhookDeliveriesTable & { secret: string; leaseEndMs: number };

const secretKey = (d: Pick<WebhookDeliveriesTable, 'endpoint_id' | 'org_id'>): string => (d.endpoint_id ? `endpoint:${d.endpoint_id}` : `org:${d.org_id}`);

/**
 * Sends pending deliveries. Rows are claimed in batches with a lease (`FOR UPDATE SKIP LOCKED`), so
 * several processes on one PostgreSQL never send the same attempt twice; a crashed worker's lease
 * expires and the row is sent again with the same event id (at least once).
 *
 * A pipeline, so the database and the receivers work at the same time: the next batch is claimed
 * (with every row's signing secret, in the same statement) while the last one is sent, sends run
 * with bounded concurrency, and finished attempts are recorded together (`recordAttempts`: one
 * transaction per batch of results, not per delivery). A call's deliveries claimed by this worker
 * go out one after another in event order (ringing before answered before completed), across
 * batches too; calls in parallel. A row is sent only while its lease still covers the whole send; otherwise it is handed
 * back unsent.
 */
export class DeliveryWorker {
  private readonly schedule: number[];
  private readonly stop = new AbortController();
  private readonly batch: number;
  private readonly maxInFlight: number;
  private readonly leaseMs: number;
  private readonly sendTimeoutMs: number;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** Claimed and not yet recorded or released. */
  private inFlight = 0;
  /** The last send of each call in flight: its next delivery goes after it. */
  private readonly callTail = new Map<string, Promise<void>>();
  private readonly sendSlots: Array<() => void> = [];
  private sending = 0;
  private readonly sendConcurrency: number;
  private results: AttemptResult[] = [];
  private releases: string[] = [];
  private recording: Promise<void> | null = null;
  /** Signing secrets by `endpoint:<id>` or `org:<id>`, as last read (by a claim or a re-read). */
  private readonly secrets = new Map<string, { secret: string; atMs: number; reading?: Promise<string> }>();

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.schedule = o.retryScheduleS ?? DEFAULT_RETRY_SCHEDULE_S;
    this.batch = o.batch ?? DEFAULT_BATCH;
    this.maxInFlight = o.maxInFlight ?? 2 * this.batch;
    this.sendConcurrency = o.sendConcurrency ?? DEFAULT_SEND_CONCURRENCY;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.sendTimeoutMs = o.sendTimeoutMs ?? Math.max(0, this.leaseMs - 20_000);
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

  /** Stops claiming, aborts sends in flight (their rows are handed back unsent) and records what finished. */
  async close(): Promise<void> {
    this.stop.abort();
    this.wakeUp?.();
    await this.loop;
    await Promise.all([...this.callTail.values()]);
    while (this.recording) await this.recording;
    await this.flush();
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      const room = this.maxInFlight - this.inFlight;
      let claimed = 0;
      let asked = 0;
      if (this.inFlight === 0 || room >= Math.max(1, this.batch / 2)) {
        asked = Math.min(room, this.batch);
        try {
          claimed = await this.claimAndDispatch(asked);
        } catch (e) {
          if (!this.stop.signal.aborted) this.o.log?.warn({ err: e }, 'webhook delivery claim failed');
        }
      }
      if (this.stop.signal.aborted) break;
      // A full claim means more may be due: claim again as soon as there is room.
      if (claimed > 0 && claimed === asked && this.maxInFlight - this.inFlight >= Math.max(1, this.batch / 2)) continue;
      // Otherwise wait for a wake-up (this process enqueued), a freed slot, or the poll (another process enqueued).
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

  /** Claims up to `limit` due rows with their secrets and queues each behind its call's last send; returns how many. */
  private async claimAndDispatch(limit: number): Promise<number> {
    const claimed = await this.claim(limit);
    this.inFlight += claimed.length;
    const byCall = new Map<string, Claimed[]>();
    for (const d of claimed) byCall.set(d.call_id ?? d.id, [...(byCall.get(d.call_id ?? d.id) ?? []), d]);
    for (const [key, group] of byCall) {
      group.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
      let tail = this.callTail.get(key) ?? Promise.resolve();
      for (const d of group) tail = tail.then(() => this.attempt(d));
      const mine = tail;
      this.callTail.set(key, mine);
      void mine.finally(() => {
        if (this.callTail.get(key) === mine) this.callTail.delete(key);
      });
    }
    return claimed.length;
  }

  /** One statement: lease due rows (skipping rows another worker holds) and read each one's signing secret. */
  private async claim(limit: number): Promise<Claimed[]> {
    const nowMs = this.o.clock.now();
    const now = new Date(nowMs);
    const leaseUntil = new Date(nowMs + this.leaseMs);
    const rows = await this.o.store.db
      .with('c', (db) =>
        db
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
              .limit(limit)
              .forUpdate()
              .skipLocked(),
          )
          .returningAll(),
      )
      .selectFrom('c')
      .leftJoin('webhook_endpoints as e', 'e.id', 'c.endpoint_id')
      .innerJoin('organizations as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select(sql<string>`coalesce(e.signing_secret, o.webhook_secret)`.as('secret'))
      .execute();
    for (const [key, e] of this.secrets) if (nowMs - e.atMs > 60_000 && !e.reading) this.secrets.delete(key);
    for (const r of rows) this.secrets.set(secretKey(r), { secret: r.secret, atMs: nowMs });
    return rows.map((r) => ({ ...r, leaseEndMs: leaseUntil.getTime() }));
  }

  private async attempt(d: Claimed): Promise<void> {
    let result: AttemptResult | null = null;
    await this.acquireSendSlot();
    try {
      // Not sent unless the lease outlasts the whole send and its record: after it, another worker may own the row.
      if (this.stop.signal.aborted || this.o.clock.now() + this.sendTimeoutMs + RECORD_MARGIN_MS > d.leaseEndMs) return;
      const secret = await this.secretFor(d);
      const body = JSON.stringify(d.payload);
      const t = Math.floor(this.o.clock.now() / 1000);
      const r: SendResult = await this.o.sender.post(d.url, body, {
        'CallingBox-Signature': signatureHeader(secret, t, body),
        'CallingBox-Event-Id': d.id,
        'CallingBox-Event-Type': d.event_type,
        'X-CallingBox-Event': d.event_type,
        ...(d.call_id ? { 'X-CallingBox-Call-Id': d.call_id } : {}),
        'User-Agent': `CallingBox-Webhooks/${VERSION}`,
      }, this.stop.signal);
      // Cut short by close(): the receiver may or may not have it; the row goes back unsent.
      if (this.stop.signal.aborted) return;
      result = { d, r, atMs: this.o.clock.now() };
    } catch (e) {
      this.o.log?.warn({ err: e, delivery_id: d.id }, 'webhook attempt failed before sending');
    } finally {
      this.releaseSendSlot();
      if (result) this.results.push(result);
      else this.releases.push(d.id);
      this.scheduleRecord();
    }
  }

  /** The row's secret, read again (once for all rows that share it) when the last read is older than SECRET_MAX_AGE_MS. */
  private async secretFor(d: Claimed): Promise<string> {
    const key = secretKey(d);
    const known = this.secrets.get(key);
    if (known && this.o.clock.now() - known.atMs <= SECRET_MAX_AGE_MS) return known.secret;
    if (known?.reading) return known.reading;
    const atMs = this.o.clock.now();
    const reading = (async () => {
      const db = this.o.store.db;
      const ep = d.endpoint_id ? await db.selectFrom('webhook_endpoints').select('signing_secret').where('id', '=', d.endpoint_id).executeTakeFirst() : undefined;
      return ep?.signing_secret ?? (await db.selectFrom('organizations').select('webhook_secret').where('id', '=', d.org_id).executeTakeFirstOrThrow()).webhook_secret;
    })();
    this.secrets.set(key, { secret: known?.secret ?? d.secret, atMs: known?.atMs ?? 0, reading });
    try {
      const secret = await reading;
      this.secrets.set(key, { secret, atMs });
      return secret;
    } catch (e) {
      this.secrets.delete(key);
      throw e;
    }
  }

  private acquireSendSlot(): Promise<void> {
    if (this.sending < this.sendConcurrency) {
      this.sending++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.sendSlots.push(resolve));
  }

  private releaseSendSlot(): void {
    const next = this.sendSlots.shift();
    if (next) next();
    else this.sending--;
  }

  /**
   * Results finished while a record runs wait for the next one, and a record waits up to
   * RECORD_LINGER_MS for more while sends are still running: batches form under load, and a lone
   * result is recorded after a few milliseconds.
   */
  private scheduleRecord(): void {
    this.recording ??= (async () => {
      try {
        while (this.results.length + this.releases.length > 0) {
          if (this.results.length + this.releases.length < this.batch && this.sending > 0 && !this.stop.signal.aborted) {
            // Real time at the edge, as the poll: how long a finished attempt may wait for company.
            await new Promise((resolve) => setTimeout(resolve, RECORD_LINGER_MS));
          }
          await this.flush();
        }
      } finally {
        this.recording = null;
      }
      this.wake();
    })();
  }

  private async flush(): Promise<void> {
    const results = this.results;
    const release = this.releases;
    this.results = [];
    this.releases = [];
    if (results.length === 0 && release.length === 0) return;
    try {
      await recordAttempts(this.o.store, { workerId: this.o.workerId, results, release, schedule: this.schedule, random: this.o.random ?? Math.random });
    } catch (e) {
      // The rows stay leased: when the lease ends they are sent again with the same event id.
      this.o.log?.warn({ err: e, deliveries: results.length + release.length }, 'recording webhook attempts failed');
    } finally {
      this.inFlight -= results.length + release.length;
    }
  }
}
