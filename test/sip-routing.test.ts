import dgram from 'node:dgram';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, eventually, type TestPlatform } from '@callingbox/testkit';
import { decodeWav } from '../packages/server/src/core/audio/wav.ts';
import { encodeG711 } from '../packages/server/src/telephony/rtp/g711.ts';
import { serializeRtpPacket } from '../packages/server/src/telephony/rtp/rtp-packet.ts';
import { telephoneEventPackets } from '../packages/server/src/telephony/rtp/telephone-event.ts';
import { getHeader, type SipResponse } from '../packages/server/src/telephony/sip/message.ts';
import { parseSdp } from '../packages/server/src/telephony/sip/sdp.ts';
import { offerSdp, SipTestClient } from '../packages/server/src/telephony/testing/sip-test-client.ts';
import { waitFor } from '../packages/server/src/telephony/testing/wait-for.ts';

/** Inbound routing over real SIP on loopback, into call records (calls.md → Inbound routing). */
let t: TestPlatform;
let sipPort: number;
let numberId: string;
let e164: string;
let agentId: string;

beforeAll(async () => {
  t = await createTestPlatform({ sip: true });
  sipPort = t.platform.sipPort!;
  const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550123' })).body;
  numberId = n.id;
  e164 = n.e164;
  agentId = (await t.api('POST', '/v1/agents', { name: 'Desk', type: 'inbound', number_ids: [n.id], instructions: 'v1', settings: { recording: true } })).body.id;
}, 60_000);
afterAll(async () => t.close());

const toTagOf = (r: SipResponse): string => /;tag=([^;]+)/.exec(getHeader(r, 'to') ?? '')?.[1] ?? '';
const uri = (num: string) => `sip:${num}@127.0.0.1:${sipPort}`;

async function rtpPeer() {
  const sock = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { sock, port: sock.address().port, got };
}

async function invite(c: SipTestClient, num: string, rtpPort: number, callId = `c-${Math.random()}`) {
  c.sendRaw(c.request('INVITE', { uri: uri(num), callId, cseq: 1, body: offerSdp(rtpPort) }));
  return callId;
}

async function finalStatus(c: SipTestClient, callId: string): Promise<number> {
  const r = await c.waitFor((m): m is SipResponse => m.kind === 'response' && m.status >= 200 && getHeader(m, 'call-id') === callId, 'final response', 5000);
  return (r as SipResponse).status;
}

async function callsTo(num: string) {
  return (await t.api('GET', `/v1/calls?to_number=${encodeURIComponent(num)}`)).body as Array<Record<string, any>>;
}

describe('SIP inbound routing into calls', () => {
  it('answers a call to a number with an inbound agent, records it, and ends it completed on BYE', async () => {
    const c = await SipTestClient.open(sipPort);
    const peer = await rtpPeer();
    try {
      const callId = await invite(c, e164, peer.port);
      const ok = await c.response(callId, 200);
      expect((await c.waitFor((m) => m.kind === 'response' && m.status === 100, '100 Trying')).kind).toBe('response');
      const answer = parseSdp(ok.body.toString());
      expect(answer.ok).toBe(true);
      const remote = answer.ok ? answer.value.media[0]!.port : 0;
      c.sendRaw(c.request('ACK', { uri: uri(e164), callId, cseq: 1, toTag: toTagOf(ok) }));
      // The greeting arrives as RTP.
      await waitFor(() => (peer.got.length >= 10 ? true : undefined), 3000, 'greeting RTP');
      const [call] = await callsTo(e164);
      expect(call).toMatchObject({ direction: 'inbound', agent_id: agentId, agent_version: 1, from_number: '+15551234567', to_number: e164, status: 'in_progress', instructions: 'v1' });
      expect(call!.answered_at).not.toBeNull();
      // The caller speaks (20 ms PCMU packets) and presses 5.
      const speech = encodeG711('PCMU', new Int16Array(160).fill(3000));
      for (let i = 0; i < 25; i++) peer.sock.send(serializeRtpPacket({ marker: i === 0, payloadType: 0, sequenceNumber: 100 + i, timestamp: 1000 + i * 160, ssrc: 42, csrcs: [], extension: undefined, payload: speech }), remote, '127.0.0.1');
      for (const [i, p] of telephoneEventPackets('5', 120)!.entries()) peer.sock.send(serializeRtpPacket({ ...p, payloadType: 101, sequenceNumber: 200 + i, timestamp: 9000, ssrc: 42, csrcs: [], extension: undefined }), remote, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 300));
      c.sendRaw(c.request('BYE', { uri: uri(e164), callId, cseq: 2, toTag: toTagOf(ok) }));
      await c.response(callId, 200, 'BYE');
      const done = await eventually(async () => {
        const r = (await t.api('GET', `/v1/calls/${call!.id}`)).body;
        return r.status === 'completed' ? r : undefined;
      }, 'completed call');
      expect(done).toMatchObject({ hangup_cause: 'caller_hangup', ended_by: 'caller', duration_seconds: expect.any(Number), recording_url: `/v1/calls/${call!.id}/recording` });
      const events = (await t.api('GET', `/v1/calls/${call!.id}/events`)).body.data;
      expect(events.filter((e: { type: string }) => e.type === 'status').map((e: { data: { to: string } }) => e.data.to)).toEqual(['ringing', 'in_progress', 'completed']);
      expect(events.find((e: { type: string }) => e.type === 'dtmf')?.data).toEqual({ digits: '5', direction: 'from_caller' });
      const stored = await t.platform.store.calls.getAny(call!.id);
      const rec = decodeWav(fs.readFileSync(stored.recording_path!));
      expect(rec.samples.length).toBeGreaterThan(160 * 20);
    } finally {
      c.close();
      peer.sock.close();
    }
  });

  it('rejects an unknown number with 404 and creates no record', async () => {
    const c = await SipTestClient.open(sipPort);
    try {
      const callId = await invite(c, '+14155550177', 4000);
      expect(await finalStatus(c, callId)).toBe(404);
      expect(await callsTo('+14155550177')).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('attach and detach take effect for the very next INVITE; an archived agent rejects', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550124' })).body;
    const c = await SipTestClient.open(sipPort);
    try {
      expect(await finalStatus(c, await invite(c, n.e164, 4000))).toBe(480);
      const a = (await t.api('POST', '/v1/agents', { name: 'Late', type: 'inbound' })).body;
      await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n.id });
      const answered = await invite(c, n.e164, 4000);
      const ok = await c.response(answered, 200);
      c.sendRaw(c.request('ACK', { uri: uri(n.e164), callId: answered, cseq: 1, toTag: toTagOf(ok) }));
      c.sendRaw(c.request('BYE', { uri: uri(n.e164), callId: answered, cseq: 2, toTag: toTagOf(ok) }));
      await c.response(answered, 200, 'BYE');
      await t.api('DELETE', `/v1/agents/${a.id}/numbers/${n.id}`);
      expect(await finalStatus(c, await invite(c, n.e164, 4000))).toBe(480);
      await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n.id });
      await t.api('DELETE', `/v1/agents/${a.id}`);
      expect(await finalStatus(c, await invite(c, n.e164, 4000))).toBe(480);
      const records = await callsTo(n.e164);
      expect(records).toHaveLength(1);
    } finally {
      c.close();
    }
  });

  it('the snapshot is frozen: a PATCH during the call changes the next call only', async () => {
    const c = await SipTestClient.open(sipPort);
    try {
      const first = await invite(c, e164, 4000);
      const ok = await c.response(first, 200);
      await t.api('PATCH', `/v1/agents/${agentId}`, { instructions: 'v2' });
      c.sendRaw(c.request('ACK', { uri: uri(e164), callId: first, cseq: 1, toTag: toTagOf(ok) }));
      c.sendRaw(c.request('BYE', { uri: uri(e164), callId: first, cseq: 2, toTag: toTagOf(ok) }));
      await c.response(first, 200, 'BYE');
      const second = await invite(c, e164, 4000);
      const ok2 = await c.response(second, 200);
      c.sendRaw(c.request('ACK', { uri: uri(e164), callId: second, cseq: 1, toTag: toTagOf(ok2) }));
      c.sendRaw(c.request('BYE', { uri: uri(e164), callId: second, cseq: 2, toTag: toTagOf(ok2) }));
      await c.response(second, 200, 'BYE');
      const [newest, older] = await callsTo(e164);
      expect(older).toMatchObject({ instructions: 'v1', agent_version: 1 });
      expect(newest).toMatchObject({ instructions: 'v2', agent_version: 2 });
    } finally {
      c.close();
    }
  });

  it('reports the SIP port in health', async () => {
    const h = (await t.api('GET', '/v1/health', undefined, { key: null })).body;
    expect(h.ports.sip).toBe(sipPort);
    expect(h.components.sip.status).toBe('ok');
  });
});
