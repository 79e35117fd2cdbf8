import { describe, expect, it } from 'vitest';
import { parseSipMessage } from './parse.ts';
import { getHeader, getHeaderValues } from './message.ts';
import { serializeSipMessage } from './serialize.ts';
import { parseCSeq, parseNameAddr, parseSipUri, parseVia } from './header-values.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

const INVITE = crlf([
  'INVITE sip:+14155550123@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: <sip:+14155550123@127.0.0.1>',
  'From: "Ana" <sip:+15551234567@127.0.0.1>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33',
  'CSeq: 314159 INVITE',
  'Contact: <sip:ana@127.0.0.1:5090>',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
]);

describe('parseSipMessage', () => {
  it('parses a request with golden bytes and serialises it back byte for byte', () => {
    const r = parseSipMessage(INVITE);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'request') throw new Error('expected request');
    expect(r.value.method).toBe('INVITE');
    expect(r.value.uri).toBe('sip:+14155550123@127.0.0.1:5060');
    expect(getHeader(r.value, 'call-id')).toBe('a84b4c76e66710@pc33');
    expect(r.value.body.toString()).toBe('v=0\n');
    expect(serializeSipMessage(r.value).equals(INVITE)).toBe(true);
  });

  it('expands compact header forms', () => {
    const r = parseSipMessage(
      crlf([
        'BYE sip:a@b SIP/2.0',
        'v: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK1',
        'f: <sip:x@y>;tag=a',
        't: <sip:a@b>;tag=b',
        'i: cid',
        'CSeq: 2 BYE',
        'm: <sip:x@10.0.0.1>',
        'l: 0',
        '',
        '',
      ]),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(getHeader(r.value, 'Via')).toContain('SIP/2.0/TCP');
    expect(getHeader(r.value, 'Call-ID')).toBe('cid');
    expect(getHeader(r.value, 'contact')).toBe('<sip:x@10.0.0.1>');
    expect(serializeSipMessage(r.value).toString()).toContain('\r\nCall-ID: cid\r\n');
  });

  it('unfolds continuation lines and reads Via lists in order whether comma-joined or repeated', () => {
    const r = parseSipMessage(
      crlf([
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,',
        '  SIP/2.0/UDP b.example.com:5070;branch=z9hG4bK2',
        'Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3;received=1.2.3.4',
        'From: <sip:x@y>;tag=a',
        'To: <sip:a@b>;tag=b',
        'Call-ID: cid',
        'CSeq: 1 INVITE',
        'Subject: hello',
        '\tworld',
        '',
        '',
      ]),
    );
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'response') throw new Error('expected response');
    expect(r.value.status).toBe(200);
    const vias = getHeaderValues(r.value, 'via').map(parseVia);
    expect(vias.map((v) => v?.host)).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
    expect(vias.map((v) => v?.branch)).toEqual(['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
    expect(vias[1]?.port).toBe(5070);
    expect(getHeader(r.value, 'subject')).toBe('hello world');
  });

  it('keeps only Content-Length bytes of a datagram body and refuses a short body', () => {
    const extra = Buffer.concat([INVITE, Buffer.from('garbage after body')]);
    const r = parseSipMessage(extra);
    expect(r.ok && r.value.body.toString()).toBe('v=0\n');
    const short = Buffer.from(INVITE.toString().replace('Content-Length: 4', 'Content-Length: 40'));
    expect(parseSipMessage(short)).toEqual({ ok: false, error: 'body shorter than Content-Length' });
  });

  it.each([
    ['empty', ''],
    ['no blank line', 'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1'],
    ['bad version', INVITE.toString().replace('SIP/2.0\r\n', 'SIP/3.0\r\n')],
    ['no Via', INVITE.toString().replace(/Via: [^\r]*\r\n/, '')],
    ['bad Via', INVITE.toString().replace('Via: SIP/2.0/UDP', 'Via: garbage')],
    ['CSeq method mismatch', INVITE.toString().replace('314159 INVITE', '314159 BYE')],
    ['two From', INVITE.toString().replace('Call-ID', 'From: <sip:b@c>;tag=2\r\nCall-ID')],
    ['bad From', INVITE.toString().replace('From: "Ana" <sip:', 'From: "Ana <<sip:')],
    ['no Call-ID', INVITE.toString().replace(/Call-ID: [^\r]*\r\n/, '')],
    ['negative length', INVITE.toString().replace('Content-Length: 4', 'Content-Length: -4')],
    ['NUL in header', INVITE.toString().replace('Max-Forwards: 70', 'Max-Forwards: 7\u00000')],
    ['bare LF', INVITE.toString().replace('Max-Forwards: 70\r\n', 'Max-Forwards: 70\nX: y\r\n')],
    ['space in method', INVITE.toString().replace('INVITE sip', 'INV ITE sip')],
  ])('refuses %s', (_name, text) => {
    expect(parseSipMessage(Buffer.from(text)).ok).toBe(false);
  });
});

describe('header values', () => {
  it('reads name-addr, addr-spec, CSeq and URIs', () => {
    expect(parseNameAddr('"A \\"B\\"" <sip:a@b;transport=tcp>;tag=x')).toMatchObject({ displayName: 'A "B"', uri: 'sip:a@b;transport=tcp', tag: 'x' });
    expect(parseNameAddr('sip:a@b;tag=y')).toMatchObject({ uri: 'sip:a@b', tag: 'y' });
    expect(parseCSeq('42 ACK')).toEqual({ seq: 42, method: 'ACK' });
    expect(parseCSeq('99999999999 ACK')).toBeUndefined();
    const u = parseSipUri('sip:%2B1415@[::1]:5070;transport=tcp');
    expect(u).toMatchObject({ scheme: 'sip', user: '+1415', host: '[::1]', port: 5070 });
    expect(u?.params.get('transport')).toBe('tcp');
    expect(parseSipUri('tel:+14155550123;phone-context=x')?.user).toBe('+14155550123');
    expect(parseSipUri('sip:a@b:99999')).toBeUndefined();
  });
});
