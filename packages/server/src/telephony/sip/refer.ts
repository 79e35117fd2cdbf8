/**
 * The wire pieces of a call transfer by REFER (RFC 3515), pure: the `Refer-To` value, the
 * `message/sipfrag` body (RFC 3420) that reports the referred call's progress, and the headers of
 * the NOTIFYs that carry it. Sockets and timers live in the user agent and `SipCall`.
 */
import { parseNameAddr, parseSipUri } from './header-values.ts';
import type { SipHeader } from './message.ts';

/** A parsed `Refer-To` value. */
export interface ReferTo {
  /** The target without its URI headers: `sip:+14155550199@pbx.example` or `tel:+14155550199`. */
  readonly uri: string;
  readonly displayName: string | undefined;
  /** URI headers, percent-decoded (an attended transfer's `Replaces`, RFC 3891 §5). */
  readonly headers: ReadonlyMap<string, string>;
}

/**
 * Parses `Refer-To` (RFC 3515 §2.1: name-addr or addr-spec). Only `sip:`, `sips:` and `tel:`
 * targets are accepted: `undefined` otherwise, and for anything unreadable.
 */
export function parseReferTo(value: string): ReferTo | undefined {
  const na = parseNameAddr(value);
  if (!na) return undefined;
  const q = na.uri.indexOf('?');
  const uri = q < 0 ? na.uri : na.uri.slice(0, q);
  if (!parseSipUri(uri)) return undefined;
  const headers = new Map<string, string>();
  if (q >= 0) {
    for (const pair of na.uri.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) return undefined;
      try {
        headers.set(decodeURIComponent(pair.slice(0, eq)).toLowerCase(), decodeURIComponent(pair.slice(eq + 1)));
      } catch {
        return undefined;
      }
    }
  }
  return { uri, displayName: na.displayName, headers };
}

/** A SIP status line as carried in a sipfrag body. */
export interface SipFrag {
  readonly status: number;
  readonly reason: string;
}

/** The sipfrag body of a refer NOTIFY: just the status line (RFC 3515 §2.4.5). */
export function formatSipfrag(frag: SipFrag): string {
  return `SIP/2.0 ${frag.status} ${frag.reason.replace(/[\r\n]+/g, ' ')}\r\n`;
}

/** Reads the status line of a sipfrag body; `undefined` when it does not start with one. */
export function parseSipfrag(body: string): SipFrag | undefined {
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: ([^\r\n]*))?/.exec(body);
  return m ? { status: Number(m[1]), reason: (m[2] ?? '').trim() } : undefined;
}

/** What a refer NOTIFY adds to an in-dialog request. */
export interface ReferNotify {
  readonly extra: readonly SipHeader[];
  readonly body: Buffer;
  readonly contentType: string;
}

/** How long the implicit subscription of a REFER lasts before we end it (RFC 3515 §2.4.4 leaves it to the notifier). */
export const REFER_SUBSCRIPTION_S = 60;

/**
 * The NOTIFY that reports `frag` for the REFER whose CSeq number was `referCseq`. The `id`
 * parameter names that REFER (RFC 3515 §2.4.6); the final report (`status >= 200`) ends the
 * implicit subscription (`terminated;reason=noresource`, §2.4.7).
 */
export function referNotify(frag: SipFrag, referCseq: number): ReferNotify {
  const state = frag.status >= 200 ? 'terminated;reason=noresource' : `active;expires=${REFER_SUBSCRIPTION_S}`;
  return {
    extra: [
      { name: 'event', value: `refer;id=${referCseq}` },
      { name: 'subscription-state', value: state },
    ],
    body: Buffer.from(formatSipfrag(frag), 'utf8'),
    contentType: 'message/sipfrag;version=2.0',
  };
}
