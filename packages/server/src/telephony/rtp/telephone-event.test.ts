import { describe, expect, it } from 'vitest';
import { TelephoneEventReceiver, decodeTelephoneEvent, encodeTelephoneEvent, telephoneEventPackets } from './telephone-event.ts';

describe('RFC 4733 telephone-event', () => {
  it('encodes and decodes the payload (golden bytes)', () => {
    expect(encodeTelephoneEvent({ event: 5, end: false, volume: 10, duration: 800 }).toString('hex')).toBe('050a0320');
    expect(encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }).toString('hex')).toBe('0b8a0320');
    expect(decodeTelephoneEvent(Buffer.from('0b8a0320', 'hex'))).toEqual({ ok: true, value: { event: 11, end: true, volume: 10, duration: 800 } });
    expect(decodeTelephoneEvent(Buffer.from('0b8a03', 'hex')).ok).toBe(false);
  });

  it('schedules a digit: marker on the first packet, growing duration, end bit three times', () => {
    const pkts = telephoneEventPackets('#', 100, 20);
    expect(pkts?.map((p) => [p.marker, p.payload.toString('hex')])).toEqual([
      [true, '0b0a00a0'],
      [false, '0b0a0140'],
      [false, '0b0a01e0'],
      [false, '0b0a0280'],
      [false, '0b8a0320'],
      [false, '0b8a0320'],
      [false, '0b8a0320'],
    ]);
    expect(telephoneEventPackets('x')).toBeUndefined();
  });

  it('reports each digit once despite the repeated end packets', () => {
    const rx = new TelephoneEventReceiver();
    const got: string[] = [];
    for (const [ts, digit] of [
      [1000, '1'],
      [2000, '#'],
    ] as const) {
      for (const p of telephoneEventPackets(digit, 100) ?? []) got.push(...rx.receive(ts, p.payload).map((d) => `${d.digit}:${d.durationMs}`));
    }
    expect(got).toEqual(['1:100', '#:100']);
  });

  it('reports a digit whose end packets were all lost when the next one starts, and on flush', () => {
    const rx = new TelephoneEventReceiver();
    expect(rx.receive(100, encodeTelephoneEvent({ event: 2, end: false, volume: 10, duration: 320 }))).toEqual([]);
    expect(rx.receive(900, encodeTelephoneEvent({ event: 3, end: false, volume: 10, duration: 160 }))).toEqual([{ digit: '2', durationMs: 40 }]);
    expect(rx.flush()).toEqual([{ digit: '3', durationMs: 20 }]);
  });
});
