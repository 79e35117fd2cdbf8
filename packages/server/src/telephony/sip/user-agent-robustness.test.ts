import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../core/clock.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { SipTestClient, offerSdp } from '../testing/sip-test-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { MediaTransport, TransportEvent } from '../transport.ts';
import type { InviteRouter } from './invite-router.ts';
import { type SipResponse, getHeader } from './message.ts';
import { SipUserAgent } from './user-agent.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(route: InviteRouter, clock: Clock = systemClock, extra: { rtpTimeoutMs?: number } = {}): Promise<{ ua: SipUserAgent; c: SipTestClient }> {
  const ua = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock, route, ...extra });
  cleanups.push(() => ua.close());
  const c = await SipTestClient.open(ua.port);
  c.onRequest = (req) => req.method === 'BYE' && c.reply(req, 200);
  cleanups.unshift(() => c.close()); // closed last: the UA's shutdown BYEs still get answered
  return { ua, c };
}

const toTagOf = (r: SipResponse): string => /;tag=([^;]+)/.exec(getHeader(r, 'to') ?? '')?.[1] ?? '';

describe('SipUserAgent robustness', () => {
  it('survives hostile datagrams, creates no call from them, and keeps answering', async () => {
    let routed = 0;
    const { c } = await setup(() => {
      routed++;
      return Promise.resolve({ reject: 404 });
    });
    const valid = c.request('INVITE', { callId: 'fuzz', cseq: 1, body: offerSdp(40000) });
    const samples = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        fc.tuple(fc.nat(valid.length), fc.nat(30), fc.string({ maxLength: 20 })).map(([at, del, ins]) => Buffer.from(valid.slice(0, at) + ins + valid.slice(at + del))),
      ),
      400,
    );
    const mutatedInvites = samples.filter((b) => b.toString().startsWith('INVITE ')).length;
    // Paced a little so the kernel's UDP receive buffer, not the UA, is never what drops them
    for (const [i, s] of samples.entries()) {
      c.sendRaw(s);
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    c.sendRaw(Buffer.from('\x00\x01\x02'));
    c.sendRaw(Buffer.alloc(1400, 0x41));
    c.sendRaw(c.request('OPTIONS', { callId: 'alive', cseq: 1 }));
    await c.response('alive', 200, 'OPTIONS');
    // Only mutations that are still complete, valid INVITEs may reach routing
    expect(routed).toBeLessThanOrEqual(mutatedInvites);
  });

  it('answers 481 to BYE and re-INVITE outside any dialog, 405 to methods it does not serve, 416 to odd URI schemes', async () => {
    const { c } = await setup(() => Promise.resolve({ reject: 404 }));
    c.sendRaw(c.request('BYE', { callId: 'nobody', cseq: 1, toTag: 'x' }));
    await c.response('nobody', 481, 'BYE');
    c.sendRaw(c.request('INVITE', { callId: 'nobody2', cseq: 1, toTag: 'x', body: offerSdp(40000) }));
    await c.response('nobody2', 481);
    c.sendRaw(c.request('REGISTER', { callId: 'reg', cseq: 1 }));
    await c.response('reg', 405, 'REGISTER');
    c.sendRaw(c.request('OPTIONS', { callId: 'mailto', cseq: 1, uri: 'mailto:a@b' }));
    await c.response('mailto', 416, 'OPTIONS');
  });

  it('ends a call after 30 s without RTP (injected clock) with a BYE and hangup_cause rtp_timeout', async () => {
    const clock = new FakeClock();
    const calls: MediaTransport[] = [];
    const { c } = await setup(() => Promise.resolve({ accept: (call: MediaTransport) => void calls.push(call) }), clock, { rtpTimeoutMs: 30_000 });
    c.sendRaw(c.request('INVITE', { callId: 'quiet', cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response('quiet', 200);
    c.sendRaw(c.request('ACK', { callId: 'quiet', cseq: 1, toTag: toTagOf(ok) }));
    const call = await waitFor(() => calls[0]);
    const events: TransportEvent[] = [];
    void (async () => {
      for await (const e of call.events) events.push(e);
    })();
    await clock.advance(29_000);
    expect(call.ended.aborted).toBe(false);
    await clock.advance(2_000);
    const bye = await c.requestFromServer('quiet', 'BYE');
    c.reply(bye, 200);
    await waitFor(() => events.at(-1)?.type === 'hangup');
    expect(events.at(-1)).toMatchObject({ type: 'hangup', cause: 'rtp_timeout', by: 'system' });
  });

  it('gives up on a 200 never ACKed after 64·T1 and hangs up with BYE (RFC 3261 §13.3.1.4)', async () => {
    const clock = new FakeClock();
    const calls: MediaTransport[] = [];
    const { c } = await setup(() => Promise.resolve({ accept: (call: MediaTransport) => void calls.push(call) }), clock, { rtpTimeoutMs: 120_000 });
    c.sendRaw(c.request('INVITE', { callId: 'noack', cseq: 1, body: offerSdp(40000) }));
    await c.response('noack', 200);
    const call = await waitFor(() => calls[0]);
    for (let i = 0; i < 40; i++) await clock.advance(1_000);
    await c.requestFromServer('noack', 'BYE');
    expect(call.ended.reason).toEqual({ cause: 'transport_error', by: 'system' });
    // 200 sent at 0, 0.5, 1.5, 3.5, 7.5 s then every 4 s up to 32 s: 11 copies
    expect(c.count((m) => m.kind === 'response' && m.status === 200)).toBe(11);
  });

  it('close() hangs up live calls with BYE and waits for the answer', async () => {
    const { ua, c } = await setup(() => Promise.resolve({ accept: () => {} }));
    c.sendRaw(c.request('INVITE', { callId: 'shutdown', cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response('shutdown', 200);
    c.sendRaw(c.request('ACK', { callId: 'shutdown', cseq: 1, toTag: toTagOf(ok) }));
    await waitFor(() => ua.activeCalls === 1);
    const closing = ua.close();
    c.reply(await c.requestFromServer('shutdown', 'BYE'), 200);
    await closing;
    expect(ua.activeCalls).toBe(0);
  });

  it('a route that throws gets a 500, not a crash', async () => {
    const { c } = await setup(() => Promise.reject(new Error('store down')));
    c.sendRaw(c.request('INVITE', { callId: 'boom', cseq: 1, body: offerSdp(40000) }));
    await c.response('boom', 500);
  });

  it('an INVITE without SDP (late offer) gets our offer in the 200 and the call starts with the answer in the ACK', async () => {
    const calls: MediaTransport[] = [];
    const { c } = await setup(() => Promise.resolve({ accept: (call: MediaTransport) => void calls.push(call) }));
    c.sendRaw(c.request('INVITE', { callId: 'late', cseq: 1 }));
    const ok = await c.response('late', 200);
    expect(ok.body.toString()).toContain('m=audio');
    expect(calls).toEqual([]);
    const answer = offerSdp(40000, { formats: '8 101' }).replace('a=rtpmap:0 PCMU/8000\r\n', '');
    c.sendRaw(c.request('ACK', { callId: 'late', cseq: 1, toTag: toTagOf(ok), body: answer }));
    const call = await waitFor(() => calls[0], 3000, 'call after ACK');
    expect(call.metadata.carrierCallId).toBe('late');
  });

  it('a late offer whose ACK carries no usable answer is ended with BYE', async () => {
    const calls: MediaTransport[] = [];
    const { c } = await setup(() => Promise.resolve({ accept: (call: MediaTransport) => void calls.push(call) }));
    c.sendRaw(c.request('INVITE', { callId: 'late2', cseq: 1 }));
    const ok = await c.response('late2', 200);
    c.sendRaw(c.request('ACK', { callId: 'late2', cseq: 1, toTag: toTagOf(ok) }));
    await c.requestFromServer('late2', 'BYE');
    expect(calls).toEqual([]);
  });
});
