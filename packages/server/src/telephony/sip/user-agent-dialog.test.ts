import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { SipTestClient, offerSdp } from '../testing/sip-test-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { MediaTransport, TransportEvent } from '../transport.ts';
import { type SipRequest, type SipResponse, getHeader, getHeaderValues } from './message.ts';
import { buildResponse } from './dialog.ts';
import { parseSipMessage } from './parse.ts';
import { serializeSipMessage } from './serialize.ts';
import { SipUserAgent } from './user-agent.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ ua: SipUserAgent; c: SipTestClient; calls: MediaTransport[] }> {
  const calls: MediaTransport[] = [];
  const ua = await SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    rtpPorts: { minPort: 0, maxPort: 0 },
    clock: systemClock,
    timers: { t1Ms: 40, t2Ms: 160 },
    route: () => Promise.resolve({ accept: (call: MediaTransport) => void calls.push(call) }),
  });
  const c = await SipTestClient.open(ua.port);
  c.onRequest = (req) => req.method === 'BYE' && c.reply(req, 200);
  cleanups.push(() => c.close()); // cleanups run in reverse: the UA closes first, while the client still answers its BYEs
  cleanups.push(() => ua.close());
  return { ua, c, calls };
}

const toTagOf = (r: SipResponse): string => /;tag=([^;]+)/.exec(getHeader(r, 'to') ?? '')?.[1] ?? '';

describe('SipUserAgent inside a dialog', () => {
  it('copies Record-Route into the 200 and sends its BYE through the recorded proxy (RFC 3261 §12.1.1)', async () => {
    // Behind kamailio, a server that ignores Record-Route gets its BYE answered "404 Not here" (sip-lab)
    const proxy = dgram.createSocket('udp4');
    const atProxy: SipRequest[] = [];
    proxy.on('message', (m) => {
      const r = parseSipMessage(m);
      if (r.ok && r.value.kind === 'request') atProxy.push(r.value);
    });
    await new Promise<void>((r) => proxy.bind(0, '127.0.0.1', r));
    cleanups.push(() => void proxy.close());
    const rr = `<sip:127.0.0.1:${proxy.address().port};lr>`;
    const { ua, c, calls } = await setup();
    c.sendRaw(c.request('INVITE', { callId: 'rr', cseq: 1, body: offerSdp(40000), headers: [`Record-Route: ${rr}`] }));
    const ok = await c.response('rr', 200);
    expect(getHeaderValues(ok, 'record-route')).toEqual([rr]);
    c.sendRaw(c.request('ACK', { callId: 'rr', cseq: 1, toTag: toTagOf(ok) }));
    const call = await waitFor(() => calls[0]);
    void call.hangup({ cause: 'agent_hangup', by: 'agent' });
    const bye = await waitFor(() => atProxy.find((m) => m.method === 'BYE'), 3000, 'BYE at the proxy');
    expect(getHeaderValues(bye, 'route')).toEqual([rr]);
    expect(bye.uri).toBe(`sip:test@127.0.0.1:${c.localPort}`);
    proxy.send(serializeSipMessage(buildResponse(bye, 200)), ua.port, '127.0.0.1');
  });

  it('takes DTMF from SIP INFO (application/dtmf-relay)', async () => {
    const { c, calls } = await setup();
    c.sendRaw(c.request('INVITE', { callId: 'info', cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response('info', 200);
    const tag = toTagOf(ok);
    c.sendRaw(c.request('ACK', { callId: 'info', cseq: 1, toTag: tag }));
    const call = await waitFor(() => calls[0]);
    const events: TransportEvent[] = [];
    void (async () => {
      for await (const e of call.events) events.push(e);
    })();
    const body = 'Signal=8\r\nDuration=120\r\n';
    c.sendRaw(
      c.request('INFO', { callId: 'info', cseq: 2, toTag: tag, headers: ['Content-Type: application/dtmf-relay'] }).replace('Content-Length: 0\r\n\r\n', `Content-Length: ${body.length}\r\n\r\n${body}`),
    );
    await c.response('info', 200, 'INFO');
    expect(await waitFor(() => events.find((e) => e.type === 'dtmf'))).toMatchObject({ digit: '8', durationMs: 120 });
  });

  it.each([
    ['the far end completes the transfer', 202, 'SIP/2.0 200 OK', { transferred: true }],
    ['the new call is busy', 202, 'SIP/2.0 486 Busy Here', { transferred: false, reason: 'failed', status: 486 }],
    ['the far end refuses REFER', 405, undefined, { transferred: false, reason: 'rejected', status: 405 }],
  ] as const)('transfers by REFER when %s', async (_what, referStatus, sipfrag, want) => {
    const { c, calls } = await setup();
    const callId = `xfer-${referStatus}-${sipfrag?.slice(8, 11) ?? ''}`;
    c.sendRaw(c.request('INVITE', { callId, cseq: 1, body: offerSdp(40000) }));
    const ok = await c.response(callId, 200);
    const tag = toTagOf(ok);
    c.sendRaw(c.request('ACK', { callId, cseq: 1, toTag: tag }));
    const call = await waitFor(() => calls[0]);
    c.onRequest = (req) => {
      if (req.method === 'BYE') c.reply(req, 200);
      if (req.method !== 'REFER') return;
      expect(getHeader(req, 'refer-to')).toBe('<sip:+14155550199@127.0.0.1>');
      c.reply(req, referStatus, referStatus === 202 ? 'Accepted' : 'Method Not Allowed');
      if (sipfrag) {
        c.sendRaw(
          c.request('NOTIFY', { callId, cseq: 3, toTag: tag, body: sipfrag, headers: ['Event: refer', 'Subscription-State: terminated;reason=noresource', 'Content-Type: message/sipfrag;version=2.0'] }),
        );
      }
    };
    const result = await call.transfer?.('sip:+14155550199@127.0.0.1', { signal: new AbortController().signal });
    expect(result).toEqual(want);
    expect(call.ended.aborted).toBe(want.transferred);
    if (want.transferred) {
      await c.requestFromServer(callId, 'BYE');
      expect(call.ended.reason).toEqual({ cause: 'transferred', by: 'agent' });
    }
  });

  it('refuses an INVITE that requires an extension it does not implement with 420', async () => {
    const { c } = await setup();
    c.sendRaw(c.request('INVITE', { callId: 'prack', cseq: 1, body: offerSdp(40000), headers: ['Require: 100rel'] }));
    const r = await c.response('prack', 420);
    expect(getHeader(r, 'unsupported')).toBe('100rel');
  });
});
