/**
 * The send side's accounting (STYLE rule 5, playout is observed): segments of 8 kHz audio queue
 * here, the pacer takes one 20 ms frame per tick, and each segment's promise resolves when its
 * last sample was taken for sending — or, with `completed: false`, when it was cleared or aborted.
 * Pure: no timer, no socket.
 */
import type { PlayoutResult } from '../transport.ts';

/** Samples per 20 ms packet at 8 kHz. */
export const SAMPLES_PER_FRAME = 160;

interface Segment {
  chunks: Int16Array[];
  buffered: number;
  sentSamples: number;
  inputDone: boolean;
  resolve: (r: PlayoutResult) => void;
  settled: boolean;
}

/** A frame to put on the wire. */
export interface OutgoingFrame {
  readonly samples: Int16Array;
  /** First audio after silence or an underrun: RTP marker bit (RFC 3551 §4.1). */
  readonly talkspurtStart: boolean;
}

/** Queued outgoing audio segments and the accounting of what was sent. */
export class PlayoutQueue {
  private readonly segments: Segment[] = [];
  private inTalkspurt = false;

  /** Starts a segment; feed it with `append`, end it with `finish`. */
  open(): { append: (s: Int16Array) => void; finish: () => void; cancel: () => void; done: Promise<PlayoutResult> } {
    let resolve!: (r: PlayoutResult) => void;
    const done = new Promise<PlayoutResult>((r) => (resolve = r));
    const seg: Segment = { chunks: [], buffered: 0, sentSamples: 0, inputDone: false, resolve, settled: false };
    this.segments.push(seg);
    return {
      append: (s) => {
        if (seg.settled || seg.inputDone || s.length === 0) return;
        seg.chunks.push(s);
        seg.buffered += s.length;
      },
      finish: () => {
        seg.inputDone = true;
        this.settleFinished();
      },
      cancel: () => this.drop(seg),
      done,
    };
  }

  /** Takes the next 20 ms frame, or `undefined` when nothing is ready (an underrun or idle). */
  take(): OutgoingFrame | undefined {
    this.settleFinished();
    const seg = this.segments[0];
    if (!seg || (seg.buffered < SAMPLES_PER_FRAME && !seg.inputDone) || seg.buffered === 0) {
      this.inTalkspurt = false;
      return undefined;
    }
    const frame = new Int16Array(SAMPLES_PER_FRAME);
    let filled = 0;
    while (filled < SAMPLES_PER_FRAME && seg.chunks.length > 0) {
      const c = seg.chunks[0] as Int16Array;
      const n = Math.min(c.length, SAMPLES_PER_FRAME - filled);
      frame.set(c.subarray(0, n), filled);
      filled += n;
      if (n === c.length) seg.chunks.shift();
      else seg.chunks[0] = c.subarray(n);
    }
    seg.buffered -= filled;
    seg.sentSamples += filled;
    const talkspurtStart = !this.inTalkspurt;
    this.inTalkspurt = true;
    this.settleFinished();
    return { samples: frame, talkspurtStart };
  }

  /** Barge-in: every segment resolves with what was sent so far. */
  clear(): void {
    for (const seg of [...this.segments]) this.drop(seg);
  }

  /** True while any segment waits. */
  get busy(): boolean {
    return this.segments.length > 0;
  }

  private drop(seg: Segment): void {
    const i = this.segments.indexOf(seg);
    if (i >= 0) this.segments.splice(i, 1);
    this.settle(seg, false);
  }

  private settleFinished(): void {
    while (this.segments[0]?.inputDone && this.segments[0].buffered === 0) this.settle(this.segments.shift() as Segment, true);
  }

  private settle(seg: Segment, completed: boolean): void {
    if (seg.settled) return;
    seg.settled = true;
    seg.resolve({ playedMs: Math.round(seg.sentSamples / 8), completed });
  }
}
