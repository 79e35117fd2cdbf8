/**
 * Transfer routes of a SIP call (`telephony.md` → Transfer): where a destination number goes from
 * the line the call is on. A number on a BYO trunk reaches `sip:<number>@<the trunk's
 * outbound_uri host>` with the trunk's credentials; a sandbox number reaches this installation's
 * own SIP address, where sandbox routing answers (a number of this installation with an inbound
 * agent → that agent). The same URI is what a REFER names and what a bridged leg dials.
 */
import type { SipTrunksTable, CallsTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { DigestCredentials } from '../telephony/sip/digest.ts';
import { formatHost, parseSipUri } from '../telephony/sip/header-values.ts';
import type { OutboundCallOptions, OutboundResult } from '../telephony/sip/outbound-call.ts';
import type { LegResult, TransferRoutes } from '../telephony/transfer-routes.ts';

/** A SIP destination and the credentials to answer its challenge with. */
export interface SipRoute {
  readonly uri: string;
  readonly credentials?: DigestCredentials;
}

/** The line a call is on: its number's carrier and, for `sip`, the trunk. */
export interface LineOut {
  readonly carrier: 'sandbox' | 'sip' | 'twilio';
  readonly trunk?: Pick<SipTrunksTable, 'outbound_uri' | 'auth_username' | 'auth_password'> | null;
}

/**
 * Where `destination` (E.164, or a SIP URI used as it is) goes from `line`; `undefined` when the
 * line has no way out (a trunk without `outbound_uri`, a Twilio number). `self` is this
 * installation's SIP address as others reach it.
 */
export function routeFromLine(destination: string, line: LineOut, self: { host: string; port: number }): SipRoute | undefined {
  if (/^sips?:/i.test(destination)) return parseSipUri(destination) ? { uri: destination } : undefined;
  const user = encodeURIComponent(destination).replace(/%2B/g, '+');
  if (line.carrier === 'sandbox') return { uri: `sip:${user}@${formatHost(self.host)}:${self.port}` };
  if (line.carrier !== 'sip' || !line.trunk?.outbound_uri) return undefined;
  const out = parseSipUri(line.trunk.outbound_uri);
  if (!out || out.scheme === 'tel') return undefined;
  const params = [...out.params].map(([k, v]) => (v === null ? `;${k}` : `;${k}=${v}`)).join('');
  const uri = `${out.scheme}:${user}@${out.host}${out.port ? `:${out.port}` : ''}${params}`;
  const { auth_username: username, auth_password: password } = line.trunk;
  return username && password ? { uri, credentials: { username, password } } : { uri };
}

/** What the routes need of the SIP user agent. */
export interface SipDialer {
  readonly publicHost: string;
  readonly port: number;
  call(opts: OutboundCallOptions): Promise<OutboundResult>;
}

/** The transfer routes of one call on the platform's SIP user agent. */
export function sipTransferRoutes(d: { store: Store; ua: () => SipDialer; call: CallsTable; ringTimeoutMs?: number }): TransferRoutes {
  // The platform's own number on this call: the caller id of the leg, and the line it leaves by.
  const ours = (d.call.direction === 'inbound' ? d.call.to_number : d.call.from_number) ?? '';
  const route = async (destination: string): Promise<SipRoute | undefined> => {
    const number = ours ? await d.store.numbers.findActiveByE164(ours) : undefined;
    if (!number) return undefined;
    const trunk = number.carrier === 'sip' && number.sip_trunk_id ? await d.store.sipTrunks.get(number.org_id, number.sip_trunk_id).catch(() => null) : null;
    const ua = d.ua();
    return routeFromLine(destination, { carrier: number.carrier, trunk }, { host: ua.publicHost, port: ua.port });
  };
  return {
    referTarget: async (destination) => (await route(destination))?.uri ?? `tel:${destination}`,
    async dial(destination, { signal }): Promise<LegResult> {
      const r = await route(destination);
      if (!r) return { answered: false, outcome: 'no_route' };
      const placed = await d.ua().call({ to: r.uri, fromNumber: ours, signal, ...(r.credentials ? { credentials: r.credentials } : {}), ...(d.ringTimeoutMs ? { ringTimeoutMs: d.ringTimeoutMs } : {}) });
      if (placed.answered) return { answered: true, leg: placed.call };
      return { answered: false, outcome: placed.outcome, ...(placed.status !== undefined ? { status: placed.status } : {}) };
    },
  };
}
