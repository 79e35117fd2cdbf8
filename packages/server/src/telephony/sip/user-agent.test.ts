import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { encodeG711 } from '../rtp/g711.ts';
import { parseRtpPacket, serializeRtpPacket } from '../rtp/rtp-packet.ts';
import { telephoneEventPackets } from '../rtp/telephone-event.ts';
import { SipTestClient, offerSdp } from '../testing/sip-test-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { AudioFrame, MediaTransport, TransportEvent } from '../transport.ts';
import type { InboundInvite, InviteRouter, RouteDecision } from './invite-router.ts';
import { type SipResponse, getHeader } from './message.ts';
import { parseSdp } from './sdp.ts';
import { SipUserAgent } from './user-agent.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Short timers so retransmission tests take tens of milliseconds. */
const FAST = { t1Ms: 40, t2Ms: 160 };

async function startUa(route: InviteRouter): Promise<SipUserAgent> {
  const ua = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route, timers: FAST });
  cleanups.push(() => ua.close());
  return ua;
}

async function client(ua: SipUserAgent, transport: 'udp' | 'tcp' = 'udp'): Promise<SipTestClient> {
  const c = await SipTestClient.open(ua.port, transport);
  c.onRequest = (req) => req.method === 'BYE' && c.reply(req, 200);
  cleanups.unshift(() => c.close()); // closed last: the UA's shutdown BYEs still get answered
  return c;
}

async function rtpPeer(): Promise<{ sock: dgram.Socket; port: number; got: Buffer[] }> {
  const sock = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  cleanups.push(() => void sock.close());
  return { sock, port: sock.address().port, got };
}

/** A router that accepts and hands the call to the test. */
function accepting(): { route: InviteRouter; calls: MediaTransport[]; invites: InboundInvite[] } {
  const calls: MediaTransport[] = [];
  const invites: InboundInvite[] = [];
  return {
    calls,
    invites,
    route: (inv) => {
      invites.push(inv);
      return Promise.resolve({ accept: (c: MediaTransport) => void calls.push(c) });
    },
  };
}

const toTagOf = (r: SipResponse): string => /;tag=([^;]+)/.exec(getHeader(r, 'to') ?? '')?.[1] ?? '';
const ackFor = (c: SipTestClient, callId: string, toTag: string, cseq = 1): string => c.request('ACK', { callId, cseq, toTag });

describe('SipUserAgent', () => {
  it('answers OPTIONS with 200 over UDP and TCP on the same port', async () => {
    const ua = await startUa(() => Promise.reject(new Error('unused')));
    for (const t of ['udp', 'tcp'] as const) {
      const c = await client(ua, t);
      c.sendRaw(c.request('OPTIONS', { callId: `opt-${t}`, cseq: 1 }));
      const r = await c.response(`opt-${t}`, 200, 'OPTIONS');
      expect(getHeader(r, 'allow')).toContain('INVITE');
    }
  });

  it('takes a call end to end: 100, 180, 200+SDP retransmitted until ACK, audio and DTMF both ways, caller BYE', async () => {
    const { route, calls, invites } = accepting();
    const ua = await startUa(route);
    const c = await client(ua);
    const media = await rtpPeer();
    c.sendRaw(c.request('INVITE', { callId: 'call-1', cseq: 1, body: offerSdp(media.port, { formats: '8 0 101' }) }));
    await c.response('call-1', 100);
    await c.response('call-1', 180);
    const ok = await c.response('call-1', 200);
    expect(invites[0]).toMatchObject({ dialledNumber: '+14155550123', callerNumber: '+15551234567', callId: 'call-1' });
    const answer = parseSdp(ok.body.toString());
    if (!answer.ok) throw new Error(answer.error);
    expect(answer.value.media[0]?.formats).toEqual(['8', '101']); // PCMA first: the caller's order
    const serverRtpPort = answer.value.media[0]?.port ?? 0;
    // No ACK yet: the 200 is retransmitted (T1 = 40 ms here)
    await waitFor(() => c.count((m) => m.kind === 'response' && m.status === 200) >= 3, 2000, '200 retransmissions');
    c.sendRaw(ackFor(c, 'call-1', toTagOf(ok)));
    await new Promise((r) => setTimeout(r, 50));
    const after = c.count((m) => m.kind === 'response' && m.status === 200);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.count((m) => m.kind === 'response' && m.status === 200)).toBe(after);

    const call = await waitFor(() => calls[0], 2000, 'accepted call');
    expect(call.metadata).toMatchObject({ carrier: 'sip', dialledNumber: '+14155550123', callerNumber: '+15551234567', carrierCallId: 'call-1' });
    const events: TransportEvent[] = [];
    const frames: AudioFrame[] = [];
    void (async () => {
      for await (const e of call.events) events.push(e);
    })();
    void (async () => {
      for await (const f of call.fromCaller) frames.push(f);
    })();
    // caller → agent audio and DTMF
    for (let i = 0; i < 6; i++) {
      const payload = encodeG711('PCMA', new Int16Array(160).fill(2000));
      media.sock.send(serializeRtpPacket({ payloadType: 8, marker: i === 0, sequenceNumber: i, timestamp: i * 160, ssrc: 99, csrcs: [], extension: undefined, payload }), serverRtpPort, '127.0.0.1');
    }
    for (const [j, p] of (telephoneEventPackets('7') ?? []).entries()) {
      media.sock.send(serializeRtpPacket({ payloadType: 101, marker: p.marker, sequenceNumber: 10 + j, timestamp: 4000, ssrc: 99, csrcs: [], extension: undefined, payload: p.payload }), serverRtpPort, '127.0.0.1');
    }
    await waitFor(() => frames.length >= 6 && events.some((e) => e.type === 'dtmf'), 2000, 'caller audio and DTMF');
    expect(Math.abs((frames[2]?.samples[0] ?? 0) - 2000)).toBeLessThan(100);
    expect(events.find((e) => e.type === 'dtmf')).toMatchObject({ digit: '7' });
    // agent → caller audio, PCMA, paced
    const played = await call.play({ frames: [{ samples: new Int16Array(160).fill(500), sampleRateHz: 8000, startMs: 0 }] }, { signal: new AbortController().signal });
    expect(played).toEqual({ playedMs: 20, completed: true });
    await waitFor(() => media.got.some((b) => parseRtpPacket(b).ok), 2000, 'RTP to caller');
    await call.sendDtmf('9');
    await waitFor(() => media.got.some((b) => { const p = parseRtpPacket(b); return p.ok && p.value.payloadType === 101; }), 2000, 'DTMF to caller');
    // caller hangs up
    c.sendRaw(c.request('BYE', { callId: 'call-1', cseq: 2, toTag: toTagOf(ok) }));
    await c.response('call-1', 200, 'BYE');
    await waitFor(() => call.ended.aborted, 2000, 'ended');
    await waitFor(() => events.at(-1)?.type === 'hangup', 2000, 'hangup event');
    expect(events.at(-1)).toMatchObject({ type: 'hangup', cause: 'caller_hangup', by: 'caller' });
    expect(ua.activeCalls).toBe(0);
  });

  it('hangs up from the agent side with a BYE the caller answers', async () => {
    const { route, calls } = accepting();
    const ua = await startUa(route);
    const c = await client(ua);
    c.sendRaw(c.request('INVITE', { callId: 'call-2', cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response('call-2', 200);
    c.sendRaw(ackFor(c, 'call-2', toTagOf(ok)));
    const call = await waitFor(() => calls[0]);
    const hanging = call.hangup({ cause: 'agent_hangup', by: 'agent' });
    const bye = await c.requestFromServer('call-2', 'BYE');
    expect(getHeader(bye, 'from')).toContain(`tag=${toTagOf(ok)}`);
    expect(getHeader(bye, 'to')).toContain(`tag=${c.fromTag}`);
    expect(bye.uri).toBe(`sip:test@127.0.0.1:${c.localPort}`);
    c.reply(bye, 200);
    await hanging;
    expect(call.ended.aborted).toBe(true);
    expect(call.ended.reason).toEqual({ cause: 'agent_hangup', by: 'agent' });
  });

  it.each([
    [{ reject: 404 }, 404, undefined],
    [{ reject: 480 }, 480, undefined],
    [{ reject: 403 }, 403, undefined],
    [{ reject: 503, retryAfterS: 30 }, 503, '30'],
  ] as [RouteDecision, number, string | undefined][])('rejects as routing says (%j), retransmitting until ACK', async (decision, status, retryAfter) => {
    const ua = await startUa(() => Promise.resolve(decision));
    const c = await client(ua);
    const callId = `rej-${status}`;
    c.sendRaw(c.request('INVITE', { callId, cseq: 1, body: offerSdp(40000) }));
    await c.response(callId, 100);
    const r = await c.response(callId, status);
    expect(getHeader(r, 'retry-after')).toBe(retryAfter);
    expect(toTagOf(r)).not.toBe('');
    await waitFor(() => c.count((m) => m.kind === 'response' && m.status === status) >= 2, 2000, 'retransmitted rejection');
    // RFC 3261 §17.1.1.3: the ACK of a non-2xx reuses the INVITE's branch
    const branch = /branch=([^;]+)/.exec(getHeader(r, 'via') ?? '')?.[1];
    c.sendRaw(c.request('ACK', { callId, cseq: 1, toTag: toTagOf(r), ...(branch ? { branch } : {}) }));
    await new Promise((res) => setTimeout(res, 50));
    const n = c.count((m) => m.kind === 'response' && m.status === status);
    await new Promise((res) => setTimeout(res, 300));
    expect(c.count((m) => m.kind === 'response' && m.status === status)).toBe(n);
  });

  it('answers 488 when no G.711 is offered', async () => {
    const { route } = accepting();
    const ua = await startUa(route);
    const c = await client(ua);
    c.sendRaw(c.request('INVITE', { callId: 'g729', cseq: 1, body: offerSdp(40000, { formats: '18' }) }));
    await c.response('g729', 488);
  });

  it('CANCEL before answer: 200 to the CANCEL, 487 to the INVITE, routing aborted', async () => {
    let routeSignal: AbortSignal | undefined;
    const ua = await startUa(
      (inv) =>
        new Promise((_resolve, reject) => {
          routeSignal = inv.signal;
          inv.signal.addEventListener('abort', () => reject(new Error('cancelled')));
        }),
    );
    const c = await client(ua);
    const branch = 'z9hG4bKcancelme';
    c.sendRaw(c.request('INVITE', { callId: 'cxl', cseq: 1, branch, body: offerSdp(40000) }));
    await c.response('cxl', 100);
    c.sendRaw(c.request('CANCEL', { callId: 'cxl', cseq: 1, branch }));
    await c.response('cxl', 200, 'CANCEL');
    await c.response('cxl', 487);
    expect(routeSignal?.aborted).toBe(true);
  });

  it('absorbs INVITE retransmissions: routing runs once', async () => {
    const { route, invites } = accepting();
    const ua = await startUa(route);
    const c = await client(ua);
    const text = c.request('INVITE', { callId: 'dup', cseq: 1, branch: 'z9hG4bKdup', body: offerSdp(40000) });
    c.sendRaw(text);
    c.sendRaw(text);
    const ok = await c.response('dup', 200);
    c.sendRaw(text);
    c.sendRaw(ackFor(c, 'dup', toTagOf(ok)));
    await new Promise((r) => setTimeout(r, 100));
    expect(invites.length).toBe(1);
  });

  it('answers a hold re-INVITE with recvonly and tells the agent', async () => {
    const { route, calls } = accepting();
    const ua = await startUa(route);
    const c = await client(ua);
    c.sendRaw(c.request('INVITE', { callId: 'hold', cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response('hold', 200);
    const tag = toTagOf(ok);
    c.sendRaw(ackFor(c, 'hold', tag));
    const call = await waitFor(() => calls[0]);
    const events: TransportEvent[] = [];
    void (async () => {
      for await (const e of call.events) events.push(e);
    })();
    c.sendRaw(c.request('INVITE', { callId: 'hold', cseq: 2, toTag: tag, body: offerSdp(40000, { extra: ['a=sendonly'] }) }));
    const reok = await c.waitFor((m): m is SipResponse => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '2 INVITE', 're-INVITE 200');
    expect(reok.body.toString()).toContain('a=recvonly');
    c.sendRaw(ackFor(c, 'hold', tag, 2));
    await waitFor(() => events.find((e) => e.type === 'hold'), 2000, 'hold event');
    expect(events[0]).toMatchObject({ type: 'hold', held: true });
  });

  it('runs a whole call over TCP with the request split across writes', async () => {
    const { route, calls } = accepting();
    const ua = await startUa(route);
    const c = await client(ua, 'tcp');
    const text = Buffer.from(c.request('INVITE', { callId: 'tcp-1', cseq: 1, body: offerSdp(40000) }));
    c.sendRaw(text.subarray(0, 50));
    await new Promise((r) => setTimeout(r, 20));
    c.sendRaw(text.subarray(50));
    const ok = await c.response('tcp-1', 200);
    expect(getHeader(ok, 'contact')).toContain('transport=tcp');
    c.sendRaw(ackFor(c, 'tcp-1', toTagOf(ok)) + c.request('BYE', { callId: 'tcp-1', cseq: 2, toTag: toTagOf(ok) }));
    await c.response('tcp-1', 200, 'BYE');
    expect(await waitFor(() => calls[0]?.ended.aborted)).toBe(true);
  });
});
