/** `SipCall` runs the MediaTransport conformance suite against a caller speaking real SIP and RTP on loopback. */
import dgram from 'node:dgram';
import { systemClock } from '../../core/clock.ts';
import { decodeG711, encodeG711 } from '../rtp/g711.ts';
import { parseRtpPacket, serializeRtpPacket } from '../rtp/rtp-packet.ts';
import { TelephoneEventReceiver, telephoneEventPackets } from '../rtp/telephone-event.ts';
import { mediaTransportConformance } from '../testing/media-transport-conformance.ts';
import { SipTestClient, offerSdp } from '../testing/sip-test-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { MediaTransport } from '../transport.ts';
import { getHeader } from './message.ts';
import { parseSdp } from './sdp.ts';
import { SipUserAgent } from './user-agent.ts';

let n = 0;

mediaTransportConformance('SipCall (SIP/RTP over UDP)', async () => {
  const calls: MediaTransport[] = [];
  const ua = await SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    rtpPorts: { minPort: 0, maxPort: 0 },
    clock: systemClock,
    timers: { t1Ms: 40, t2Ms: 160 },
    route: () => Promise.resolve({ accept: (c: MediaTransport) => void calls.push(c) }),
  });
  const client = await SipTestClient.open(ua.port);
  const peer = dgram.createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  const rx = { audioMs: 0, peak: 0, digits: '' };
  const dtmfIn = new TelephoneEventReceiver();
  peer.on('message', (m) => {
    const p = parseRtpPacket(m);
    if (!p.ok) return;
    if (p.value.payloadType === 101) {
      for (const d of dtmfIn.receive(p.value.timestamp, p.value.payload)) rx.digits += d.digit;
      return;
    }
    const samples = decodeG711('PCMU', p.value.payload);
    const peak = samples.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    if (peak > 100) rx.audioMs += 20;
    rx.peak = Math.max(rx.peak, peak);
  });
  let sawBye = false;
  client.onRequest = (req) => {
    if (req.method !== 'BYE') return;
    sawBye = true;
    client.reply(req, 200);
  };
  const callId = `conf-${++n}`;
  client.sendRaw(client.request('INVITE', { callId, cseq: 1, body: offerSdp(peer.address().port, { formats: '0 101' }) }));
  const ok = await client.response(callId, 200);
  const toTag = /;tag=([^;]+)/.exec(getHeader(ok, 'to') ?? '')?.[1] ?? '';
  client.sendRaw(client.request('ACK', { callId, cseq: 1, toTag }));
  const answer = parseSdp(ok.body.toString());
  const serverPort = answer.ok ? (answer.value.media[0]?.port ?? 0) : 0;
  const transport = await waitFor(() => calls[0], 3000, 'accepted call');
  let seq = 1;
  let ts = 0;
  const send = (pt: number, payload: Uint8Array, marker = false, timestamp = ts): void =>
    void peer.send(serializeRtpPacket({ payloadType: pt, marker, sequenceNumber: seq++ & 0xffff, timestamp, ssrc: 4242, csrcs: [], extension: undefined, payload }), serverPort, '127.0.0.1');
  return {
    transport,
    expected: { carrier: 'sip', dialledNumber: '+14155550123', callerNumber: '+15551234567' },
    farEnd: {
      sendAudio: (frames, level) => {
        for (let i = 0; i < frames; i++, ts += 160) send(0, encodeG711('PCMU', new Int16Array(160).fill(level)), i === 0);
        return Promise.resolve();
      },
      received: () => ({ ms: rx.audioMs, peak: rx.peak }),
      sendDtmf: (digit) => {
        const start = (ts += 160);
        for (const p of telephoneEventPackets(digit) ?? []) send(101, p.payload, p.marker, start);
        return Promise.resolve();
      },
      dtmfReceived: () => rx.digits,
      hangup: async () => {
        client.sendRaw(client.request('BYE', { callId, cseq: 2, toTag }));
        await client.response(callId, 200, 'BYE');
      },
      sawHangup: () => sawBye,
    },
    dispose: async () => {
      await ua.close();
      client.close();
      peer.close();
    },
  };
});
