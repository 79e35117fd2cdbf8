import { describe, expect, it } from 'vitest';
import { type Dialog, buildInDialogRequest } from './dialog.ts';
import { getHeader } from './message.ts';
import { parseSipMessage } from './parse.ts';
import { formatSipfrag, parseReferTo, parseSipfrag, referNotify } from './refer.ts';
import { serializeSipMessage } from './serialize.ts';

const crlf = (lines: string[]): string => lines.join('\r\n');

describe('parseReferTo', () => {
  it('reads the Refer-To of a REFER as a PBX sends it (golden text, compact header name)', () => {
    const refer = parseSipMessage(
      Buffer.from(
        crlf([
          'REFER sip:ana@127.0.0.1:5090 SIP/2.0',
          'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK74bf9;rport',
          'From: <sip:+14155550123@127.0.0.1>;tag=a73kszlfl',
          'To: <sip:ana@127.0.0.1>;tag=1928301774',
          'Call-ID: a84b4c76e66710@pc33',
          'CSeq: 93809824 REFER',
          'r: "Front desk" <sip:+14155550199@pbx.example:5060;transport=tcp>',
          'Referred-By: <sip:callingbox@127.0.0.1>',
          'Content-Length: 0',
          '',
          '',
        ]),
      ),
    );
    if (!refer.ok || refer.value.kind !== 'request') throw new Error('expected a request');
    expect(parseReferTo(getHeader(refer.value, 'refer-to') ?? '')).toEqual({ uri: 'sip:+14155550199@pbx.example:5060;transport=tcp', displayName: 'Front desk', headers: new Map() });
  });

  it('reads addr-spec and tel targets, and the Replaces header of an attended transfer (RFC 3891 §5)', () => {
    expect(parseReferTo('sip:desk@10.0.0.1')).toMatchObject({ uri: 'sip:desk@10.0.0.1', displayName: undefined });
    expect(parseReferTo('<tel:+14155550199>')?.uri).toBe('tel:+14155550199');
    const attended = parseReferTo('<sip:bob@biloxi.example?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>');
    expect(attended?.uri).toBe('sip:bob@biloxi.example');
    expect(attended?.headers.get('replaces')).toBe('12345@192.168.118.3;to-tag=12345;from-tag=5FFE-3994');
  });

  it.each([[''], ['<sip:unterminated'], ['<http://example.com/>'], ['<sip:a@b?oops>'], ['<sip:a@b?x=%E0%A4%A>'], ['not a uri']])('refuses %j', (v) => {
    expect(parseReferTo(v)).toBeUndefined();
  });
});

describe('sipfrag (RFC 3420)', () => {
  it('formats and parses a status line', () => {
    expect(formatSipfrag({ status: 100, reason: 'Trying' })).toBe('SIP/2.0 100 Trying\r\n');
    expect(formatSipfrag({ status: 603, reason: 'Decline\r\nX-Injected: 1' })).toBe('SIP/2.0 603 Decline X-Injected: 1\r\n');
    expect(parseSipfrag('SIP/2.0 200 OK\r\n')).toEqual({ status: 200, reason: 'OK' });
    // A fragment may carry headers after the status line (RFC 3515 §2.4.5); only the status counts
    expect(parseSipfrag('SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n')).toEqual({ status: 486, reason: 'Busy Here' });
    expect(parseSipfrag('SIP/2.0 180')).toEqual({ status: 180, reason: '' });
    expect(parseSipfrag('INVITE sip:a@b SIP/2.0')).toBeUndefined();
    expect(parseSipfrag('SIP/2.0 99 Nope')).toBeUndefined();
  });
});

describe('referNotify', () => {
  const dialog = (): Dialog => ({
    callId: 'a84b4c76e66710@pc33',
    localTag: '1928301774',
    remoteTag: 'a73kszlfl',
    localNameAddr: '<sip:ana@127.0.0.1>;tag=1928301774',
    remoteNameAddr: '<sip:+14155550123@127.0.0.1>;tag=a73kszlfl',
    remoteTarget: 'sip:callingbox@127.0.0.1:5060',
    routeSet: [],
    localSeq: 1,
    remoteSeq: 93809824,
  });
  const via = { transport: 'udp', host: '127.0.0.1', port: 5090, branch: 'z9hG4bKnotify1' };

  it('builds the first progress report: 100 Trying, subscription active (golden text)', () => {
    const n = referNotify({ status: 100, reason: 'Trying' }, 93809824);
    const req = buildInDialogRequest(dialog(), 'NOTIFY', via, { ...n, extra: n.extra });
    expect(serializeSipMessage(req).toString('utf8')).toBe(
      crlf([
        'NOTIFY sip:callingbox@127.0.0.1:5060 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKnotify1;rport',
        'Max-Forwards: 70',
        'From: <sip:ana@127.0.0.1>;tag=1928301774',
        'To: <sip:+14155550123@127.0.0.1>;tag=a73kszlfl',
        'Call-ID: a84b4c76e66710@pc33',
        'CSeq: 2 NOTIFY',
        'Event: refer;id=93809824',
        'Subscription-State: active;expires=60',
        'Content-Type: message/sipfrag;version=2.0',
        'Content-Length: 20',
        '',
        'SIP/2.0 100 Trying\r\n',
      ]),
    );
  });

  it('ends the subscription with the final status', () => {
    const n = referNotify({ status: 200, reason: 'OK' }, 7);
    expect(n.extra).toEqual([
      { name: 'event', value: 'refer;id=7' },
      { name: 'subscription-state', value: 'terminated;reason=noresource' },
    ]);
    expect(n.body.toString()).toBe('SIP/2.0 200 OK\r\n');
    expect(referNotify({ status: 603, reason: 'Decline' }, 7).extra[1]?.value).toBe('terminated;reason=noresource');
  });
});
