/**
 * The seam between the SIP user agent and call routing (`calls.md` → Inbound routing): for each
 * new INVITE the UA asks an injected `InviteRouter` whether to reject it (and with which code) or
 * accept it, in which case it receives the call's media session once answered. The store lookups
 * live behind this callback, outside `telephony/`.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { normalizeE164 } from '../../core/phone.ts';
import type { MediaTransport } from '../transport.ts';
import type { DigestChallenge } from './digest.ts';
import { parseNameAddr, parseSipUri } from './header-values.ts';
import { type SipRequest, getHeader } from './message.ts';
import type { SipFlow } from './sip-socket.ts';

/** What routing knows about a new inbound call. */
export interface InboundInvite {
  /** SIP Call-ID. */
  readonly callId: string;
  /** Request-URI user part (or To), E.164 when it looks like a phone number. */
  readonly dialledNumber: string;
  /** From user part, or the P-Asserted-Identity user when present. */
  readonly callerNumber: string;
  readonly request: SipRequest;
  /** Aborted when the caller cancels (CANCEL) before the call is answered. */
  readonly signal: AbortSignal;
}

/**
 * Routing's answer. Reject codes per `telephony.md`: 404, 480, 403, 503 (+Retry-After), 486, 488,
 * 603; or 401/407 with a digest `challenge` for a trunk that authenticates by password (the caller
 * repeats the INVITE with `Authorization`, which routing checks with `verifyDigestAuthorization`).
 */
export type RouteDecision =
  | { readonly reject: number; readonly reason?: string; readonly retryAfterS?: number; readonly challenge?: DigestChallenge }
  | { readonly accept: (call: MediaTransport) => void | Promise<void> };

/** The injected routing callback. */
export type InviteRouter = (invite: InboundInvite, source: SipFlow) => Promise<RouteDecision>;

/** The user part of a SIP/tel URI or name-addr, or `undefined`. */
function userOf(uriOrNameAddr: string | undefined): string | undefined {
  if (!uriOrNameAddr) return undefined;
  const uri = uriOrNameAddr.trim().startsWith('<') || uriOrNameAddr.includes('<') ? parseNameAddr(uriOrNameAddr)?.uri : uriOrNameAddr;
  const user = uri ? parseSipUri(uri)?.user : undefined;
  return user && user.length > 0 ? user.split(';')[0] : undefined;
}

/** Normalises a user part to E.164 when it is a phone number, else keeps it as it is. */
export function normaliseNumber(user: string, defaultCountry: CountryCode = 'US'): string {
  return normalizeE164(user, defaultCountry) ?? user;
}

/**
 * Dialled and caller numbers of an INVITE (`telephony.md` → SIP trunks): the Request-URI user
 * (else To); the From user, or P-Asserted-Identity when From is anonymous or has no user.
 */
export function numbersOf(invite: SipRequest, defaultCountry: CountryCode = 'US'): { dialledNumber: string; callerNumber: string } {
  const dialled = userOf(invite.uri) ?? userOf(parseNameAddr(getHeader(invite, 'to') ?? '')?.uri) ?? '';
  const from = userOf(parseNameAddr(getHeader(invite, 'from') ?? '')?.uri);
  const pai = getHeader(invite, 'p-asserted-identity');
  const asserted = pai ? userOf(parseNameAddr(pai)?.uri) : undefined;
  const caller = from && !/^anonymous$/i.test(from) ? from : (asserted ?? from ?? 'anonymous');
  return { dialledNumber: normaliseNumber(dialled, defaultCountry), callerNumber: normaliseNumber(caller, defaultCountry) };
}
