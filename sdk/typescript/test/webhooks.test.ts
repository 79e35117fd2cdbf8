import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, Webhooks } from '../src/index.js';
import { hmacSha256HexPure, sha256 } from '../src/internal/hmac.js';

const SECRET = `whsec_${'ab'.repeat(32)}`;
const EVENT = { id: 'wd_01', type: 'call.completed', created: 1_790_000_000, api_version: '2026-04', data: { call: { id: 'call_1', result: { name: 'Zoë' } } } };
const BODY = JSON.stringify(EVENT);
const now = (): number => Math.floor(Date.now() / 1000);

function sign(body: string | Buffer, secret: string, t: number): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

describe('Webhooks.constructEvent', () => {
  it('accepts a correct signature and returns the event', () => {
    const t = now();
    const event = Webhooks.constructEvent(BODY, `t=${t},v1=${sign(BODY, SECRET, t)}`, SECRET);
    expect(event.id).toBe('wd_01');
    expect(event.type).toBe('call.completed');
    expect(event.data.call.id).toBe('call_1');
  });

  it('accepts bytes as the raw body, including non-ASCII text', () => {
    const t = now();
    const bytes = new TextEncoder().encode(BODY);
    expect(Webhooks.constructEvent(bytes, `t=${t},v1=${sign(BODY, SECRET, t)}`, SECRET).data.call.result).toEqual({ name: 'Zoë' });
  });

  it('rejects a wrong secret', () => {
    const t = now();
    const header = `t=${t},v1=${sign(BODY, 'whsec_other', t)}`;
    expect(() => Webhooks.constructEvent(BODY, header, SECRET)).toThrow(WebhookVerificationError);
  });

  it('rejects a tampered body', () => {
    const t = now();
    const header = `t=${t},v1=${sign(BODY, SECRET, t)}`;
    expect(() => Webhooks.constructEvent(BODY.replace('call.completed', 'call.failed'), header, SECRET)).toThrow(/No signature matches/);
  });

  it('rejects a tampered timestamp', () => {
    const t = now();
    const header = `t=${t + 1},v1=${sign(BODY, SECRET, t)}`;
    expect(() => Webhooks.constructEvent(BODY, header, SECRET)).toThrow(WebhookVerificationError);
  });

  it.each([undefined, null, '', 'garbage', 'v1=abc', `t=${now()}`, 't=abc,v1=00'])('rejects a missing or malformed header: %s', (header) => {
    expect(() => Webhooks.constructEvent(BODY, header, SECRET)).toThrow(WebhookVerificationError);
  });

  it('rejects a stale delivery (> 300 s by default) and one from the future', () => {
    const old = now() - 301;
    expect(() => Webhooks.constructEvent(BODY, `t=${old},v1=${sign(BODY, SECRET, old)}`, SECRET)).toThrow(/tolerance 300 s/);
    const future = now() + 400;
    expect(() => Webhooks.constructEvent(BODY, `t=${future},v1=${sign(BODY, SECRET, future)}`, SECRET)).toThrow(WebhookVerificationError);
  });

  it('honours toleranceSec', () => {
    const t = now() - 1000;
    const header = `t=${t},v1=${sign(BODY, SECRET, t)}`;
    expect(Webhooks.constructEvent(BODY, header, SECRET, { toleranceSec: 2000 }).id).toBe('wd_01');
    expect(() => Webhooks.constructEvent(BODY, header, SECRET, { toleranceSec: 10 })).toThrow(WebhookVerificationError);
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const t = now();
    const header = `t=${t},v1=${sign(BODY, 'whsec_old', t)},v1=${sign(BODY, SECRET, t)}`;
    expect(Webhooks.constructEvent(BODY, header, SECRET).id).toBe('wd_01');
    expect(Webhooks.constructEvent(BODY, header, 'whsec_old').id).toBe('wd_01');
  });

  it('refuses parsed JSON in place of the raw body', () => {
    const t = now();
    expect(() => Webhooks.constructEvent(EVENT as unknown as string, `t=${t},v1=${sign(BODY, SECRET, t)}`, SECRET)).toThrow(/raw request body/);
  });

  it('has an async (WebCrypto) variant with the same verdicts', async () => {
    const t = now();
    await expect(Webhooks.constructEventAsync(BODY, `t=${t},v1=${sign(BODY, SECRET, t)}`, SECRET)).resolves.toMatchObject({ id: 'wd_01' });
    await expect(Webhooks.constructEventAsync(BODY, `t=${t},v1=${sign(BODY, 'x', t)}`, SECRET)).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it('signatureHeader() builds what constructEvent accepts', () => {
    const header = Webhooks.signatureHeader(BODY, SECRET);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Webhooks.constructEvent(BODY, header, SECRET).id).toBe('wd_01');
  });
});

describe('pure SHA-256 / HMAC fallback (runtimes without node:crypto)', () => {
  it('matches FIPS 180-4 test vectors', () => {
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(hex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto HMAC for random keys and messages of every length around the block size', () => {
    for (let len = 0; len < 200; len += 7) {
      const key = randomBytes(len % 3 === 0 ? 100 : 32);
      const msg = randomBytes(len);
      expect(hmacSha256HexPure(key, msg)).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
  });
});

describe('cross-language signatures (Python hmac/hashlib)', () => {
  const python = (code: string, input: string): string => execFileSync('python3', ['-c', code], { input, encoding: 'utf8' }).trim();

  it('verifies in TypeScript what Python signed', () => {
    const t = now();
    const v1 = python(
      'import hmac, hashlib, sys; body = sys.stdin.buffer.read(); ' +
        `print(hmac.new(${JSON.stringify(SECRET)}.encode(), b"${t}." + body, hashlib.sha256).hexdigest())`,
      BODY,
    );
    expect(Webhooks.constructEvent(BODY, `t=${t},v1=${v1}`, SECRET).id).toBe('wd_01');
  });

  it('verifies in Python what TypeScript signed', () => {
    const header = Webhooks.signatureHeader(BODY, SECRET);
    const verdict = python(
      'import hmac, hashlib, sys, time\n' +
        'body = sys.stdin.buffer.read()\n' +
        `parts = dict(p.split("=", 1) for p in ${JSON.stringify(header)}.split(","))\n` +
        `expected = hmac.new(${JSON.stringify(SECRET)}.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()\n` +
        'ok = hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) <= 300\n' +
        'print("ok" if ok else "bad")',
      BODY,
    );
    expect(verdict).toBe('ok');
  });
});
