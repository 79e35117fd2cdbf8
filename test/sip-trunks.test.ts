import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, type TestPlatform } from '@callingbox/testkit';
import { systemClock } from '../packages/server/src/core/clock.ts';
import { createSipInviteRouter } from '../packages/server/src/calls/sip-inbound.ts';
import { sandboxAllowlist } from '../packages/server/src/calls/inbound-routing.ts';
import { SipUserAgent } from '../packages/server/src/telephony/sip/user-agent.ts';
import { parseSipMessage } from '../packages/server/src/telephony/sip/parse.ts';
import type { SipRequest } from '../packages/server/src/telephony/sip/message.ts';
import { loadConfig } from '../packages/server/src/config/config.ts';

/** BYO SIP trunks (telephony.md → SIP trunks): source addresses, or digest authentication. */
let t: TestPlatform;
let caller: SipUserAgent;

beforeAll(async () => {
  t = await createTestPlatform({ sip: true });
  caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: async () => ({ reject: 603 }) });
}, 60_000);
afterAll(async () => {
  await caller.close();
  await t.close();
});

/** The SIP router alone, with a policy of the test's choosing. */
function routerWith(policy: { sandboxCidrs: string[]; activeCalls: number; max?: number }) {
  return createSipInviteRouter({
    store: t.platform.store, clock: systemClock, config: loadConfig({ CALLINGBOX_DATA_DIR: t.dataDir }), workerId: 'w', live: new Set(), lifecycle: t.platform.lifecycle,
    runSession: async (_call, transport) => {
      await transport.hangup({ cause: 'agent_hangup', by: 'agent' });
      return { hangupCause: 'agent_hangup', endedBy: 'agent', recordingPath: null, latency: null };
    },
    policy: { sandboxAllowed: sandboxAllowlist(policy.sandboxCidrs), maxConcurrentCalls: policy.max ?? 10, activeCalls: () => policy.activeCalls },
    log: { info: () => {}, warn: () => {} },
  });
}

/** A parsed INVITE for a number. */
function inviteFor(e164: string, callId: string): SipRequest {
  return (parseSipMessage(Buffer.from(`INVITE sip:${e164}@x SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK${callId}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:${e164}@x>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`)) as { ok: true; value: SipRequest }).value;
}

async function trunkNumber(trunk: Record<string, unknown>, e164: string): Promise<string> {
  const tr = (await t.api('POST', '/v1/sip_trunks', { name: 'Carrier', ...trunk })).body;
  const n = (await t.api('POST', '/v1/numbers/import', { phone_number: e164, carrier: 'sip', sip_trunk_id: tr.id })).body;
  await t.api('POST', '/v1/agents', { name: 'Trunk agent', type: 'inbound', number_ids: [n.id] });
  return n.e164;
}

const dial = (e164: string, credentials?: { username: string; password: string }) =>
  caller.call({ to: `sip:${e164}@127.0.0.1:${t.platform.sipPort}`, fromNumber: '+12025550100', ringTimeoutMs: 5000, ...(credentials ? { credentials } : {}) });

describe('SIP trunks', () => {
  it('accepts INVITEs from the trunk inbound_addresses without authentication', async () => {
    const e164 = await trunkNumber({ inbound_addresses: ['127.0.0.0/8'] }, '+442071234567');
    const r = await dial(e164);
    expect(r.answered).toBe(true);
    if (r.answered) await r.call.hangup({ cause: 'caller_hangup', by: 'caller' });
  });

  it('refuses other sources with 403 when the trunk has no credentials, creating no call', async () => {
    const e164 = await trunkNumber({ inbound_addresses: ['203.0.113.0/24'] }, '+442071234568');
    const r = await dial(e164);
    expect(r).toMatchObject({ answered: false, status: 403 });
    expect((await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(e164)}`)).body).toEqual([]);
  });

  it('challenges other sources with digest when the trunk has credentials: right password in, wrong password out', async () => {
    const e164 = await trunkNumber({ inbound_addresses: ['203.0.113.0/24'], auth_username: 'acme', auth_password: 's3cret' }, '+442071234569');
    expect(await dial(e164)).toMatchObject({ answered: false, status: 401 });
    expect(await dial(e164, { username: 'acme', password: 'wrong' })).toMatchObject({ answered: false });
    const ok = await dial(e164, { username: 'acme', password: 's3cret' });
    expect(ok.answered).toBe(true);
    if (ok.answered) await ok.call.hangup({ cause: 'caller_hangup', by: 'caller' });
    const calls = await eventually(async () => {
      const list = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(e164)}`)).body;
      return list.length === 1 && list[0].status === 'completed' ? list : null;
    }, 'one completed call');
    expect(calls[0]).toMatchObject({ ended_by: 'caller', from_number: '+12025550100' });
  });

  it('refuses a sandbox number from a source outside loopback and the sandbox CIDRs', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550161' })).body;
    await t.api('POST', '/v1/agents', { name: 'S', type: 'inbound', number_ids: [n.id] });
    const route = routerWith({ sandboxCidrs: ['198.51.100.0/24'], activeCalls: 0, max: 1 });
    const request = inviteFor('+14155550161', 'c1');
    const invite = { callId: 'c1', dialledNumber: '+14155550161', callerNumber: '+1', request, signal: new AbortController().signal };
    const from = (address: string) => ({ address, port: 5060, transport: 'udp' as const });
    expect(await route(invite, from('192.0.2.10') as never)).toMatchObject({ reject: 403 });
    expect(await route(invite, from('198.51.100.7') as never)).toHaveProperty('accept');
    // Capacity: with one call live, the next INVITE is a 503 with Retry-After.
    const full = routerWith({ sandboxCidrs: [], activeCalls: 1, max: 1 });
    expect(await full(invite, from('127.0.0.1') as never)).toMatchObject({ reject: 503, retryAfterS: 5 });
  });

  it('a CANCEL while the call is being routed ends its record as canceled', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550162' })).body;
    await t.api('POST', '/v1/agents', { name: 'C', type: 'inbound', number_ids: [n.id] });
    const route = routerWith({ sandboxCidrs: [], activeCalls: 0 });
    const request = inviteFor(n.e164, 'c2');
    const cancel = new AbortController();
    const decision = await route({ callId: 'c2', dialledNumber: n.e164, callerNumber: '+15550001234', request, signal: cancel.signal }, { address: '127.0.0.1', port: 5060, transport: 'udp' } as never);
    expect(decision).toHaveProperty('accept');
    cancel.abort();
    const [call] = await eventually(async () => {
      const list = (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(n.e164)}`)).body;
      return list[0]?.status === 'canceled' ? list : null;
    }, 'canceled call');
    expect(call).toMatchObject({ hangup_cause: 'canceled', ended_by: 'caller', answered_at: null, result_status: 'pending' });
  });
});
