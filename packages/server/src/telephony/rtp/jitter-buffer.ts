/**
 * A small reordering jitter buffer for received RTP: holds up to `depth` packets, releases them
 * in sequence order, drops duplicates and packets that arrive after their turn, and reports gaps
 * so the receiver can fill them with silence. Pure: no timer; the session calls `flush()` when
 * the stream goes quiet.
 */
import { type RtpPacket, seqDelta } from './rtp-packet.ts';

/** A released packet, with how many packets were missing just before it. */
export interface JitterOutput {
  readonly packet: RtpPacket;
  readonly lostBefore: number;
}

/** Default depth: three 20 ms packets = 60 ms of reordering tolerance, a common small fixed buffer. */
export const DEFAULT_JITTER_DEPTH = 3;

/** Reorders received RTP packets within a fixed depth. */
export class JitterBuffer {
  private readonly held: RtpPacket[] = [];
  private lastReleased: number | undefined;

  constructor(private readonly depth = DEFAULT_JITTER_DEPTH) {}

  /** Adds a packet; returns the packets now due, in order. */
  push(p: RtpPacket): JitterOutput[] {
    if (this.lastReleased !== undefined) {
      const d = seqDelta(this.lastReleased, p.sequenceNumber);
      // Too late (or a duplicate of a released one). A huge jump means the sender restarted: reset.
      if (d <= 0 && d > -1000) return [];
      if (d <= -1000 || d > 3000) {
        const out = this.flush();
        this.lastReleased = undefined;
        this.insert(p);
        return out;
      }
    }
    this.insert(p);
    const out: JitterOutput[] = [];
    while (this.held.length > this.depth) out.push(this.release());
    return out;
  }

  /** Releases everything held, in order. */
  flush(): JitterOutput[] {
    const out: JitterOutput[] = [];
    while (this.held.length > 0) out.push(this.release());
    return out;
  }

  /** Packets waiting. */
  get size(): number {
    return this.held.length;
  }

  private insert(p: RtpPacket): void {
    let i = this.held.length;
    while (i > 0) {
      const d = seqDelta((this.held[i - 1] as RtpPacket).sequenceNumber, p.sequenceNumber);
      if (d === 0) return; // duplicate
      if (d > 0) break;
      i--;
    }
    this.held.splice(i, 0, p);
  }

  private release(): JitterOutput {
    const p = this.held.shift() as RtpPacket;
    const lostBefore = this.lastReleased === undefined ? 0 : Math.max(0, seqDelta(this.lastReleased, p.sequenceNumber) - 1);
    this.lastReleased = p.sequenceNumber;
    return { packet: p, lostBefore };
  }
}
