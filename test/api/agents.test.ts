import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
});
afterAll(async () => t.close());

async function buyNumber(areaCode = '415'): Promise<{ id: string; e164: string }> {
  const avail = await t.api('GET', `/v1/numbers/available?area_code=${areaCode}&limit=1`);
  expect(avail.status).toBe(200);
  const bought = await t.api('POST', '/v1/numbers/purchase', { phone_number: avail.body[0].phone_number });
  expect(bought.status).toBe(201);
  return bought.body;
}

const FRONT_DESK = {
  name: 'Front desk',
  type: 'inbound',
  instructions: 'Take a message.',
  returns: { caller_name: 'string', reason: 'string', callback_number: 'string' },
  voicemail_action: 'hangup',
};

describe('agents', () => {
  it('creates an inbound agent with numbers; the first becomes primary and the number routes to it', async () => {
    const n1 = await buyNumber();
    const n2 = await buyNumber();
    const res = await t.api('POST', '/v1/agents', { ...FRONT_DESK, number_ids: [n1.id, n2.id] });
    expect(res.status).toBe(201);
    const a = res.body;
    expect(a).toMatchObject({ name: 'Front desk', type: 'inbound', language: 'en', timezone: 'UTC', version: 1, primary_number_id: n1.id, archived_at: null, settings: {}, tools: [], voicemail_action: 'hangup', user_id: expect.stringMatching(/^key_/) });
    expect(a.id).toMatch(/^ag_[0-9A-Z]{26}$/);
    expect(a.org_id).toBe(t.orgId);
    expect(a.numbers.map((n: { id: string }) => n.id)).toEqual([n1.id, n2.id]);
    expect(a.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const num = await t.api('GET', `/v1/numbers/${n1.id}`);
    expect(num.body.inbound_agent_id).toBe(a.id);
    expect(num.body.outbound_agent_ids).toEqual([]);
  });

  it('keeps every field of the spec, including settings, tools and timezone', async () => {
    const body = {
      name: 'Scheduler', type: 'outbound', persona: 'Calm.', instructions: 'Book.', voice: 'local:rms', language: 'en-US',
      returns: { confirmed: 'boolean', slot: { type: 'datetime', description: 'the booked time' }, mood: ['happy', 'sad'], items: { type: 'array', items: { type: 'object', properties: { sku: 'string', qty: 'integer' } } } },
      tools: [
        { type: 'http', name: 'check_slots', description: 'Free slots', parameters: { type: 'object', properties: { day: { type: 'string' } } }, url: 'https://example.com/slots', policy: 'read' },
        { type: 'builtin', name: 'transfer_call', destinations: [{ name: 'front desk', number: '(415) 555-0199' }] },
        { type: 'builtin', name: 'end_call' },
      ],
      webhook_url: 'https://example.com/hook', voicemail_action: 'leave_message', voicemail_message: 'Call us back.', first_message: 'Hi!',
      timezone: 'America/New_York', settings: { stt: 'deepgram', min_endpointing_ms: 200, max_endpointing_ms: 900, recording: true },
    };
    const res = await t.api('POST', '/v1/agents', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, tools: expect.any(Array) });
    expect(res.body.tools[0]).toMatchObject({ method: 'POST', timeout_ms: 5000 });
    expect(res.body.tools[1].destinations[0].number).toBe('+14155550199');
    const got = await t.api('GET', `/v1/agents/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it('bumps version on every PATCH, merges settings as RFC 7396, and keeps every version readable', async () => {
    const a = (await t.api('POST', '/v1/agents', { ...FRONT_DESK, settings: { stt: 'deepgram', recording: true } })).body;
    const p1 = await t.api('PATCH', `/v1/agents/${a.id}`, { instructions: 'Be brief.', settings: { recording: null, max_call_seconds: 600 } });
    expect(p1.status).toBe(200);
    expect(p1.body.version).toBe(2);
    expect(p1.body.settings).toEqual({ stt: 'deepgram', max_call_seconds: 600 });
    const p2 = await t.api('PATCH', `/v1/agents/${a.id}`, { name: 'Desk' });
    expect(p2.body.version).toBe(3);
    expect(p2.body.instructions).toBe('Be brief.');
    const v = await t.api('GET', `/v1/agents/${a.id}/versions`);
    expect(v.body.data.map((x: { version: number }) => x.version)).toEqual([3, 2, 1]);
    expect(v.body.data[2].config).toMatchObject({ name: 'Front desk', instructions: 'Take a message.', settings: { stt: 'deepgram', recording: true } });
    expect(v.body.data[1].config).toMatchObject({ instructions: 'Be brief.', name: 'Front desk' });
  });

  it('never changes type: PATCH with type is a 400 naming it', async () => {
    const a = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    const res = await t.api('PATCH', `/v1/agents/${a.id}`, { type: 'outbound' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', param: 'type' });
    expect((await t.api('GET', `/v1/agents/${a.id}`)).body.type).toBe('inbound');
  });

  it('also holds type in the database: a direct UPDATE is refused by the trigger', async () => {
    const a = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    await expect(t.platform.store.db.updateTable('agents').set({ type: 'outbound' }).where('id', '=', a.id).execute()).rejects.toThrow(/type never changes/);
  });

  it('attach/detach/primary: attaching twice is a no-op, detaching the primary clears it, primary must be attached', async () => {
    const a = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    const n1 = await buyNumber();
    const n2 = await buyNumber();
    let r = await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n1.id });
    expect(r.status).toBe(200);
    expect(r.body.primary_number_id).toBe(n1.id);
    r = await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n1.id });
    expect(r.status).toBe(200);
    expect(r.body.numbers).toHaveLength(1);
    r = await t.api('PUT', `/v1/agents/${a.id}/primary-number`, { number_id: n2.id });
    expect(r.status).toBe(400);
    expect(r.body.param).toBe('number_id');
    r = await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n2.id, set_as_primary: true });
    expect(r.body.primary_number_id).toBe(n2.id);
    r = await t.api('DELETE', `/v1/agents/${a.id}/numbers/${n2.id}`);
    expect(r.status).toBe(200);
    expect(r.body.primary_number_id).toBeNull();
    expect(r.body.numbers.map((n: { id: string }) => n.id)).toEqual([n1.id]);
    r = await t.api('PATCH', `/v1/agents/${a.id}`, { primary_number_id: n2.id });
    expect(r.status).toBe(400);
    expect(r.body.param).toBe('primary_number_id');
    r = await t.api('DELETE', `/v1/agents/${a.id}/numbers/${n2.id}`);
    expect(r.status).toBe(404);
  });

  it('one inbound agent per number: the second gets a 409 naming the first; outbound agents may share', async () => {
    const n = await buyNumber();
    const a = (await t.api('POST', '/v1/agents', { ...FRONT_DESK, number_ids: [n.id] })).body;
    const b = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    const r = await t.api('POST', `/v1/agents/${b.id}/numbers`, { number_id: n.id });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'conflict', param: 'number_id' });
    expect(r.body.error).toContain(a.id);
    const create = await t.api('POST', '/v1/agents', { ...FRONT_DESK, number_ids: [n.id] });
    expect(create.status).toBe(409);
    expect(create.body.param).toBe('number_ids[0]');
    const o1 = await t.api('POST', '/v1/agents', { name: 'O1', type: 'outbound', number_ids: [n.id] });
    const o2 = await t.api('POST', '/v1/agents', { name: 'O2', type: 'outbound', number_ids: [n.id] });
    expect([o1.status, o2.status]).toEqual([201, 201]);
    const num = (await t.api('GET', `/v1/numbers/${n.id}`)).body;
    expect(num.inbound_agent_id).toBe(a.id);
    expect(num.outbound_agent_ids.sort()).toEqual([o1.body.id, o2.body.id].sort());
  });

  it('two parallel attaches of one number to two inbound agents: exactly one 200, one 409 naming the winner', async () => {
    const n = await buyNumber();
    const a = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    const b = (await t.api('POST', '/v1/agents', FRONT_DESK)).body;
    const results = await Promise.all([a, b].map((x) => t.api('POST', `/v1/agents/${x.id}/numbers`, { number_id: n.id })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.id;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error).toContain(winner);
    expect((await t.api('GET', `/v1/numbers/${n.id}`)).body.inbound_agent_id).toBe(winner);
  });

  it('archiving detaches numbers, keeps calls, hides the agent from lists and refuses changes', async () => {
    const n = await buyNumber();
    const a = (await t.api('POST', '/v1/agents', { ...FRONT_DESK, number_ids: [n.id] })).body;
    const call = await t.platform.store.calls.insert({ org_id: t.orgId, agent_id: a.id, agent_version: 1, direction: 'inbound', to_number: n.e164, from_number: '+14155550000', status: 'completed' });
    const del = await t.api('DELETE', `/v1/agents/${a.id}`);
    expect(del.status).toBe(200);
    expect(del.body.archived_at).not.toBeNull();
    expect(del.body.numbers).toEqual([]);
    expect(del.body.primary_number_id).toBeNull();
    expect((await t.api('GET', `/v1/numbers/${n.id}`)).body.inbound_agent_id).toBeNull();
    expect((await t.api('GET', `/v1/calls/${call.id}`)).body.agent_id).toBe(a.id);
    const list = (await t.api('GET', '/v1/agents')).body.data.map((x: { id: string }) => x.id);
    expect(list).not.toContain(a.id);
    const withArchived = (await t.api('GET', '/v1/agents?include_archived=true')).body.data.map((x: { id: string }) => x.id);
    expect(withArchived).toContain(a.id);
    expect((await t.api('PATCH', `/v1/agents/${a.id}`, { name: 'x' })).status).toBe(409);
    expect((await t.api('POST', `/v1/agents/${a.id}/numbers`, { number_id: n.id })).status).toBe(409);
    // The number is free again for another inbound agent.
    expect((await t.api('POST', '/v1/agents', { ...FRONT_DESK, number_ids: [n.id] })).status).toBe(201);
  });

  it('lists with a type filter', async () => {
    const res = await t.api('GET', '/v1/agents?type=outbound&limit=200');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((x: { type: string }) => x.type === 'outbound')).toBe(true);
    expect(res.body).toMatchObject({ has_more: false, next_cursor: null });
  });
});
