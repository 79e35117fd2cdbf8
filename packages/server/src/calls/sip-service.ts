import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { SipUserAgent } from '../telephony/sip/user-agent.ts';
import type { TransferRoutes } from '../telephony/transfer-routes.ts';
import type { CallsTable } from '../store/schema.ts';
import type { MediaTransport } from '../telephony/transport.ts';
import type { VoiceCallEnd } from './voice-call.ts';
import { sipTransferRoutes } from './sip-transfer-routes.ts';
import type { CallLifecycle } from './call-lifecycle.ts';
import { createSipInviteRouter, type SipInboundDeps } from './sip-inbound.ts';
import { sandboxAllowlist } from './inbound-routing.ts';

/** The SIP side of the platform: the user agent bound to `CALLINGBOX_SIP_PORT`, routing into calls. */
export interface SipService {
  port: number;
  activeCalls(): number;
  close(): Promise<void>;
}

/** Runs a call's voice loop; `transfers` is where its `transfer_call` goes (REFER target, bridged leg). */
export type RunSipSession = (call: CallsTable, transport: MediaTransport, transfers: TransferRoutes) => Promise<VoiceCallEnd>;

export async function startSipService(d: { store: Store; clock: Clock; config: Config; log: Logger; lifecycle: CallLifecycle; workerId: string; live: Set<string>; runSession: RunSipSession; prepareSession?: SipInboundDeps['prepareSession'] }): Promise<SipService> {
  const { live, workerId } = d;
  const runSession: SipInboundDeps['runSession'] = (call, transport) => d.runSession(call, transport, sipTransferRoutes({ store: d.store, ua: () => ua, call }));
  const route = createSipInviteRouter({
    store: d.store, clock: d.clock, config: d.config, workerId, live, lifecycle: d.lifecycle,
    runSession,
    ...(d.prepareSession ? { prepareSession: d.prepareSession } : {}),
    policy: { sandboxAllowed: sandboxAllowlist(d.config.sandboxAllowedCidrs), maxConcurrentCalls: d.config.maxConcurrentCalls, activeCalls: () => live.size },
    log: d.log,
  });
  const ua = await SipUserAgent.start({
    host: d.config.sipHost,
    port: d.config.sipPort,
    ...(d.config.sipPublicIp ? { publicHost: d.config.sipPublicIp } : {}),
    rtpPorts: { minPort: d.config.rtpPorts.min, maxPort: d.config.rtpPorts.max },
    clock: d.clock,
    route,
    log: (event, fields) => d.log.debug(fields, event),
  });
  return { port: ua.port, activeCalls: () => live.size, close: () => ua.close() };
}
