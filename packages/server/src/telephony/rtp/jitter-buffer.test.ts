import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.ts';
import type { RtpPacket } from './rtp-packet.ts';

const pkt = (seq: number): RtpPacket => ({ payloadType: 0, marker: false, sequenceNumber: seq & 0xffff, timestamp: seq * 160, ssrc: 1, csrcs: [], extension: undefined, payload: new Uint8Array(0) });
const run = (jb: JitterBuffer, seqs: number[]): string[] => [...seqs.flatMap((s) => jb.push(pkt(s))), ...jb.flush()].map((o) => `${o.packet.sequenceNumber}${o.lostBefore ? `(-${o.lostBefore})` : ''}`);

describe('JitterBuffer', () => {
  it('reorders within its depth and drops duplicates', () => {
    expect(run(new JitterBuffer(3), [1, 3, 2, 2, 4, 6, 5, 7])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('reports gaps and drops packets that arrive after their turn', () => {
    expect(run(new JitterBuffer(2), [1, 2, 5, 6, 7, 3, 8])).toEqual(['1', '2', '5(-2)', '6', '7', '8']);
  });

  it('follows the sequence number across the 16-bit wrap', () => {
    expect(run(new JitterBuffer(2), [65534, 0, 65535, 1])).toEqual(['65534', '65535', '0', '1']);
  });

  it('resets when the sender jumps far (a new stream)', () => {
    expect(run(new JitterBuffer(1), [10, 11, 40000, 40001])).toEqual(['10', '11', '40000', '40001']);
  });
});
