import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import type { CallLifecycle } from './call-lifecycle.ts';

/** calls.md → Crash recovery: a worker that stopped heartbeating for 30 s has lost its calls (`CALLINGBOX_WORKER_TIMEOUT_MS` shortens it in tests). */
export const WORKER_LOST_AFTER_MS = 30_000;

/**
 * Closes live calls whose owner stopped heartbeating: `failed`, `error_code` and `hangup_cause`
 * `worker_lost`, with their terminal event (through the lifecycle, so the outbox row is written in
 * the same transaction). Returns the ids it closed.
 */
export async function recoverLostCalls(store: Store, lifecycle: CallLifecycle, clock: Clock, lostAfterMs = WORKER_LOST_AFTER_MS): Promise<string[]> {
  const cutoff = new Date(clock.now() - lostAfterMs);
  const lost = await store.db
    .selectFrom('calls')
    .select('id')
    .where('status', 'in', ['ringing', 'in_progress'])
    .where('heartbeat_at', '<', cutoff)
    .execute();
  const closed: string[] = [];
  for (const { id } of lost) {
    const done = await lifecycle.ended(id, { hangupCause: 'worker_lost', endedBy: 'system', errorCode: 'worker_lost', errorMessage: 'the process that owned this call stopped' });
    if (done) closed.push(id);
  }
  return closed;
}

/**
 * Finishes the results of connected calls that ended but whose extraction never completed (the
 * process died between the status move and the result transaction): each gets its extraction, its
 * `extraction` event and its one terminal webhook event. Only calls whose owner stopped
 * heartbeating for 30 s are taken. Returns the ids it finished.
 */
export async function resumePendingResults(store: Store, lifecycle: CallLifecycle, clock: Clock, lostAfterMs = WORKER_LOST_AFTER_MS): Promise<string[]> {
  const cutoff = new Date(clock.now() - lostAfterMs);
  const pending = await store.db
    .selectFrom('calls')
    .select('id')
    .where('result_status', '=', 'pending')
    .where('answered_at', 'is not', null)
    .where('status', 'in', ['completed', 'failed', 'no_answer', 'busy', 'canceled'])
    .where((eb) => eb.or([eb('heartbeat_at', '<', cutoff), eb('heartbeat_at', 'is', null)]))
    .execute();
  const finished: string[] = [];
  for (const { id } of pending) if (await lifecycle.results.resume(id, cutoff)) finished.push(id);
  return finished;
}

/** Marks this worker's live calls as alive. */
export async function heartbeat(store: Store, clock: Clock, callIds: Iterable<string>): Promise<void> {
  const ids = [...callIds];
  if (ids.length === 0) return;
  await store.db.updateTable('calls').set({ heartbeat_at: new Date(clock.now()) }).where('id', 'in', ids).execute();
}
