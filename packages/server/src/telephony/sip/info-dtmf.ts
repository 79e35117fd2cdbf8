/**
 * DTMF carried in SIP INFO (the pre-RFC 6086 convention many PBXs and trunks still use instead of
 * RFC 4733): `application/dtmf-relay` bodies (`Signal=5\r\nDuration=160`) and `application/dtmf`
 * bodies (`5`). Pure.
 */
import { type SipRequest, getHeader } from './message.ts';

/** Default when the body names no duration. */
const DEFAULT_DURATION_MS = 100;

/** The digit an INFO request carries, or `undefined` when it is not DTMF or not readable. */
export function dtmfFromInfo(req: SipRequest): { digit: string; durationMs: number } | undefined {
  const type = (getHeader(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  const body = req.body.toString('utf8');
  let digit: string | undefined;
  let durationMs = DEFAULT_DURATION_MS;
  if (type === 'application/dtmf-relay') {
    const signal = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(body)?.[1];
    const duration = /^\s*duration\s*=\s*(\d{1,6})\s*$/im.exec(body)?.[1];
    digit = signal;
    if (duration) durationMs = Number(duration);
  } else if (type === 'application/dtmf') {
    digit = body.trim();
  } else return undefined;
  // Some senders use the event code (10 = *, 11 = #) instead of the character
  if (digit === '10') digit = '*';
  if (digit === '11') digit = '#';
  if (!digit || !/^[0-9*#A-Da-d]$/.test(digit)) return undefined;
  return { digit: digit.toUpperCase(), durationMs };
}
