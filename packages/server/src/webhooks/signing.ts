import { createHmac, timingSafeEqual } from 'node:crypto';

/** webhooks.md → Signature: "reject when |now − t| > 300 s". */
export const SIGNATURE_TOLERANCE_S = 300;

/** `v1` = lowercase hex HMAC-SHA256 of `<t>.<raw body bytes>`, keyed with the secret. */
export function computeSignature(secret: string, timestampS: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestampS}.`);
  mac.update(body);
  return mac.digest('hex');
}

/** The `CallingBox-Signature` header value: `t=<unix>,v1=<hex>`. */
export function signatureHeader(secret: string, timestampS: number, body: string | Uint8Array): string {
  return `t=${timestampS},v1=${computeSignature(secret, timestampS, body)}`;
}

export type SignatureVerdict = { ok: true; timestampS: number } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** Verifies a header against a body: any of several `v1=` values, constant time, within the tolerance. */
export function verifySignature(header: string | undefined | null, body: string | Uint8Array, secret: string, nowS: number, toleranceS = SIGNATURE_TOLERANCE_S): SignatureVerdict {
  if (!header) return { ok: false, reason: 'missing' };
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v) v1.push(v);
  }
  if (t === undefined || v1.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowS - t) > toleranceS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(computeSignature(secret, t, body), 'hex');
  const match = v1.some((sig) => {
    const got = Buffer.from(sig, 'hex');
    return /^[0-9a-f]{64}$/i.test(sig) && got.length === expected.length && timingSafeEqual(got, expected);
  });
  return match ? { ok: true, timestampS: t } : { ok: false, reason: 'mismatch' };
}
