import type { CallRecorder, TranscriptEntry } from '../engine/call-recorder.ts';
import type { CallsTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/**
 * The voice loop's `CallRecorder` over the store: transcript segments numbered in the order the
 * loop reports them (the numbers `evidence` refers to), events on the call's timeline (and thus
 * on `GET /v1/events/stream`).
 */
export class StoreCallRecorder implements CallRecorder {
  private next = 0;

  constructor(
    private readonly store: Store,
    private readonly call: Pick<CallsTable, 'id' | 'org_id'>,
  ) {}

  async segment(e: TranscriptEntry): Promise<number> {
    const sequenceNo = this.next++;
    await this.store.calls.addSegment({
      call_id: this.call.id,
      sequence_no: sequenceNo,
      role: e.role,
      text: e.text,
      started_at: new Date(e.startedAtMs),
      ended_at: new Date(Math.max(e.endedAtMs, e.startedAtMs)),
      duration_ms: Math.max(0, Math.round(e.endedAtMs - e.startedAtMs)),
      source: e.source,
      interrupted: e.interrupted ?? false,
    });
    return sequenceNo;
  }

  async event(type: string, data: Record<string, unknown>): Promise<void> {
    await this.store.calls.addEvent(this.call, type, data);
  }
}
