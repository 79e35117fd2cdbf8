import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { AudioFrame, MediaTransport, TransportEvent } from '../transport.ts';
import { createDigestChallenge, verifyDigestAuthorization } from './digest.ts';
import type { InviteRouter } from './invite-router.ts';
import { getHeader } from './message.ts';
import { SipUserAgent } from './user-agent.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST = { t1Ms: 40, t2Ms: 160 };

async function ua(route: InviteRouter = () => Promise.resolve({ reject: 403 })): Promise<SipUserAgent> {
  const u = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route, timers: FAST });
  cleanups.push(() => u.close());
  return u;
}

const collect = <T>(it: AsyncIterable<T>): T[] => {
  const out: T[] = [];
  void (async () => {
    for await (const x of it) out.push(x);
  })();
  return out;
};

const tone = (n: number, v: number): AudioFrame[] => Array.from({ length: n }, (_, i) => ({ samples: new Int16Array(160).fill(v), sampleRateHz: 8000, startMs: i * 20 }));

describe('outbound calls (SipUserAgent.call)', () => {
  it.each(['udp', 'tcp'] as const)('calls another user agent over %s: ringing, answer, audio and DTMF both ways, BYE', async (transport) => {
    const answered: MediaTransport[] = [];
    const callee = await ua(() => Promise.resolve({ accept: (c: MediaTransport) => void answered.push(c) }));
    const caller = await ua();
    let rang = 0;
    const r = await caller.call({ to: `sip:+14155550123@127.0.0.1:${callee.port}${transport === 'tcp' ? ';transport=tcp' : ''}`, fromNumber: '+15551230000', onRinging: () => rang++ });
    if (!r.answered) throw new Error(`not answered: ${r.reason}`);
    expect(rang).toBe(1);
    const remote = await waitFor(() => answered[0]);
    expect(remote.metadata).toMatchObject({ dialledNumber: '+14155550123', callerNumber: '+15551230000' });
    const heardByCallee = collect(remote.fromCaller);
    const heardByCaller = collect(r.call.fromCaller);
    const calleeEvents = collect(remote.events);
    await Promise.all([r.call.play({ frames: tone(5, 3000) }, { signal: new AbortController().signal }), remote.play({ frames: tone(5, -3000) }, { signal: new AbortController().signal })]);
    await waitFor(() => heardByCallee.some((f) => (f.samples[0] ?? 0) > 2500) && heardByCaller.some((f) => (f.samples[0] ?? 0) < -2500), 3000, 'audio both ways');
    await r.call.sendDtmf('4');
    await waitFor(() => calleeEvents.find((e: TransportEvent) => e.type === 'dtmf'), 3000, 'DTMF at callee');
    await r.call.hangup({ cause: 'agent_hangup', by: 'agent' });
    await waitFor(() => remote.ended.aborted, 3000, 'callee ended');
    expect(callee.activeCalls + caller.activeCalls).toBe(0);
  });

  it('learns of the callee hanging up', async () => {
    const answered: MediaTransport[] = [];
    const callee = await ua(() => Promise.resolve({ accept: (c: MediaTransport) => void answered.push(c) }));
    const caller = await ua();
    const r = await caller.call({ to: `sip:+14155550123@127.0.0.1:${callee.port}`, fromNumber: '+15551230000' });
    if (!r.answered) throw new Error(r.reason);
    await (await waitFor(() => answered[0])).hangup({ cause: 'agent_hangup', by: 'agent' });
    await waitFor(() => r.call.ended.aborted, 3000, 'caller side ended');
  });

  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [480, 'no_answer'],
    [404, 'failed'],
    [503, 'failed'],
  ] as const)('maps a %i rejection to %s', async (status, outcome) => {
    const callee = await ua(() => Promise.resolve({ reject: status }));
    const caller = await ua();
    const r = await caller.call({ to: `sip:+14155550198@127.0.0.1:${callee.port}`, fromNumber: '+15551230000' });
    expect(r).toMatchObject({ answered: false, outcome, status });
  });

  it('CANCELs after the ring timeout (no_answer) and on abort (canceled)', async () => {
    const callee = await ua((inv) => new Promise((_res, rej) => inv.signal.addEventListener('abort', () => rej(new Error('cancelled')))));
    const caller = await ua();
    const to = `sip:+14155550197@127.0.0.1:${callee.port}`;
    expect(await caller.call({ to, fromNumber: '+1555', ringTimeoutMs: 200 })).toMatchObject({ answered: false, outcome: 'no_answer', status: 487 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect(await caller.call({ to, fromNumber: '+1555', signal: ac.signal })).toMatchObject({ answered: false, outcome: 'canceled', status: 487 });
  });

  it('answers a digest challenge with the trunk credentials once', async () => {
    const challenge = createDigestChallenge('trunk.example');
    const callee = await ua((inv) => {
      const auth = getHeader(inv.request, 'authorization');
      const ok = auth && verifyDigestAuthorization(auth, { method: 'INVITE', realm: 'trunk.example', passwordFor: (u) => (u === 'acme' ? 'pw' : undefined), nonceValid: (n) => n === challenge.nonce }).ok;
      return Promise.resolve(ok ? { accept: () => {} } : { reject: 401, challenge });
    });
    const caller = await ua();
    const to = `sip:+14155550123@127.0.0.1:${callee.port}`;
    const good = await caller.call({ to, fromNumber: '+1555', credentials: { username: 'acme', password: 'pw' } });
    expect(good.answered).toBe(true);
    if (good.answered) await good.call.hangup({ cause: 'agent_hangup', by: 'agent' });
    expect(await caller.call({ to, fromNumber: '+1555', credentials: { username: 'acme', password: 'wrong' } })).toMatchObject({ answered: false, outcome: 'failed', status: 401 });
    expect(await caller.call({ to, fromNumber: '+1555' })).toMatchObject({ answered: false, status: 401 });
  });

  it('fails with 408 when nothing answers (Timer B = 64·T1)', async () => {
    const sink = dgram.createSocket('udp4');
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
    cleanups.push(() => void sink.close());
    let invites = 0;
    sink.on('message', () => invites++);
    const caller = await ua();
    const r = await caller.call({ to: `sip:x@127.0.0.1:${sink.address().port}`, fromNumber: '+1555' });
    expect(r).toMatchObject({ answered: false, outcome: 'failed', status: 408 });
    expect(invites).toBeGreaterThanOrEqual(5); // Timer A retransmissions
  });
});

describe('outbound calls during shutdown', () => {
  it('close() ends a ringing attempt at once', async () => {
    const callee = await ua(() => new Promise(() => {}));
    const caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 403 }) });
    const attempt = caller.call({ to: `sip:+1@127.0.0.1:${callee.port}`, fromNumber: '+1555' });
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await caller.close();
    expect(await attempt).toMatchObject({ answered: false, outcome: 'failed' });
    expect(Date.now() - t).toBeLessThan(2500);
  });
});
