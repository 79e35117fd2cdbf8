import type { AgentsTable, NumbersTable, SipTrunksTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { compileAllowlist, LOOPBACK_CIDRS, type SourceAllowlist } from '../telephony/sip/source-allowlist.ts';

/** Where an inbound call comes from, as the carrier adapter saw it. */
export interface InboundRequest {
  /** The dialled number, already normalised to E.164 when it is one. */
  dialledNumber: string;
  callerNumber: string;
  /** The signalling peer's IP address. */
  sourceAddress: string;
  /** The path it arrived on; Twilio numbers answer only Twilio webhooks. */
  via: 'sip' | 'twilio' | 'web';
}

export type InboundDecision =
  | { kind: 'reject'; status: 403 | 404 | 480 | 503; reason: string; retryAfterS?: number }
  /** A trunk with credentials and a source outside its addresses: the carrier must pass a digest challenge. */
  | { kind: 'challenge'; trunk: SipTrunksTable; number: NumbersTable }
  | { kind: 'accept'; number: NumbersTable; agent: AgentsTable };

export interface RoutingPolicy {
  /** Who may call sandbox numbers: loopback plus `CALLINGBOX_SANDBOX_ALLOWED_CIDRS` (see `sandboxAllowlist`). */
  sandboxAllowed: SourceAllowlist;
  maxConcurrentCalls: number;
  activeCalls: () => number;
}

/** Loopback plus the configured CIDRs; a bad entry fails at start, naming it. */
export function sandboxAllowlist(cidrs: readonly string[]): SourceAllowlist {
  return compileAllowlist([...LOOPBACK_CIDRS, ...cidrs]);
}

/** Seconds a carrier should wait before retrying when we are at capacity. */
const CAPACITY_RETRY_AFTER_S = 5;

/**
 * Inbound routing (calls.md → Inbound routing): the dialled number must be active and answered by
 * a live inbound agent, and the source must be allowed for the number's carrier. Read from the
 * database on every call: attach/detach takes effect for the very next INVITE (no route cache).
 */
export async function routeInbound(store: Store, req: InboundRequest, policy: RoutingPolicy): Promise<InboundDecision> {
  const number = await store.numbers.findActiveByE164(req.dialledNumber);
  if (!number) return { kind: 'reject', status: 404, reason: `no active number ${req.dialledNumber}` };

  if (number.carrier === 'sandbox' && req.via === 'sip') {
    if (!policy.sandboxAllowed.allows(req.sourceAddress)) {
      return { kind: 'reject', status: 403, reason: `source ${req.sourceAddress} may not call sandbox numbers (CALLINGBOX_SANDBOX_ALLOWED_CIDRS)` };
    }
  } else if (number.carrier === 'sip') {
    if (req.via !== 'sip') return { kind: 'reject', status: 403, reason: 'a SIP-trunk number is reached over SIP only' };
    const trunk = await store.sipTrunks.get(number.org_id, number.sip_trunk_id!).catch(() => null);
    if (!trunk) return { kind: 'reject', status: 403, reason: 'the number\'s SIP trunk is gone' };
    if (!compileAllowlist(trunk.inbound_addresses).allows(req.sourceAddress)) {
      if (trunk.auth_username && trunk.auth_password) return { kind: 'challenge', trunk, number };
      return { kind: 'reject', status: 403, reason: `source ${req.sourceAddress} is not in trunk ${trunk.id}'s inbound_addresses` };
    }
  } else if (number.carrier === 'twilio' && req.via !== 'twilio') {
    return { kind: 'reject', status: 403, reason: 'a Twilio number is reached through Twilio webhooks only' };
  }

  return routeAuthenticated(store, number, policy);
}

/**
 * The rest of routing once the source is allowed (by address, or after a digest challenge): the
 * number's live inbound agent, then capacity.
 */
export async function routeAuthenticated(store: Store, number: NumbersTable, policy: RoutingPolicy): Promise<InboundDecision> {
  const link = (await store.agents.linksOf([number.id])).find((l) => l.direction === 'inbound');
  const agent = link ? await store.agents.get(number.org_id, link.agent_id) : null;
  if (!agent || agent.archived_at) return { kind: 'reject', status: 480, reason: `number ${number.e164} has no inbound agent` };

  if (policy.activeCalls() >= policy.maxConcurrentCalls) {
    return { kind: 'reject', status: 503, reason: `at capacity (${policy.maxConcurrentCalls} calls)`, retryAfterS: CAPACITY_RETRY_AFTER_S };
  }
  return { kind: 'accept', number, agent };
}

