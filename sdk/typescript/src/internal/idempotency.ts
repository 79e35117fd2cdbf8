/**
 * A fresh `Idempotency-Key`: a random UUID from WebCrypto where present, else a v4-shaped id
 * from Math.random (old runtimes only; the key needs to be unique, not secret).
 */
export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof c?.randomUUID === 'function') return `cb-${c.randomUUID()}`;
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `cb-${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
}
