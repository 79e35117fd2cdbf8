import type { Clock } from '../core/clock.ts';
import type { CallsTable, CallStatus, Json } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { EVENT_OF_STATUS, type CallEventSink } from './call-event-sink.ts';
import type { CallResults } from './call-results.ts';

/** Statuses a call can still leave; everything else is terminal (calls.md → Statuses). */
const LIVE: readonly CallStatus[] = ['queued', 'initiated', 'ringing', 'in_progress'];

export interface InboundCallStart {
  orgId: string;
  agentId: string;
  agentVersion: number;
  snapshot: Record<string, Json>;
  fromNumber: string;
  toNumber: string;
  webhookUrl: string | null;
  metadata: Record<string, Json>;
  /** The process that owns the call and heartbeats for it. */
  workerId: string;
}

export interface CallEnd {
  hangupCause: string;
  endedBy: 'caller' | 'agent' | 'system' | 'api';
  errorCode?: string;
  errorMessage?: string;
  /** The offline intake dialogue's confirmed field values (the `local` extraction's source). */
  dialogueFields?: Record<string, unknown> | null;
}

/**
 * Status transitions of a call, each written with its `status` event in one transaction.
 * Transitions only move forward: a transition from a status the call has already left is a no-op
 * (a late CANCEL after BYE, a second hang-up), never a rewrite of history.
 */
export class CallLifecycle {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sink: CallEventSink | null,
    /** Extracts and stores the result of a connected call after it ended (with its terminal event). */
    readonly results: CallResults,
  ) {}

  /** A routed inbound call: the record with its snapshot, status `ringing`. */
  async createInbound(c: InboundCallStart): Promise<CallsTable> {
    return this.store.transaction(async (s) => {
      const call = await s.calls.insert({
        org_id: c.orgId, agent_id: c.agentId, agent_version: c.agentVersion, direction: 'inbound', status: 'ringing',
        from_number: c.fromNumber, to_number: c.toNumber, snapshot: c.snapshot, webhook_url: c.webhookUrl,
        webhook_status: c.webhookUrl ? 'pending' : 'none', metadata: c.metadata, started_at: new Date(this.clock.now()),
        worker_id: c.workerId, heartbeat_at: new Date(this.clock.now()),
      });
      await s.calls.addEvent(call, 'status', { from: null, to: 'ringing' });
      await this.sink?.emit(s, call, 'call.ringing');
      return call;
    });
  }

  /** The line is connected: `in_progress`, `answered_at`. */
  async answered(callId: string, workerId: string): Promise<CallsTable | null> {
    const now = new Date(this.clock.now());
    return this.move(callId, ['ringing', 'initiated', 'queued'], 'in_progress', { answered_at: now, worker_id: workerId, heartbeat_at: now });
  }

  /**
   * The call ended: `completed` when it was answered, `canceled` before that (or `failed` with an
   * error code); `ended_at`, `duration_seconds`, `hangup_cause`, `ended_by`.
   *
   * A call that never connected gets its terminal event in the same transaction (`result_status`
   * stays `pending`, as calls.md says). A connected call moves with `result_status: "pending"` and
   * no terminal event; then its result is extracted and stored, and the terminal event fires with
   * it (calls.md → Inbound routing, step 6). Resolves after all of that, to the final row; `null`
   * when the call had already ended.
   */
  async ended(callId: string, end: CallEnd): Promise<CallsTable | null> {
    const call = await this.store.calls.getAny(callId);
    if (!LIVE.includes(call.status)) return null;
    const now = new Date(this.clock.now());
    const status: CallStatus = end.errorCode ? 'failed' : call.answered_at ? 'completed' : 'canceled';
    const duration = call.answered_at ? Math.max(0, Math.round((now.getTime() - call.answered_at.getTime()) / 1000)) : 0;
    const connected = call.answered_at !== null;
    const moved = await this.move(callId, LIVE, status, {
      ended_at: now, duration_seconds: duration, billed_duration_seconds: connected ? duration : 0,
      hangup_cause: end.hangupCause, ended_by: end.endedBy, error_code: end.errorCode ?? null, error_message: end.errorMessage ?? null,
      // The owner of the extraction heartbeats for it; recovery takes over if that stops.
      ...(connected ? { result_status: 'pending', heartbeat_at: now } : {}),
    }, end.hangupCause, { terminalEvent: !connected });
    if (!moved || !connected) return moved;
    return (await this.results.finish(callId, end.dialogueFields ?? null)) ?? (await this.store.calls.getAny(callId));
  }

  private async move(callId: string, from: readonly CallStatus[], to: CallStatus, fields: Partial<CallsTable>, reason?: string, opts: { terminalEvent?: boolean } = {}): Promise<CallsTable | null> {
    return this.store.transaction(async (s) => {
      const before = await s.db.selectFrom('calls').select(['status']).where('id', '=', callId).forUpdate().executeTakeFirst();
      if (!before || !from.includes(before.status)) return null;
      const updated = await s.db
        .updateTable('calls')
        .set({ ...fields, status: to, updated_at: new Date(this.clock.now()) } as never)
        .where('id', '=', callId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await s.calls.addEvent(updated, 'status', { from: before.status, to, ...(reason ? { reason } : {}) });
      const type = EVENT_OF_STATUS[to];
      if (type && opts.terminalEvent !== false) await this.sink?.emit(s, updated, type);
      return updated;
    });
  }
}
