import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';

/** `GET /v1/events/stream` (api.md → Live events). */
let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
}, 60_000);
afterAll(async () => t.close());

interface Sse { id: string; event: string; data: any }

/** Reads SSE messages from a response until `count` arrived (bounded in time). */
async function readEvents(res: Response, count: number, timeoutMs = 5000): Promise<Sse[]> {
  const reader = res.body!.getReader();
  const out: Sse[] = [];
  let buf = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (out.length < count && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()))]);
      if (chunk.done) break;
      buf += new TextDecoder().decode(chunk.value);
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
        if (f.data) out.push({ id: f.id ?? '', event: f.event ?? 'message', data: JSON.parse(f.data) });
      }
    }
  } finally {
    await reader.cancel();
  }
  return out;
}

const open = (lastEventId?: string, key = t.apiKey) =>
  t.platform.fetch(new Request('http://localhost/v1/events/stream', { headers: { authorization: `Bearer ${key}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } }));

async function runCall() {
  const agent = (await t.api('POST', '/v1/agents', { name: 'S', type: 'inbound' })).body;
  const lc = t.platform.lifecycle;
  const call = await lc.createInbound({ orgId: t.orgId, agentId: agent.id, agentVersion: 1, snapshot: {}, fromNumber: '+15550001111', toNumber: '+14155550100', webhookUrl: null, metadata: {}, workerId: 'w' });
  await lc.answered(call.id, 'w');
  await lc.ended(call.id, { hangupCause: 'caller_hangup', endedBy: 'caller' });
  return call;
}

describe('live event stream', () => {
  it('streams the organisation\'s call events as they happen, and replays after Last-Event-ID', async () => {
    const res = await open();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reading = readEvents(res, 3);
    const call = await runCall();
    const events = await reading;
    expect(events.map((e) => e.event)).toEqual(['call.ringing', 'call.answered', 'call.completed']);
    for (const e of events) {
      expect(e.id).toMatch(/^cev_/);
      expect(e.data).toMatchObject({ type: e.event, api_version: '2026-04', created: expect.any(Number), data: { call: { id: call.id } } });
    }
    const replay = await readEvents(await open(events[0]!.id), 2);
    expect(replay.map((e) => e.id)).toEqual([events[1]!.id, events[2]!.id]);
  });

  it('shows no other organisation\'s events and needs a key', async () => {
    const other = await t.newOrg();
    const reading = readEvents(await open(undefined, other.apiKey), 1, 1500);
    await runCall();
    expect(await reading).toEqual([]);
    const anon = await t.platform.fetch(new Request('http://localhost/v1/events/stream'));
    expect(anon.status).toBe(401);
  });
});
