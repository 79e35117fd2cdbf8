import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from './parse.ts';
import { SipStreamFramer } from './stream-framer.ts';
import { getHeaderValues } from './message.ts';
import { parseCSeq, parseNameAddr, parseVia } from './header-values.ts';

const VALID = [
  'INVITE sip:+14155550123@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK776',
  'From: <sip:a@b>;tag=1',
  'To: <sip:c@d>',
  'Call-ID: x1',
  'CSeq: 1 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

/** Mutations of a valid message: the kind of damage a hostile or broken peer sends. */
const mutated = fc
  .tuple(fc.nat(VALID.length), fc.nat(40), fc.string({ maxLength: 30, unit: 'binary' }))
  .map(([at, del, insert]) => VALID.slice(0, at) + insert + VALID.slice(at + del));

describe('SIP codec fuzz', () => {
  it('never throws and accepts only messages with what a UA needs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400, unit: 'binary' }), mutated, fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('latin1'))), (text) => {
        const r = parseSipMessage(Buffer.from(text, 'utf8'));
        if (!r.ok) return;
        const m = r.value;
        // Anything accepted is fully answerable: readable Via, From, To, CSeq and a Call-ID.
        expect(getHeaderValues(m, 'via').length).toBeGreaterThan(0);
        for (const v of getHeaderValues(m, 'via')) expect(parseVia(v)).toBeDefined();
        expect(parseNameAddr(m.headers.find((h) => h.name === 'from')?.value ?? '')).toBeDefined();
        expect(parseNameAddr(m.headers.find((h) => h.name === 'to')?.value ?? '')).toBeDefined();
        const cseq = parseCSeq(m.headers.find((h) => h.name === 'cseq')?.value ?? '');
        expect(cseq).toBeDefined();
        if (m.kind === 'request') {
          expect(m.method).toMatch(/^[A-Za-z0-9\-.!%*_+`'~]+$/);
          expect(cseq?.method).toBe(m.method);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the stream framer never throws on arbitrary chunked input', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated.map((s) => Buffer.from(s))), { maxLength: 10 }), (chunks) => {
        const f = new SipStreamFramer();
        for (const c of chunks) f.push(c);
      }),
      { numRuns: 1000 },
    );
  });
});
