import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.ts';

// A digest nonce is good for five minutes: long enough for a carrier to answer the challenge.
const NONCE_TTL_MS = 5 * 60_000;

/** Stateless digest nonces: `<issued ms>.<HMAC>` with a per-process key, checked for age and MAC. */
export class NonceIssuer {
  private readonly key = randomBytes(32);
  constructor(private readonly clock: Clock) {}

  issue(): string {
    const at = String(this.clock.now());
    return `${at}.${this.mac(at)}`;
  }

  valid(nonce: string): boolean {
    const [at, mac] = nonce.split('.');
    if (!at || !mac || !/^\d{1,15}$/.test(at)) return false;
    const expected = Buffer.from(this.mac(at));
    const got = Buffer.from(mac);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return false;
    const age = this.clock.now() - Number(at);
    return age >= 0 && age <= NONCE_TTL_MS;
  }

  private mac(at: string): string {
    return createHmac('sha256', this.key).update(at).digest('hex').slice(0, 32);
  }
}
