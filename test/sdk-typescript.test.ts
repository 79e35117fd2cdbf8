/**
 * The TypeScript SDK against a real `callingbox start` process: the inbound walkthrough example
 * runs unchanged with only CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY set, and the SDK's
 * resources, errors, idempotency and pagination behave as the spec says.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../packages/testkit/src/server-process.ts';
import {
  AuthenticationError, BadRequestError, CallingBox, ConflictError, NotFoundError, Page, Webhooks,
} from '../sdk/typescript/src/index.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let server: ServerProcess;
let client: CallingBox;

beforeAll(async () => {
  server = await startServerProcess();
  client = new CallingBox({ apiKey: server.apiKey, baseUrl: server.baseUrl });
});
afterAll(async () => {
  await server?.stop();
});

describe('examples/inbound-walkthrough.ts', () => {
  it('runs unchanged against a local server with only CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY', async () => {
    // `callingbox:source` maps the package to its TypeScript sources, so no build is needed here;
    // sdk/typescript/test/package.test.ts checks the built package.
    const { stdout } = await run(
      process.execPath,
      ['--conditions=callingbox:source', '--import', 'tsx', path.join(REPO_ROOT, 'examples/inbound-walkthrough.ts')],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', CALLINGBOX_BASE_URL: server.baseUrl, CALLINGBOX_API_KEY: server.apiKey },
        timeout: 60_000,
      },
    );
    expect(stdout).toMatch(/created agent (ag_\S+)/);
    expect(stdout).toMatch(/moved \+1\d+ to After hours/);
    expect(stdout.trim().endsWith('done')).toBe(true);

    const agentId = /created agent (ag_\S+)/.exec(stdout)![1]!;
    const agent = await client.agents.retrieve(agentId);
    expect(agent.instructions).toContain('one business day');
    expect(agent.returns).toEqual({ caller_name: 'string', reason: 'string', callback_number: 'string' });
    expect(agent.voicemail_action).toBe('hangup');
    expect(agent.numbers).toHaveLength(1);
    expect(agent.version).toBeGreaterThanOrEqual(2);
  }, 90_000);
});

describe('examples/quickstart.ts', () => {
  it('buys a number and creates an agent that answers it', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--conditions=callingbox:source', '--import', 'tsx', path.join(REPO_ROOT, 'examples/quickstart.ts')],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', CALLINGBOX_BASE_URL: server.baseUrl, CALLINGBOX_API_KEY: server.apiKey }, timeout: 60_000 },
    );
    const [agentId, , e164] = stdout.trim().split(' ');
    const agent = await client.agents.retrieve(agentId!);
    expect(agent.numbers.map((n) => n.e164)).toEqual([e164]);
  }, 90_000);
});

describe('the SDK against the server', () => {
  it('finds the key and base URL in the credentials.json the server wrote', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--conditions=callingbox:source', '--import', 'tsx', '--input-type=module', '-e',
        "import { CallingBox } from 'callingbox'; const c = new CallingBox(); const page = await c.agents.list(); console.log(c.baseUrl, page.data.length >= 0)"],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', CALLINGBOX_DATA_DIR: server.dataDir }, timeout: 30_000 },
    );
    expect(stdout.trim()).toMatch(/^http:\/\/\S+:\d+ true$/);
  });

  it('creates, lists across pages, updates and archives agents', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await client.agents.create({ name: `Pager ${i}`, type: 'outbound', instructions: 'Say hello.' }));
    const seen = new Set<string>();
    for await (const agent of client.agents.list({ type: 'outbound', limit: 2 })) seen.add(agent.id);
    for (const agent of created) expect(seen.has(agent.id)).toBe(true);

    const first = await client.agents.list({ type: 'outbound', limit: 2 });
    expect(first).toBeInstanceOf(Page);
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);

    const updated = await client.agents.update(created[0]!.id, { instructions: 'Say goodbye.', settings: { max_call_seconds: 60 } });
    expect(updated.instructions).toBe('Say goodbye.');
    expect(updated.version).toBe(created[0]!.version + 1);
    const versions = await client.agents.versions(created[0]!.id);
    expect(versions.data.length).toBeGreaterThanOrEqual(2);
    const archived = await client.agents.archive(created[0]!.id);
    expect(archived.archived_at).not.toBeNull();
  });

  it('maps server errors to typed errors with code and param', async () => {
    const missing = await client.agents.retrieve('ag_01NOSUCHAGENT00000000000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });

    const typo = await client.agents.create({ name: 'x', type: 'inbound', instructionz: 'typo' } as never).catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(BadRequestError);
    expect(typo).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((typo as BadRequestError).param).toContain('instructionz');

    const badKey = new CallingBox({ apiKey: 'sk_live_wrong', baseUrl: server.baseUrl });
    await expect(badKey.agents.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('replays a POST with the same Idempotency-Key instead of repeating it', async () => {
    const key = `sdk-ts-${Date.now()}`;
    const a = await client.agents.create({ name: 'Once', type: 'outbound' }, { idempotencyKey: key });
    const b = await client.agents.create({ name: 'Once', type: 'outbound' }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    const conflict = await client.agents.create({ name: 'Twice', type: 'outbound' }, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).code).toBe('idempotency_conflict');
  });

  it('buys, renames, attaches and releases numbers; a number answers one inbound agent only', async () => {
    const [free] = await client.numbers.searchAvailable({ area_code: '212', limit: 1 });
    const number = await client.numbers.purchase(free!.phone_number);
    expect(number.e164).toBe(free!.phone_number);
    const renamed = await client.numbers.update(number.id, { friendly_name: 'SDK test' });
    expect(renamed.friendly_name).toBe('SDK test');
    const listed = [];
    for await (const n of client.numbers.list({ limit: 1 })) listed.push(n.id);
    expect(listed).toContain(number.id);

    const a = await client.agents.create({ name: 'A', type: 'inbound', number_ids: [number.id] });
    expect(a.primary_number_id).toBe(number.id);
    const b = await client.agents.create({ name: 'B', type: 'inbound' });
    await expect(client.agents.attachNumber(b.id, { number_id: number.id })).rejects.toBeInstanceOf(ConflictError);
    const detached = await client.agents.detachNumber(a.id, number.id);
    expect(detached.numbers).toHaveLength(0);
    const attached = await client.agents.attachNumber(b.id, { number_id: number.id, set_as_primary: true });
    expect(attached.primary_number_id).toBe(number.id);
    const released = await client.numbers.release(number.id);
    expect(released.status).toBe('released');
  });

  it('lists calls as a page that iterates lazily', async () => {
    const page = await client.calls.list({ direction: 'inbound' });
    expect(page).toBeInstanceOf(Page);
    expect(Array.isArray(page.data)).toBe(true);
    for (const call of page.data) expect(call.direction).toBe('inbound');
  });

  it('verifies a payload signed with the organisation secret', async () => {
    const { secret } = await client.webhookSecret.retrieve();
    expect(secret).toMatch(/^whsec_/);
    const body = JSON.stringify({ id: 'wd_1', type: 'call.completed', created: 1, api_version: '2026-04', data: { call: {} } });
    expect(Webhooks.constructEvent(body, Webhooks.signatureHeader(body, secret), secret).id).toBe('wd_1');
  });

  it('manages SIP trunks, API keys, webhook endpoints and reads deliveries, usage and health', async () => {
    const trunk = await client.sipTrunks.create({ name: 'PBX', inbound_addresses: ['127.0.0.1/32'], auth_password: 'secret' });
    expect(trunk).not.toHaveProperty('auth_password');
    expect((await client.sipTrunks.update(trunk.id, { name: 'PBX 2' })).name).toBe('PBX 2');
    expect((await client.sipTrunks.list()).data.map((t) => t.id)).toContain(trunk.id);
    await client.sipTrunks.delete(trunk.id);
    await expect(client.sipTrunks.retrieve(trunk.id)).rejects.toBeInstanceOf(NotFoundError);

    const key = await client.apiKeys.create({ name: 'sdk-ts' });
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    const second = new CallingBox({ apiKey: key.secret, baseUrl: server.baseUrl });
    expect((await second.apiKeys.list()).data.map((k) => k.id)).toContain(key.id);
    const revoked = await client.apiKeys.revoke(key.id);
    expect(revoked.revoked_at).not.toBeNull();
    await expect(second.apiKeys.list()).rejects.toBeInstanceOf(AuthenticationError);

    const endpoint = await client.webhookEndpoints.create({ url: 'https://example.com/hooks', enabled_events: ['call.completed'] });
    expect(endpoint.signing_secret).toMatch(/^whsec_/);
    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id);
    expect(rotated.signing_secret).not.toBe(endpoint.signing_secret);
    expect((await client.webhookEndpoints.retrieve(endpoint.id)).signing_secret).toBeUndefined();
    await client.webhookEndpoints.delete(endpoint.id);
    expect(Array.isArray((await client.webhookDeliveries.list({ endpoint_id: endpoint.id })).data)).toBe(true);

    expect(Array.isArray((await client.usage.retrieve()).data)).toBe(true);
    const health = await client.health();
    expect(['ok', 'degraded', 'down']).toContain(health.status);
  });
});
