import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, FakeClock, type TestPlatform } from '@callingbox/testkit';

let t: TestPlatform;
const clock = new FakeClock(Date.now());
beforeAll(async () => {
  t = await createTestPlatform({ clock });
});
afterAll(async () => t.close());

describe('malformed requests are 400 invalid_request naming the field', () => {
  it('malformed JSON', async () => {
    const r = await t.api('POST', '/v1/agents', undefined, { raw: '{"name": "x",' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: expect.stringMatching(/Malformed JSON/), code: 'invalid_request' });
  });

  it('a body that is not an object', async () => {
    for (const raw of ['[]', '"x"', '42', 'null']) {
      const r = await t.api('POST', '/v1/agents', undefined, { raw });
      expect(r.status, raw).toBe(400);
      expect(r.body.code).toBe('invalid_request');
    }
  });

  it('a non-JSON content type', async () => {
    const r = await t.api('POST', '/v1/agents', undefined, { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/Content-Type/);
  });

  it.each([
    [{ type: 'inbound' }, 'name', /required/],
    [{ name: 'x' }, 'type', /required|invalid/i],
    [{ name: 42, type: 'inbound' }, 'name', /string/],
    [{ name: 'x', type: 'sideways' }, 'type', /inbound|outbound/],
    [{ name: '', type: 'inbound' }, 'name', /.+/],
    [{ name: 'x', type: 'inbound', nmae: 'typo' }, 'nmae', /unknown field/],
    [{ name: 'x', type: 'inbound', settings: { stt: 'local', colour: 'blue' } }, 'settings.colour', /unknown field/],
    [{ name: 'x', type: 'inbound', settings: { min_endpointing_ms: 'fast' } }, 'settings.min_endpointing_ms', /number/],
    [{ name: 'x', type: 'inbound', returns: { confirmed: 'bool' } }, 'returns.confirmed', /unknown type/],
    [{ name: 'x', type: 'inbound', returns: { callback: { type: 'phonenumber' } } }, 'returns.callback.type', /type must be/],
    [{ name: 'x', type: 'inbound', returns: { callback: { type: 'string', colour: 1 } } }, 'returns.callback.colour', /unknown descriptor key/],
    [{ name: 'x', type: 'inbound', returns: { mood: [] } }, 'returns.mood', /enum/],
    [{ name: 'x', type: 'inbound', returns: { a: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'object', properties: { d: { type: 'object', properties: { e: 'string' } } } } } } } } } }, 'returns.a.properties.b.properties.c.properties.d.properties', /deeper/],
    [{ name: 'x', type: 'inbound', returns: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'string'])) }, 'returns.f50', /more than 50/],
    [{ name: 'x', type: 'inbound', tools: [{ type: 'builtin', name: 'end_call' }, { type: 'builtin', name: 'send_dtmf' }, { type: 'http', name: 'a', description: 'd', parameters: { type: 'object' }, url: 'ftp://x', policy: 'read' }] }, 'tools[2].url', /http/],
    [{ name: 'x', type: 'inbound', tools: [{ type: 'http', name: 'a', description: 'd', parameters: { type: 'object' }, url: 'https://x.example', policy: 'read', retries: 3 }] }, 'tools[0].retries', /unknown field/],
    [{ name: 'x', type: 'inbound', tools: [{ type: 'builtin', name: 'transfer_call' }] }, 'tools[0].destinations', /destinations/],
    [{ name: 'x', type: 'inbound', tools: [{ type: 'builtin', name: 'transfer_call', destinations: [{ name: 'a', number: 'call me maybe' }] }] }, 'tools[0].destinations[0].number', /phone number/],
    [{ name: 'x', type: 'inbound', tools: Array.from({ length: 17 }, (_, i) => ({ type: 'builtin', name: 'end_call', description: String(i) })) }, 'tools', /16|many/i],
    [{ name: 'x', type: 'inbound', webhook_url: 'not a url' }, 'webhook_url', /http/],
    [{ name: 'x', type: 'inbound', timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
    [{ name: 'x', type: 'inbound', language: 'english please' }, 'language', /BCP-47/],
    [{ name: 'x', type: 'inbound', voicemail_action: 'scream' }, 'voicemail_action', /hangup|leave_message/],
    [{ name: 'x', type: 'inbound', number_ids: 'pn_1' }, 'number_ids', /array/],
    [{ name: 'x', type: 'inbound', settings: { min_endpointing_ms: 900, max_endpointing_ms: 300 } }, 'settings.max_endpointing_ms', /at least/],
  ])('POST /v1/agents %j → param %s', async (body, param, message) => {
    const r = await t.api('POST', '/v1/agents', body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
    expect(r.body.param).toBe(param);
    expect(r.body.error).toMatch(message);
  });

  it('bad phone numbers are a 400 naming the field', async () => {
    for (const phone_number of ['12', 'abc', '+1 (415) 555-01234567', '', '+999999999999999999']) {
      const r = await t.api('POST', '/v1/numbers/purchase', { phone_number });
      expect(r.status, phone_number).toBe(400);
      expect(r.body.param).toBe('phone_number');
    }
    const q = await t.api('GET', '/v1/calls?to_number=notaphone');
    expect(q.status).toBe(400);
    expect(q.body.param).toBe('to_number');
  });

  it('query strings are validated too', async () => {
    expect((await t.api('GET', '/v1/calls?limit=0')).body.param).toBe('limit');
    expect((await t.api('GET', '/v1/calls?limit=201')).body.param).toBe('limit');
    expect((await t.api('GET', '/v1/calls?status=done')).body.param).toBe('status');
    expect((await t.api('GET', '/v1/calls?created_after=yesterday')).body.param).toBe('created_after');
    expect((await t.api('GET', '/v1/calls?colour=red')).body.param).toBe('colour');
    expect((await t.api('GET', '/v1/calls?cursor=garbage')).body.param).toBe('cursor');
    expect((await t.api('GET', '/v1/usage?from=2026-13-45')).body.param).toBe('from');
  });
});

describe('other 4xx of api.md', () => {
  it('a body over 1 MiB is a 413', async () => {
    const r = await t.api('POST', '/v1/agents', { name: 'x', type: 'inbound', instructions: 'a'.repeat(1024 * 1024 + 10) });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });

  it('malformed and unknown ids are 404, not 400 or 500', async () => {
    for (const path of ['/v1/agents/nope', '/v1/agents/ag_01M8EWRYJ8P71MNEJ4MQM0GBFD', "/v1/agents/'%3B%20drop%20table%20agents", '/v1/numbers/pn_x', '/v1/calls/call_x', '/v1/calls/call_x/transcript', '/v1/calls/call_x/events', '/v1/sip_trunks/x', '/v1/webhook_endpoints/x', '/v1/webhook_deliveries/x']) {
      const r = await t.api('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.code).toBe('not_found');
    }
    expect((await t.api('PATCH', '/v1/agents/nope', { name: 'x' })).status).toBe(404);
    expect((await t.api('DELETE', '/v1/numbers/nope')).status).toBe(404);
  });

  it('unknown routes answer JSON 404', async () => {
    const r = await t.api('GET', '/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('not_found');
  });

  it('buying a number that is not available is a 409; a reserved test destination is never sold', async () => {
    const r1 = await t.api('POST', '/v1/numbers/purchase', { phone_number: '+1 415 555 0142' });
    expect(r1.status).toBe(201);
    expect(r1.body.e164).toBe('+14155550142');
    const r2 = await t.api('POST', '/v1/numbers/purchase', { phone_number: '(415) 555-0142' });
    expect(r2.status).toBe(409);
    const r3 = await t.api('POST', '/v1/numbers/purchase', { phone_number: '+14155550198' });
    expect(r3.status).toBe(409);
  });
});

describe('authentication', () => {
  it('missing, malformed and unknown keys are 401', async () => {
    for (const key of [null, 'sk_live_nope', 'Basic abc']) {
      const r = await t.api('GET', '/v1/agents', undefined, { key: key === 'Basic abc' ? null : key, headers: key === 'Basic abc' ? { authorization: key } : {} });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthorized');
    }
  });

  it('a revoked key is refused at once; an expired key after its time', async () => {
    const created = await t.api('POST', '/v1/api_keys', { name: 'temp', expires_at: new Date(clock.now() + 60_000).toISOString() });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^sk_live_/);
    expect(created.body.prefix).toBe(created.body.secret.slice(0, 12));
    const key = created.body.secret as string;
    expect((await t.api('GET', '/v1/agents', undefined, { key })).status).toBe(200);
    await clock.advance(61_000);
    expect((await t.api('GET', '/v1/agents', undefined, { key })).status).toBe(401);

    const other = (await t.api('POST', '/v1/api_keys', { name: 'other' })).body;
    expect((await t.api('GET', '/v1/agents', undefined, { key: other.secret })).status).toBe(200);
    const revoked = await t.api('DELETE', `/v1/api_keys/${other.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect(revoked.body.secret).toBeUndefined();
    expect((await t.api('GET', '/v1/agents', undefined, { key: other.secret })).status).toBe(401);
    const listed = (await t.api('GET', '/v1/api_keys')).body.data;
    expect(listed.every((k: Record<string, unknown>) => !('secret' in k) && !('key_hash' in k))).toBe(true);
  });

  it('stores only a hash of each key', async () => {
    const rows = await t.platform.store.db.selectFrom('api_keys').selectAll().execute();
    for (const r of rows) {
      expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(r)).not.toContain(t.apiKey);
    }
  });

  it('expires_at in the past is a 400', async () => {
    const r = await t.api('POST', '/v1/api_keys', { name: 'x', expires_at: '2001-01-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.body.param).toBe('expires_at');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, without repeating the effect', async () => {
    const headers = { 'idempotency-key': 'create-agent-1' };
    const body = { name: 'Once', type: 'outbound' };
    const first = await t.api('POST', '/v1/agents', body, { headers });
    const second = await t.api('POST', '/v1/agents', body, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const all = (await t.api('GET', '/v1/agents?limit=200')).body.data.filter((a: { name: string }) => a.name === 'Once');
    expect(all).toHaveLength(1);
  });

  it('the same key with another body is 409 idempotency_conflict', async () => {
    const headers = { 'idempotency-key': 'create-agent-2' };
    await t.api('POST', '/v1/agents', { name: 'A', type: 'outbound' }, { headers });
    const r = await t.api('POST', '/v1/agents', { name: 'B', type: 'outbound' }, { headers });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('idempotency_conflict');
  });

  it('a key still running is 409 idempotency_in_progress', async () => {
    await t.platform.store.idempotency.claim(t.orgId, 'running-key', 'some-hash');
    const r = await t.api('POST', '/v1/agents', { name: 'C', type: 'outbound' }, { headers: { 'idempotency-key': 'running-key' } });
    expect(r.status).toBe(409);
    // The hash differs, so it is a conflict; with the same request it is "in progress".
    const { createHash } = await import('node:crypto');
    const raw = JSON.stringify({ name: 'D', type: 'outbound' });
    await t.platform.store.idempotency.claim(t.orgId, 'running-key-2', createHash('sha256').update(`POST /v1/agents\n${raw}`).digest('hex'));
    const r2 = await t.api('POST', '/v1/agents', undefined, { raw, headers: { 'idempotency-key': 'running-key-2' } });
    expect(r2.status).toBe(409);
    expect(r2.body.code).toBe('idempotency_in_progress');
  });

  it('keys are scoped to the organisation, and 4xx answers are replayed too', async () => {
    const other = await t.newOrg();
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await t.api('POST', '/v1/agents', { name: 'Mine', type: 'outbound' }, { headers });
    const b = await t.api('POST', '/v1/agents', { name: 'Mine', type: 'outbound' }, { headers, key: other.apiKey });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    const bad1 = await t.api('POST', '/v1/agents', { name: 'x' }, { headers: { 'idempotency-key': 'bad' } });
    const bad2 = await t.api('POST', '/v1/agents', { name: 'x' }, { headers: { 'idempotency-key': 'bad' } });
    expect(bad1.status).toBe(400);
    expect(bad2.body).toEqual(bad1.body);
  });

  it('after 24 h a key runs again', async () => {
    const headers = { 'idempotency-key': 'day-old' };
    const a = await t.api('POST', '/v1/agents', { name: 'Day', type: 'outbound' }, { headers });
    await clock.advance(24 * 3600 * 1000 + 1000);
    const b = await t.api('POST', '/v1/agents', { name: 'Day', type: 'outbound' }, { headers });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After beyond the per-key burst', async () => {
    const limited = await createTestPlatform({ env: { CALLINGBOX_RATE_LIMIT_PER_SECOND: '1', CALLINGBOX_RATE_LIMIT_BURST: '3' }, clock: new FakeClock() });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.api('GET', '/v1/agents');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(last!.body.code).toBe('rate_limited');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
