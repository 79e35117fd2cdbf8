import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtpPacket, seqDelta, serializeRtpPacket } from './rtp-packet.ts';
import { decodeG711, encodeG711, g711SilenceByte } from './g711.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('RTP packet codec', () => {
  it('encodes and decodes a plain packet (golden bytes)', () => {
    const bytes = hex('80 80 1234 00000140 deadbeef fffe');
    const p = { payloadType: 0, marker: true, sequenceNumber: 0x1234, timestamp: 320, ssrc: 0xdeadbeef, csrcs: [], extension: undefined, payload: new Uint8Array([0xff, 0xfe]) };
    expect(serializeRtpPacket(p).equals(bytes)).toBe(true);
    const r = parseRtpPacket(bytes);
    expect(r.ok && { ...r.value, payload: [...r.value.payload] }).toEqual({ ...p, payload: [0xff, 0xfe], paddingBytes: 0 });
  });

  it('handles CSRCs, a header extension and padding (golden bytes)', () => {
    const bytes = hex('b2 65 ffff ffffffff 00000001 00000002 00000003 bede0001 01020304 09 000003');
    const r = parseRtpPacket(bytes);
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toMatchObject({ payloadType: 101, marker: false, sequenceNumber: 0xffff, timestamp: 0xffffffff, ssrc: 1, csrcs: [2, 3], paddingBytes: 3 });
    expect([...(r.value.extension?.data ?? [])]).toEqual([1, 2, 3, 4]);
    expect(r.value.extension?.profile).toBe(0xbede);
    expect([...r.value.payload]).toEqual([9]);
    expect(serializeRtpPacket(r.value).equals(bytes)).toBe(true);
  });

  it.each([
    ['too short', '80 00 0001'],
    ['version 1', '40 00 0001 00000000 00000000'],
    ['CSRC list truncated', '83 00 0001 00000000 00000000 00000001'],
    ['extension truncated', '90 00 0001 00000000 00000000 bede0002 01020304'],
    ['padding larger than packet', 'a0 00 0001 00000000 00000000 ff'],
    ['zero padding count', 'a0 00 0001 00000000 00000000 00'],
  ])('refuses %s', (_n, h) => {
    expect(parseRtpPacket(hex(h)).ok).toBe(false);
  });

  it('never throws on arbitrary bytes, and what it accepts round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const r = parseRtpPacket(bytes);
        if (r.ok) expect(parseRtpPacket(serializeRtpPacket(r.value))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('computes sequence distance across the wrap', () => {
    expect(seqDelta(65535, 0)).toBe(1);
    expect(seqDelta(0, 65535)).toBe(-1);
    expect(seqDelta(100, 103)).toBe(3);
  });
});

describe('G.711', () => {
  it('encodes silence and known samples (golden bytes)', () => {
    expect([...encodeG711('PCMU', new Int16Array([0, 1000, -1000]))]).toEqual([0xff, 0xce, 0x4e]);
    expect([...encodeG711('PCMA', new Int16Array([0, 1000, -1000]))]).toEqual([0xd5, 0xfa, 0x7a]);
    expect(g711SilenceByte('PCMU')).toBe(encodeG711('PCMU', new Int16Array([0]))[0]);
    expect(g711SilenceByte('PCMA')).toBe(encodeG711('PCMA', new Int16Array([0]))[0]);
  });

  it('round-trips within quantisation error', () => {
    const s = new Int16Array([0, 100, -100, 8000, -8000, 32000]);
    for (const enc of ['PCMU', 'PCMA'] as const) {
      const back = decodeG711(enc, encodeG711(enc, s));
      s.forEach((v, i) => expect(Math.abs((back[i] ?? 0) - v)).toBeLessThanOrEqual(Math.max(16, Math.abs(v) / 16)));
    }
  });
});
