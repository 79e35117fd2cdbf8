import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '@callingbox/testkit';

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
});
afterAll(async () => t.close());

describe('numbers', () => {
  it('lists the sandbox inventory of an area code without what is taken, never the test destinations', async () => {
    const r = await t.api('GET', '/v1/numbers/available?area_code=212&limit=200');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(90);
    expect(r.body[0]).toEqual({ phone_number: '+12125550100', country_code: 'US', number_type: 'local', state: 'NY', locality: 'New York', monthly_cost_cents: 0, upfront_cost_cents: 0, currency: 'USD' });
    expect(r.body.map((n: { phone_number: string }) => n.phone_number)).not.toContain('+12125550190');
    await t.api('POST', '/v1/numbers/purchase', { phone_number: '+12125550100' });
    const after = await t.api('GET', '/v1/numbers/available?area_code=212&limit=2');
    expect(after.body.map((n: { phone_number: string }) => n.phone_number)).toEqual(['+12125550101', '+12125550102']);
    expect((await t.api('GET', '/v1/numbers/available?country_code=GB')).body).toEqual([]);
    expect((await t.api('GET', '/v1/numbers/available?number_type=toll_free&limit=1')).body[0]).toMatchObject({ phone_number: '+18005550100', number_type: 'toll_free' });
    expect((await t.api('GET', '/v1/numbers/available?cursor=abc')).status).toBe(400);
  });

  it('purchases, renames and releases; a released number stops listing as active and can be bought again', async () => {
    const n = (await t.api('POST', '/v1/numbers/purchase', { phone_number: '+15125550123' })).body;
    expect(n).toMatchObject({ e164: '+15125550123', carrier: 'sandbox', status: 'active', number_type: 'local', country_code: 'US', monthly_cost_cents: 0, sip_trunk_id: null, inbound_agent_id: null, outbound_agent_ids: [] });
    expect(n.id).toMatch(/^pn_/);
    const renamed = await t.api('PATCH', `/v1/numbers/${n.id}`, { friendly_name: 'Austin line' });
    expect(renamed.body.friendly_name).toBe('Austin line');
    const agent = (await t.api('POST', '/v1/agents', { name: 'A', type: 'inbound', number_ids: [n.id] })).body;
    const released = await t.api('DELETE', `/v1/numbers/${n.id}`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', inbound_agent_id: null });
    expect((await t.api('GET', `/v1/agents/${agent.id}`)).body).toMatchObject({ numbers: [], primary_number_id: null });
    expect((await t.api('GET', '/v1/numbers')).body.map((x: { id: string }) => x.id)).not.toContain(n.id);
    expect((await t.api('GET', '/v1/numbers?status=released')).body.map((x: { id: string }) => x.id)).toContain(n.id);
    expect((await t.api('POST', `/v1/agents/${agent.id}/numbers`, { number_id: n.id })).status).toBe(409);
    expect((await t.api('POST', '/v1/numbers/purchase', { phone_number: '+15125550123' })).status).toBe(201);
  });

  it('imports BYO numbers on a SIP trunk or Twilio; a trunk in use cannot be deleted', async () => {
    const trunk = (await t.api('POST', '/v1/sip_trunks', { name: 'Carrier', inbound_addresses: ['203.0.113.0/24', '2001:db8::1'], auth_username: 'acme', auth_password: 's3cret', outbound_uri: 'sip:carrier.example:5060' })).body;
    expect(trunk).toMatchObject({ name: 'Carrier', inbound_addresses: ['203.0.113.0/24', '2001:db8::1'], auth_username: 'acme', outbound_uri: 'sip:carrier.example:5060' });
    expect(trunk).not.toHaveProperty('auth_password');
    const sip = await t.api('POST', '/v1/numbers/import', { phone_number: '+44 20 7946 0958', carrier: 'sip', sip_trunk_id: trunk.id, friendly_name: 'London' });
    expect(sip.status).toBe(201);
    expect(sip.body).toMatchObject({ e164: '+442079460958', carrier: 'sip', sip_trunk_id: trunk.id, country_code: 'GB', friendly_name: 'London' });
    const tw = await t.api('POST', '/v1/numbers/import', { phone_number: '+18885550000', carrier: 'twilio' });
    expect(tw.body).toMatchObject({ carrier: 'twilio', number_type: 'toll_free', sip_trunk_id: null });
    expect((await t.api('POST', '/v1/numbers/import', { phone_number: '+18885550000', carrier: 'twilio' })).status).toBe(409);
    expect((await t.api('POST', '/v1/numbers/import', { phone_number: '+18885550001', carrier: 'sip' })).body.param).toBe('sip_trunk_id');
    const del = await t.api('DELETE', `/v1/sip_trunks/${trunk.id}`);
    expect(del.status).toBe(409);
    await t.api('DELETE', `/v1/numbers/${sip.body.id}`);
    expect((await t.api('DELETE', `/v1/sip_trunks/${trunk.id}`)).status).toBe(200);
    expect((await t.api('GET', `/v1/sip_trunks/${trunk.id}`)).status).toBe(404);
  });

  it('patches trunks; the password stays write-only', async () => {
    const trunk = (await t.api('POST', '/v1/sip_trunks', { name: 'T2' })).body;
    expect(trunk).toMatchObject({ inbound_addresses: [], auth_username: null, outbound_uri: null });
    const p = await t.api('PATCH', `/v1/sip_trunks/${trunk.id}`, { auth_username: 'x', auth_password: 'y', inbound_addresses: ['198.51.100.7'] });
    expect(p.body).toMatchObject({ auth_username: 'x', inbound_addresses: ['198.51.100.7'] });
    expect(JSON.stringify(p.body)).not.toContain('"y"');
    const stored = await t.platform.store.sipTrunks.get(t.orgId, trunk.id);
    expect(stored.auth_password).toBe('y');
    expect((await t.api('PATCH', `/v1/sip_trunks/${trunk.id}`, { inbound_addresses: ['10.0.0.0/33'] })).body.param).toBe('inbound_addresses[0]');
    expect((await t.api('PATCH', `/v1/sip_trunks/${trunk.id}`, { outbound_uri: 'http://x' })).body.param).toBe('outbound_uri');
  });
});

describe('webhook endpoints, deliveries and secrets', () => {
  it('creates with a secret shown once, patches, rotates, re-enables and deletes', async () => {
    const c = await t.api('POST', '/v1/webhook_endpoints', { url: 'https://example.com/a', description: 'CRM' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ url: 'https://example.com/a', description: 'CRM', enabled_events: ['*'], status: 'enabled', disabled_reason: null, consecutive_failures: 0, org_id: t.orgId });
    expect(c.body.signing_secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const got = (await t.api('GET', `/v1/webhook_endpoints/${c.body.id}`)).body;
    expect(got).not.toHaveProperty('signing_secret');
    const rotated = (await t.api('POST', `/v1/webhook_endpoints/${c.body.id}/rotate_secret`)).body;
    expect(rotated.signing_secret).toMatch(/^whsec_/);
    expect(rotated.signing_secret).not.toBe(c.body.signing_secret);
    const disabled = (await t.api('PATCH', `/v1/webhook_endpoints/${c.body.id}`, { status: 'disabled', enabled_events: ['call.completed', 'call.failed'] })).body;
    expect(disabled).toMatchObject({ status: 'disabled', enabled_events: ['call.completed', 'call.failed'] });
    await t.platform.store.db.updateTable('webhook_endpoints').set({ consecutive_failures: 10, disabled_reason: 'too_many_failures' }).where('id', '=', c.body.id).execute();
    const enabled = (await t.api('PATCH', `/v1/webhook_endpoints/${c.body.id}`, { status: 'enabled' })).body;
    expect(enabled).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null, consecutive_failures: 0 });
    expect((await t.api('POST', '/v1/webhook_endpoints', { url: 'https://example.com', enabled_events: ['call.exploded'] })).body.param).toBe('enabled_events[0]');
    expect((await t.api('DELETE', `/v1/webhook_endpoints/${c.body.id}`)).status).toBe(200);
    expect((await t.api('GET', `/v1/webhook_endpoints/${c.body.id}`)).status).toBe(404);
  });

  it('lists and reads deliveries with attempts; redelivers delivered/exhausted with the same id; pending is a 409', async () => {
    const ep = (await t.api('POST', '/v1/webhook_endpoints', { url: 'https://example.com/b' })).body;
    const call = await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: '+14155550100', status: 'completed' });
    const base = { org_id: t.orgId, endpoint_id: ep.id, call_id: call.id, event_type: 'call.completed', url: ep.url, payload: { x: 1 }, attempt_count: 8, manual_retry_count: 0, next_attempt_at: null, last_error: 'HTTP 500', last_response_status: 500, delivered_at: null, locked_until: null, locked_by: null };
    const exhausted = await t.platform.store.webhooks.insertDelivery({ ...base, status: 'exhausted' });
    const pending = await t.platform.store.webhooks.insertDelivery({ ...base, status: 'pending', attempt_count: 1 });
    await t.platform.store.db.insertInto('webhook_attempts').values({ delivery_id: exhausted.id, attempt_no: 1, at: new Date(), status_code: 500, duration_ms: 12, error: 'HTTP 500' }).execute();
    const list = (await t.api('GET', `/v1/webhook_deliveries?endpoint_id=${ep.id}&status=exhausted`)).body;
    expect(list.data.map((d: { id: string }) => d.id)).toEqual([exhausted.id]);
    expect(list.data[0]).not.toHaveProperty('attempts');
    const one = (await t.api('GET', `/v1/webhook_deliveries/${exhausted.id}`)).body;
    expect(one.attempts).toEqual([{ at: expect.any(String), status_code: 500, duration_ms: 12, error: 'HTTP 500' }]);
    const again = await t.api('POST', `/v1/webhook_deliveries/${exhausted.id}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: exhausted.id, status: 'pending', manual_retry_count: 1 });
    expect((await t.api('POST', `/v1/webhook_deliveries/${pending.id}/redeliver`)).status).toBe(409);
    expect((await t.api('GET', `/v1/webhook_deliveries?call_id=${call.id}`)).body.data).toHaveLength(2);
  });

  it('rotates the default signing secret; the old one is gone at once', async () => {
    const before = (await t.api('GET', '/v1/webhook_secret')).body;
    expect(before).toEqual({ secret: expect.stringMatching(/^whsec_[0-9a-f]{64}$/), created_at: expect.any(String) });
    const rotated = (await t.api('POST', '/v1/webhook_secret/rotate')).body;
    expect(rotated.secret).not.toBe(before.secret);
    expect((await t.api('GET', '/v1/webhook_secret')).body.secret).toBe(rotated.secret);
  });
});

describe('calls (read side)', () => {
  it('serves a call with every field, its transcript and its events (paged, oldest first)', async () => {
    const agent = (await t.api('POST', '/v1/agents', { name: 'Desk', type: 'inbound', returns: { caller_name: 'string' }, timezone: 'Europe/Paris', instructions: 'Be nice.' })).body;
    const at = new Date('2026-11-24T13:05:00.123Z');
    const call = await t.platform.store.calls.insert({
      org_id: t.orgId, agent_id: agent.id, agent_version: 1, direction: 'inbound', to_number: '+14155550100', from_number: '+13105550100', status: 'completed',
      snapshot: { instructions: 'Be nice.', returns: { caller_name: 'string' }, timezone: 'Europe/Paris', language: 'en', voice: null, persona: 'Default persona' },
      result: { caller_name: 'Ada' }, result_status: 'completed', answered_at: at, ended_at: new Date(at.getTime() + 61_000), duration_seconds: 61, hangup_cause: 'caller_hangup', ended_by: 'caller', metadata: { crm_id: 7 },
    });
    const r = (await t.api('GET', `/v1/calls/${call.id}`)).body;
    // A list page (which reads only the snapshot fields it shows) serves the very same object.
    expect((await t.api('GET', `/v1/calls?agent_id=${agent.id}`)).body[0]).toEqual(r);
    expect(r).toMatchObject({ id: call.id, agent_id: agent.id, agent_version: 1, direction: 'inbound', status: 'completed', instructions: 'Be nice.', prompt: 'Be nice.', persona: 'Default persona', returns: { caller_name: 'string' }, result: { caller_name: 'Ada' }, result_status: 'completed', timezone: 'Europe/Paris', answered_at: '2026-11-24T13:05:00.123Z', duration_seconds: 61, hangup_cause: 'caller_hangup', ended_by: 'caller', webhook_status: 'none', metadata: { crm_id: 7 }, recording_url: null, redacted_at: null, answered_by: null, latency: null });
    const keys = ['id', 'agent_id', 'agent_version', 'direction', 'to_number', 'from_number', 'status', 'answered_by', 'persona', 'instructions', 'prompt', 'context', 'returns', 'result', 'result_status', 'result_error', 'language', 'voice', 'webhook_url', 'webhook_status', 'webhook_error', 'created_at', 'started_at', 'answered_at', 'ended_at', 'duration_seconds', 'billed_duration_seconds', 'billing_amount_milli_cents', 'reservation_status', 'error_code', 'error_message', 'hangup_cause', 'ended_by', 'metadata', 'latency', 'recording_url', 'timezone', 'redacted_at', 'updated_at'];
    expect(Object.keys(r).sort()).toEqual(keys.sort());

    await t.platform.store.calls.addSegment({ call_id: call.id, sequence_no: 1, role: 'agent', text: 'Hello', started_at: at, ended_at: new Date(at.getTime() + 900), duration_ms: 900, source: 'tts', interrupted: false });
    await t.platform.store.calls.addSegment({ call_id: call.id, sequence_no: 2, role: 'caller', text: 'Hi, Ada here', started_at: new Date(at.getTime() + 1200), ended_at: new Date(at.getTime() + 2000), duration_ms: 800, source: 'stt', interrupted: false });
    const tr = (await t.api('GET', `/v1/calls/${call.id}/transcript`)).body;
    expect(tr.call_id).toBe(call.id);
    expect(tr.segments.map((s: { role: string; text: string }) => [s.role, s.text])).toEqual([['agent', 'Hello'], ['caller', 'Hi, Ada here']]);
    expect(tr.segments[0]).toEqual({ sequence_no: 1, role: 'agent', text: 'Hello', started_at: '2026-11-24T13:05:00.123Z', ended_at: '2026-11-24T13:05:01.023Z', duration_ms: 900, source: 'tts', interrupted: false });

    for (let i = 0; i < 5; i++) await t.platform.store.calls.addEvent(call, 'status', { from: `s${i}`, to: `s${i + 1}` });
    const p1 = (await t.api('GET', `/v1/calls/${call.id}/events?limit=3`)).body;
    expect(p1.data.map((e: { sequence_no: number }) => e.sequence_no)).toEqual([1, 2, 3]);
    expect(p1).toMatchObject({ has_more: true });
    expect(p1.data[0]).toMatchObject({ id: expect.stringMatching(/^cev_/), call_id: call.id, type: 'status', data: { from: 's0', to: 's1' } });
    const p2 = (await t.api('GET', `/v1/calls/${call.id}/events?limit=3&cursor=${p1.next_cursor}`)).body;
    expect(p2.data.map((e: { sequence_no: number }) => e.sequence_no)).toEqual([4, 5]);
    expect(p2).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('numbers call events without gaps or clashes when several writers append at once', async () => {
    // Regression: on PostgreSQL the webhook worker and the lifecycle both appended events to one
    // call, computed the same next sequence number, and the worker's transaction failed.
    const call = await t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: '+14155550100', status: 'in_progress' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.platform.store.calls.addEvent(call, 'dtmf', { digits: String(i % 10), direction: 'from_caller' })));
    const seqs = (await t.api('GET', `/v1/calls/${call.id}/events?limit=200`)).body.data.map((e: { sequence_no: number }) => e.sequence_no);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('filters by every documented field, with comma-separated values', async () => {
    const mk = (o: Record<string, unknown>) => t.platform.store.calls.insert({ org_id: t.orgId, direction: 'inbound', to_number: '+16175550100', from_number: '+16175550199', status: 'completed', ...o });
    const a = await mk({ status: 'failed' });
    const b = await mk({ direction: 'outbound', to_number: '+16175550101' });
    const c = await mk({ status: 'no_answer', from_number: '+16175550198' });
    const ids = async (q: string) => ((await t.api('GET', `/v1/calls?${q}`)).body as Array<{ id: string }>).map((x) => x.id);
    expect(await ids('status=failed,no_answer&to_number=%2B16175550100')).toEqual([c.id, a.id]);
    expect(await ids('direction=outbound&to_number=(617) 555-0101')).toEqual([b.id]);
    expect(await ids('from_number=%2B16175550198')).toEqual([c.id]);
    expect(await ids(`created_after=${encodeURIComponent(b.created_at.toISOString())}&to_number=%2B16175550100,%2B16175550101`)).toEqual([c.id, b.id]);
    expect(await ids(`created_before=${encodeURIComponent(b.created_at.toISOString())}&to_number=%2B16175550100,%2B16175550101`)).toEqual([a.id]);
  });
});

describe('usage, health and OpenAPI', () => {
  it('sums calls and billed minutes per UTC day and direction', async () => {
    const day = new Date();
    const today = day.toISOString().slice(0, 10);
    const fresh = await t.newOrg('Usage');
    for (const [direction, secs] of [['inbound', 60], ['inbound', 90], ['outbound', 30]] as const) {
      await t.platform.store.calls.insert({ org_id: fresh.orgId, direction, to_number: '+14155550100', status: 'completed', billed_duration_seconds: secs, billing_amount_milli_cents: String(secs * 10) });
    }
    const r = await t.api('GET', `/v1/usage?from=${today}&to=${today}`, undefined, { key: fresh.apiKey });
    expect(r.body.data).toEqual([
      { date: today, direction: 'inbound', calls: 2, minutes: 2.5, billed_seconds: 150, amount_milli_cents: 1500 },
      { date: today, direction: 'outbound', calls: 1, minutes: 0.5, billed_seconds: 30, amount_milli_cents: 300 },
    ]);
    expect((await t.api('GET', '/v1/usage?from=2026-11-02&to=2026-11-01')).body.param).toBe('from');
  });

  it('answers health without a key', async () => {
    const r = await t.api('GET', '/v1/health', undefined, { key: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'degraded', version: expect.any(String), ports: { http: null, sip: null, rtp_min: 0, rtp_max: 0 }, components: { database: { status: 'ok' } } });
    // The offline stack of this machine: Silero, pocketsphinx, Flite, and the intake dialogue.
    expect(r.body.components).toMatchObject({ vad: { status: 'ok', provider: 'silero-v5' }, stt: { status: 'ok', provider: 'pocketsphinx' }, tts: { status: 'ok', provider: 'flite' }, llm: { status: 'ok', provider: 'local' } });
    expect(r.body.components.llm.detail).toMatch(/intake/);
  });

  it('lists the voices of every configured TTS provider with qualified ids', async () => {
    const r = await t.api('GET', '/v1/voices');
    expect(r.status).toBe(200);
    const ids = (r.body.data as Array<{ id: string; provider: string }>).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['local:rms', 'local:slt', 'local:kal16']));
    expect(r.body.data[0]).toMatchObject({ provider: 'local', language: expect.any(String), name: expect.any(String) });
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const doc = (await t.api('GET', '/v1/openapi.json', undefined, { key: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const p of ['/v1/agents', '/v1/agents/{id}', '/v1/agents/{id}/numbers', '/v1/agents/{id}/numbers/{number_id}', '/v1/agents/{id}/primary-number', '/v1/agents/{id}/versions', '/v1/numbers', '/v1/numbers/available', '/v1/numbers/purchase', '/v1/numbers/import', '/v1/numbers/{id}', '/v1/sip_trunks', '/v1/sip_trunks/{id}', '/v1/calls', '/v1/calls/{id}', '/v1/calls/{id}/transcript', '/v1/calls/{id}/events', '/v1/api_keys', '/v1/api_keys/{id}', '/v1/webhook_endpoints', '/v1/webhook_endpoints/{id}', '/v1/webhook_endpoints/{id}/rotate_secret', '/v1/webhook_deliveries', '/v1/webhook_deliveries/{id}', '/v1/webhook_deliveries/{id}/redeliver', '/v1/webhook_secret', '/v1/webhook_secret/rotate', '/v1/usage', '/v1/health', '/v1/voices']) {
      expect(paths, p).toContain(p);
    }
    expect(doc.components.schemas.Agent.properties).toHaveProperty('settings');
    expect(doc.components.schemas.AgentCreate.additionalProperties).toBe(false);
  });
});
