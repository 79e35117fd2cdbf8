import { sql } from 'kysely';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/store.ts';
import type { SendResult } from './http-sender.ts';

/** webhooks.md: an endpoint exhausted 10 times in a row is disabled. */
export const DISABLE_AFTER_EXHAUSTED = 10;
const TERMINAL = new Set(['call.completed', 'call.failed', 'call.no_answer', 'call.busy', 'call.canceled']);

/** What a claimed delivery row carries into its attempt. */
export interface AttemptedDelivery {
  id: string;
  org_id: string;
  endpoint_id: string | null;
  call_id: string | null;
  event_type: string;
  attempt_count: number;
  delivered_at: Date | null;
}

/** One finished attempt: the row as claimed, what the receiver answered, and when it finished. */
export interface AttemptResult {
  d: AttemptedDelivery;
  r: SendResult;
  atMs: number;
}

/** The row's next state after an attempt (webhooks.md → Retries). */
export interface AttemptOutcome {
  attemptNo: number;
  status: 'delivered' | 'exhausted' | 'pending';
  exhausted: boolean;
  nextAttemptAt: Date | null;
}

/** Pure: attempt n failed ⇒ retry after `schedule[n-1]` seconds ± 20 %, until `schedule.length + 1` attempts. */
export function outcomeOf(a: AttemptResult, schedule: readonly number[], random: () => number): AttemptOutcome {
  const attemptNo = a.d.attempt_count + 1;
  const exhausted = !a.r.ok && attemptNo >= schedule.length + 1;
  const status = a.r.ok ? 'delivered' : exhausted ? 'exhausted' : 'pending';
  const delayS = schedule[Math.min(attemptNo - 1, schedule.length - 1)] ?? 0;
  const jitter = 0.8 + 0.4 * random();
  return { attemptNo, status, exhausted, nextAttemptAt: status === 'pending' ? new Date(a.atMs + delayS * 1000 * jitter) : null };
}

/**
 * Pure: an endpoint's failure counter after a run of outcomes in the order they happened — a 2xx
 * zeroes it, an exhausted delivery adds one — and whether it reached the disabling threshold on
 * the way (a later 2xx in the same batch does not undo a disable, as it would not one at a time).
 */
export function foldEndpointCounter(start: number, events: ReadonlyArray<'ok' | 'exhausted'>): { counter: number; reached: boolean } {
  let counter = start;
  let reached = false;
  for (const e of events) {
    counter = e === 'ok' ? 0 : counter + 1;
    if (counter >= DISABLE_AFTER_EXHAUSTED) reached = true;
  }
  return { counter, reached };
}

/**
 * Records a batch of attempts in one transaction of three statements, whatever the batch size:
 * the calls are locked; then one statement writes each row's outcome and its attempt (only rows
 * this worker still leases: a row whose lease ran out belongs to whoever claimed it since, and
 * that attempt is the one recorded), the call's `webhook_status` for its inline terminal event,
 * and a `webhook_delivery` call event per attempt. Endpoint failure counters and auto-disable add
 * statements only when a counter changes. `release` hands rows back unsent.
 *
 * Locks are taken in one order by every worker — calls by id, delivery rows (which only their
 * leaseholder updates), endpoints by id — so two workers' batches never deadlock. A call is locked
 * before its next event number is read, as `CallRepo.addEvent` does, and read by a later statement
 * than the lock, so it sees events committed while the lock was awaited.
 */
export async function recordAttempts(
  store: Store,
  o: { workerId: string; results: readonly AttemptResult[]; release: readonly string[]; schedule: readonly number[]; random: () => number },
): Promise<void> {
  if (o.results.length === 0 && o.release.length === 0) return;
  const rows = o.results.map((a, i) => {
    const out = outcomeOf(a, o.schedule, o.random);
    const d = a.d;
    const settles = d.call_id !== null && d.endpoint_id === null && TERMINAL.has(d.event_type) && (a.r.ok || out.exhausted);
    const event = {
      delivery_id: d.id, event_type: d.event_type, endpoint_id: d.endpoint_id, status: out.status, attempt: out.attemptNo,
      ...(a.r.status !== null ? { response_status: a.r.status } : {}),
    };
    return {
      a, out, ord: i, at: new Date(a.atMs).toISOString(), callStatus: settles ? (a.r.ok ? 'delivered' : 'failed') : null,
      eventId: d.call_id ? newId('cev', a.atMs) : null, event: d.call_id ? JSON.stringify(event) : null,
    };
  });
  const col = <T>(f: (x: (typeof rows)[number]) => T): T[] => rows.map(f);
  await store.transaction(async (s) => {
    if (o.release.length > 0) {
      await s.db.updateTable('webhook_deliveries').set({ locked_until: null, locked_by: null }).where('id', 'in', o.release).where('locked_by', '=', o.workerId).where('status', '=', 'pending').execute();
    }
    if (rows.length === 0) return;
    const callIds = [...new Set(rows.flatMap((x) => (x.a.d.call_id ? [x.a.d.call_id] : [])))].sort();
    if (callIds.length > 0) await s.db.selectFrom('calls').select('id').where('id', 'in', callIds).orderBy('id').forUpdate().execute();
    // "d.id = any(…)" besides the join: the primary key bounds the scan by the batch, with or without statistics.
    const mine = await sql<{ id: string }>`
      with v as (
        select * from unnest(
          ${col((x) => x.a.d.id)}::text[], ${col((x) => x.ord)}::int[], ${col((x) => x.out.status)}::text[], ${col((x) => x.out.attemptNo)}::int[],
          ${col((x) => x.a.r.error)}::text[], ${col((x) => x.a.r.status)}::int[], ${col((x) => x.at)}::timestamptz[],
          ${col((x) => (x.a.r.ok ? x.at : (x.a.d.delivered_at?.toISOString() ?? null)))}::timestamptz[], ${col((x) => x.out.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
          ${col((x) => Math.round(x.a.r.durationMs))}::int[], ${col((x) => x.a.d.call_id)}::text[], ${col((x) => x.a.d.org_id)}::text[],
          ${col((x) => x.callStatus)}::text[], ${col((x) => x.eventId)}::text[], ${col((x) => x.event)}::text[]
        ) as v(id, ord, status, attempt_no, error, status_code, at, delivered_at, next_attempt_at, duration_ms, call_id, org_id, call_status, event_id, event)
      ),
      u as (
        update webhook_deliveries d set
          status = v.status, attempt_count = v.attempt_no, last_error = v.error, last_response_status = v.status_code, updated_at = v.at,
          locked_until = null, locked_by = null, delivered_at = v.delivered_at, next_attempt_at = v.next_attempt_at
        from v where d.id = any(${col((x) => x.a.d.id)}::text[]) and d.id = v.id and d.locked_by = ${o.workerId} and d.status = 'pending'
        returning d.id
      ),
      done as (select v.* from v join u on u.id = v.id),
      attempts as (
        insert into webhook_attempts (delivery_id, attempt_no, at, status_code, duration_ms, error)
        select id, attempt_no, at, status_code, duration_ms, error from done
        on conflict do nothing
      ),
      settled as (
        update calls c set webhook_status = x.call_status, webhook_error = x.error
        from (select distinct on (call_id) call_id, call_status, error from done where call_status is not null order by call_id, ord desc) x
        where c.id = x.call_id
      ),
      numbered as (select *, row_number() over (partition by call_id order by ord) as k from done where call_id is not null),
      events as (
        insert into call_events (id, org_id, call_id, sequence_no, type, at, data)
        select n.event_id, n.org_id, n.call_id, coalesce((select max(e.sequence_no) from call_events e where e.call_id = n.call_id), 0) + n.k, 'webhook_delivery', n.at, n.event::jsonb
        from numbered n
      )
      select id from u`.execute(s.db);
    const recorded = new Set(mine.rows.map((r) => r.id));

    // Endpoints: in the common case (every answer 2xx, counters already 0) this locks and writes nothing.
    const byEndpoint = new Map<string, Array<'ok' | 'exhausted'>>();
    for (const x of rows) {
      if (!x.a.d.endpoint_id || !recorded.has(x.a.d.id) || !(x.a.r.ok || x.out.exhausted)) continue;
      byEndpoint.set(x.a.d.endpoint_id, [...(byEndpoint.get(x.a.d.endpoint_id) ?? []), x.a.r.ok ? 'ok' : 'exhausted']);
    }
    if (byEndpoint.size === 0) return;
    const withExhausted = [...byEndpoint].filter(([, ev]) => ev.includes('exhausted')).map(([id]) => id);
    const okOnly = [...byEndpoint.keys()].filter((id) => !withExhausted.includes(id));
    const locked = await s.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'consecutive_failures', 'status'])
      .where((w) => w.or([
        ...(withExhausted.length ? [w('id', 'in', withExhausted)] : []),
        ...(okOnly.length ? [w.and([w('id', 'in', okOnly), w('consecutive_failures', '<>', 0)])] : []),
      ]))
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const ep of locked) {
      const { counter, reached } = foldEndpointCounter(ep.consecutive_failures, byEndpoint.get(ep.id)!);
      const disable = reached && ep.status === 'enabled';
      const now = new Date(Math.max(...rows.filter((x) => x.a.d.endpoint_id === ep.id).map((x) => x.a.atMs)));
      await s.db
        .updateTable('webhook_endpoints')
        .set({ consecutive_failures: counter, ...(disable ? { status: 'disabled', disabled_reason: 'too_many_failures', disabled_at: now, updated_at: now } : {}) })
        .where('id', '=', ep.id)
        .execute();
    }
  });
}
