/**
 * The result of a connected call (calls.md → Structured results): after the status move, the
 * extraction runs on the stored transcript, then ONE transaction stores `result`, `result_status`,
 * `result_error`, writes the `extraction` call event and emits the terminal webhook event carrying
 * the final result. A connected call whose status is terminal and whose `result_status` is still
 * `pending` is owed exactly that transaction: recovery finishes it if the process died in between,
 * and the transaction's check (`result_status = 'pending'`, row locked) makes it happen once.
 */
import type { Clock } from '../core/clock.ts';
import { ConflictError, isAbortError } from '../core/errors.ts';
import { extractionEventData, type ExtractionOutcome } from '../extraction/outcome.ts';
import type { ResultExtractor } from '../extraction/result-extractor.ts';
import { hasReturns } from '../extraction/returns-schema.ts';
import { jsonb, orderedJson } from '../store/jsonb.ts';
import type { CallsTable, CallStatus, Json } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { EVENT_OF_STATUS, type CallEventSink } from './call-event-sink.ts';

/** Statuses a call can still leave (calls.md → Statuses). */
const LIVE: readonly CallStatus[] = ['queued', 'initiated', 'ringing', 'in_progress'];

export interface CallResultsDeps {
  store: Store;
  clock: Clock;
  sink: CallEventSink | null;
  extractor: ResultExtractor;
  /** This process, recorded as the owner of the extractions it runs. */
  workerId: string;
}

/** Runs and stores extractions; tracks the ones in flight so the process heartbeats for them. */
export class CallResults {
  private readonly running = new Map<string, Promise<CallsTable | null>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly d: CallResultsDeps) {}

  /** Calls whose extraction this process is running (heartbeated like live calls). */
  inFlight(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Extracts the result of a connected call that has just ended (status terminal, result pending)
   * and stores it with the terminal event. Resolves to the final row; `null` when another process
   * finished it first, or when this process is shutting down (recovery finishes it later).
   */
  finish(callId: string, dialogueFields: Readonly<Record<string, unknown>> | null): Promise<CallsTable | null> {
    const existing = this.running.get(callId);
    if (existing) return existing;
    const p = this.run(callId, dialogueFields).finally(() => this.running.delete(callId));
    this.running.set(callId, p);
    return p;
  }

  private async run(callId: string, dialogueFields: Readonly<Record<string, unknown>> | null): Promise<CallsTable | null> {
    const call = await this.d.store.calls.getAny(callId);
    if (LIVE.includes(call.status) || call.result_status !== 'pending') return null;
    const returns = call.snapshot.returns;
    let outcome: ExtractionOutcome;
    try {
      outcome = await this.extract(call, returns, dialogueFields, this.shutdown.signal);
    } catch (e) {
      if (isAbortError(e) || this.shutdown.signal.aborted) return null;
      throw e;
    }
    return this.d.store.transaction(async (s) => {
      const row = await s.db.selectFrom('calls').select(['status', 'result_status']).where('id', '=', callId).forUpdate().executeTakeFirst();
      if (!row || LIVE.includes(row.status) || row.result_status !== 'pending') return null;
      const updated = await s.db
        .updateTable('calls')
        .set({ result: toJsonb(outcome.result), result_status: outcome.status, result_error: outcome.error, updated_at: new Date(this.d.clock.now()) } as never)
        .where('id', '=', callId)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (hasReturns(returns)) await s.calls.addEvent(updated, 'extraction', extractionEventData(outcome));
      const type = EVENT_OF_STATUS[updated.status];
      if (type) await this.d.sink?.emit(s, updated, type);
      return updated;
    });
  }

  /**
   * Recovery: takes over a connected, ended call whose result is still pending and whose owner
   * stopped heartbeating before `cutoff`, then finishes it. The claim is one conditional UPDATE,
   * so two recovering processes never both take it. Resolves to the final row, or null.
   */
  async resume(callId: string, cutoff: Date): Promise<CallsTable | null> {
    const now = new Date(this.d.clock.now());
    const claimed = await this.d.store.db
      .updateTable('calls')
      .set({ worker_id: this.d.workerId, heartbeat_at: now })
      .where('id', '=', callId)
      .where('result_status', '=', 'pending')
      .where('answered_at', 'is not', null)
      .where('status', 'not in', LIVE)
      .where((eb) => eb.or([eb('heartbeat_at', '<', cutoff), eb('heartbeat_at', 'is', null)]))
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return null;
    // The dialogue's fields died with the process; an offline extraction gives nulls.
    return this.finish(callId, null);
  }

  /**
   * `POST /v1/calls/{id}/extract`: re-runs extraction on the stored transcript, optionally with
   * another `returns` (which then replaces the call's). Records the run as an `extraction` event;
   * fires no webhook. 409 for a call that never connected, is still live, is redacted, or whose
   * post-call extraction has not finished yet.
   */
  async rerun(orgId: string, callId: string, returns: Record<string, Json> | null | undefined, signal: AbortSignal): Promise<CallsTable> {
    const call = await this.d.store.calls.get(orgId, callId);
    assertExtractable(call);
    const effective = returns === undefined ? call.snapshot.returns : returns;
    // Offline, the dialogue's fields are gone; the stored result is their validated image.
    const fields = this.d.extractor.offline && isRecord(call.result) ? call.result : null;
    const outcome = await this.extract(call, effective, fields, AbortSignal.any([signal, this.shutdown.signal]));
    return this.d.store.transaction(async (s) => {
      const row = await s.db.selectFrom('calls').selectAll().where('id', '=', callId).forUpdate().executeTakeFirstOrThrow();
      assertExtractable(row);
      const set: Record<string, unknown> = { result: toJsonb(outcome.result), result_status: outcome.status, result_error: outcome.error, updated_at: new Date(this.d.clock.now()) };
      if (returns !== undefined) set.snapshot = orderedJson({ ...row.snapshot, returns });
      const updated = await s.db.updateTable('calls').set(set as never).where('id', '=', callId).returningAll().executeTakeFirstOrThrow();
      await s.calls.addEvent(updated, 'extraction', { ...extractionEventData(outcome), rerun: true });
      return updated;
    });
  }

  private async extract(call: CallsTable, returns: unknown, dialogueFields: Readonly<Record<string, unknown>> | null, signal: AbortSignal): Promise<ExtractionOutcome> {
    const segments = await this.d.store.db.selectFrom('transcript_segments').select(['sequence_no', 'role', 'text']).where('call_id', '=', call.id).orderBy('sequence_no').execute();
    const timezone = typeof call.snapshot.timezone === 'string' ? call.snapshot.timezone : undefined;
    return this.d.extractor.extract({ returns, segments, dialogueFields, timezone, endedAt: call.ended_at, signal });
  }

  /** Stops extractions in flight (they stay pending; recovery finishes them) and waits for them. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.running.values()]);
  }
}

function assertExtractable(call: Pick<CallsTable, 'answered_at' | 'status' | 'redacted_at' | 'result_status'>): void {
  if (!call.answered_at) throw new ConflictError('This call never connected: there is no transcript to extract from.');
  if (LIVE.includes(call.status)) throw new ConflictError('This call is still live; its result is extracted when it ends.');
  if (call.redacted_at) throw new ConflictError('This call was redacted: its transcript is gone.');
  if (call.result_status === 'pending') throw new ConflictError("This call's result is still being extracted; retry in a few seconds.");
}

function toJsonb(v: Record<string, unknown> | null) {
  return v === null ? null : jsonb(v as Json);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
