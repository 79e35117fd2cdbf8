import { describe, expect, it } from 'vitest';
import { SipStreamFramer } from './stream-framer.ts';

const msg = (n: number, body = ''): Buffer =>
  Buffer.from(
    [
      `OPTIONS sip:a@b SIP/2.0`,
      `Via: SIP/2.0/TCP h;branch=z9hG4bK${n}`,
      'From: <sip:x@y>;tag=a',
      'To: <sip:a@b>',
      `Call-ID: c${n}`,
      `CSeq: ${n} OPTIONS`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );

const callIds = (items: ReturnType<SipStreamFramer['push']>): string[] =>
  items.map((i) => (i.ok && typeof i.value !== 'string' ? (i.value.headers.find((h) => h.name === 'call-id')?.value ?? '?') : String(i.ok ? i.value : i.error)));

describe('SipStreamFramer', () => {
  it('delivers several messages from one read', () => {
    const f = new SipStreamFramer();
    expect(callIds(f.push(Buffer.concat([msg(1), msg(2, 'hello'), msg(3)])))).toEqual(['c1', 'c2', 'c3']);
    expect(f.pendingBytes).toBe(0);
  });

  it('reassembles a message split at every byte', () => {
    const whole = Buffer.concat([msg(1, 'body'), msg(2)]);
    const f = new SipStreamFramer();
    const got: string[] = [];
    for (let i = 0; i < whole.length; i++) got.push(...callIds(f.push(whole.subarray(i, i + 1))));
    expect(got).toEqual(['c1', 'c2']);
  });

  it('reports keep-alive pings and skips them', () => {
    const f = new SipStreamFramer();
    const items = f.push(Buffer.concat([Buffer.from('\r\n\r\n'), msg(1)]));
    expect(items.map((i) => i.ok && i.value === 'keepalive-ping')).toEqual([true, false]);
  });

  it('fails the stream on a message without Content-Length and on garbage, without throwing', () => {
    const f = new SipStreamFramer();
    const noLength = Buffer.from(msg(1).toString().replace(/Content-Length: 0\r\n/, ''));
    const items = f.push(noLength);
    expect(items).toEqual([{ ok: false, error: 'missing or bad Content-Length on a stream' }]);
    expect(f.isFailed).toBe(true);
    expect(f.push(msg(2))).toEqual([]);
    const g = new SipStreamFramer();
    expect(g.push(Buffer.from('\x16\x03\x01 not sip at all\r\n\r\n'))[0]?.ok).toBe(false);
  });

  it('reports a well-framed invalid message and keeps the stream', () => {
    const f = new SipStreamFramer();
    const bad = Buffer.from(msg(1).toString().replace('CSeq: 1 OPTIONS', 'CSeq: 1 BYE'));
    const items = f.push(Buffer.concat([bad, msg(2)]));
    expect(items[0]?.ok).toBe(false);
    expect(callIds(items.slice(1))).toEqual(['c2']);
  });

  it('fails on endless headers instead of buffering forever', () => {
    const f = new SipStreamFramer();
    const items = f.push(Buffer.alloc(70_000, 0x41));
    expect(items[0]?.ok).toBe(false);
    expect(f.pendingBytes).toBe(0);
  });
});
