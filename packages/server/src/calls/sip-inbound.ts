import type { Clock } from '../core/clock.ts';
import type { Config } from '../config/config.ts';
import type { CallsTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { InviteRouter, RouteDecision } from '../telephony/sip/invite-router.ts';
import { getHeader } from '../telephony/sip/message.ts';
import { verifyDigestAuthorization } from '../telephony/sip/digest.ts';
import type { MediaTransport } from '../telephony/transport.ts';
import type { CallLifecycle } from './call-lifecycle.ts';
import { routeAuthenticated, routeInbound, type InboundDecision, type RoutingPolicy } from './inbound-routing.ts';
import { NonceIssuer } from './nonces.ts';
import { snapshotOf } from './snapshot.ts';
import type { VoiceCallEnd } from './voice-call.ts';

/** The digest realm our SIP user agent challenges with. */
export const SIP_REALM = 'callingbox';

export interface SipInboundDeps {
  store: Store;
  clock: Clock;
  config: Config;
  policy: RoutingPolicy;
  /** Runs the voice loop of an answered call until it ends. */
  runSession: (call: CallsTable, transport: MediaTransport) => Promise<VoiceCallEnd>;
  /** The call is ringing: get what its session needs ready (the first message's audio). */
  prepareSession?: (call: CallsTable) => void;
  workerId: string;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Live calls of this process (for capacity and shutdown). */
  live: Set<string>;
  lifecycle: CallLifecycle;
}

/**
 * Routes SIP INVITEs into calls (calls.md → Inbound routing): rejections create no record and are
 * logged with a reason; an accepted call gets its record and snapshot (`ringing`), becomes
 * `in_progress` on answer and ends `completed`/`canceled`/`failed` with cause and side.
 */
export function createSipInviteRouter(d: SipInboundDeps): InviteRouter {
  const lifecycle = d.lifecycle;
  const nonces = new NonceIssuer(d.clock);

  return async (invite, source) => {
    const req = { dialledNumber: invite.dialledNumber, callerNumber: invite.callerNumber, sourceAddress: source.address, via: 'sip' as const };
    let decision: InboundDecision = await routeInbound(d.store, req, d.policy);
    if (decision.kind === 'challenge') {
      const { trunk, number } = decision;
      const auth = getHeader(invite.request, 'authorization');
      const verdict = auth
        ? verifyDigestAuthorization(auth, { method: 'INVITE', realm: SIP_REALM, passwordFor: (u) => (u === trunk.auth_username ? trunk.auth_password! : undefined), nonceValid: (n) => nonces.valid(n) })
        : null;
      if (!verdict?.ok) {
        d.log.info({ dialled: req.dialledNumber, source: source.address, trunk: trunk.id, reason: verdict ? verdict.reason : 'no credentials' }, 'sip inbound challenged');
        return { reject: 401, reason: 'authentication required', challenge: { realm: SIP_REALM, nonce: nonces.issue(), algorithm: 'MD5', qop: ['auth'], ...(verdict && !verdict.ok && verdict.reason === 'stale_nonce' ? { stale: true } : {}) } };
      }
      decision = await routeAuthenticated(d.store, number, d.policy);
    }
    if (decision.kind !== 'accept') {
      if (decision.kind === 'reject') d.log.info({ dialled: req.dialledNumber, caller: req.callerNumber, source: source.address, status: decision.status, reason: decision.reason }, 'sip inbound rejected');
      return decision.kind === 'reject' ? { reject: decision.status, reason: decision.reason, ...(decision.retryAfterS ? { retryAfterS: decision.retryAfterS } : {}) } : { reject: 403 };
    }
    const { agent, number } = decision;
    const call = await lifecycle.createInbound({
      orgId: number.org_id, agentId: agent.id, agentVersion: agent.version, snapshot: snapshotOf(agent, d.config.defaults),
      fromNumber: req.callerNumber, toNumber: number.e164, webhookUrl: agent.webhook_url,
      metadata: { channel: 'sip', sip_call_id: invite.callId }, workerId: d.workerId,
    });
    d.live.add(call.id);
    d.prepareSession?.(call);
    const release = (): void => void d.live.delete(call.id);
    const onCancel = (): void => {
      release();
      void lifecycle.ended(call.id, { hangupCause: 'canceled', endedBy: 'caller' });
    };
    invite.signal.addEventListener('abort', onCancel, { once: true });
    d.log.info({ call: call.id, agent: agent.id, dialled: number.e164, caller: req.callerNumber }, 'sip inbound accepted');
    const decisionAccept: RouteDecision = {
      accept: async (t: MediaTransport) => {
        invite.signal.removeEventListener('abort', onCancel);
        await lifecycle.answered(call.id, d.workerId);
        let end: VoiceCallEnd | undefined;
        try {
          end = await d.runSession(call, t);
          await d.store.db.updateTable('calls').set({ recording_path: end.recordingPath, latency: end.latency }).where('id', '=', call.id).execute();
        } finally {
          if (!t.ended.aborted) await t.hangup({ cause: 'provider_error', by: 'system' });
          const reason = t.ended.reason as { cause?: string; by?: string } | undefined;
          const failed = reason?.cause === 'transport_error';
          await lifecycle.ended(
            call.id,
            end ?? {
              // The session itself failed (a bug, not a provider): the call still gets its end.
              hangupCause: failed ? 'carrier_error' : (reason?.cause ?? 'caller_hangup'),
              endedBy: reason?.by === 'agent' ? 'agent' : reason?.by === 'system' ? 'system' : 'caller',
              errorCode: failed ? 'carrier_error' : 'internal',
              errorMessage: failed ? 'media or signalling failed' : 'the voice loop stopped unexpectedly',
            },
          );
          release();
        }
      },
    };
    return decisionAccept;
  };
}
