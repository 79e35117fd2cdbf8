import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APITimeoutError, BadRequestError, CallingBox, InternalServerError, RateLimitError } from '../src/index.js';
import { errorReply, type FakeServer, startFakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const agentJson = { id: 'ag_1', name: 'Front desk', type: 'inbound' };

describe('retries', () => {
  it('retries 5xx on a POST and sends the same Idempotency-Key and body each time', async () => {
    server = await startFakeServer((_req, n) =>
      n < 2 ? errorReply(500, 'internal', 'boom', undefined, { 'retry-after': '0' }) : { status: 201, json: agentJson },
    );
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const agent = await client.agents.create({ name: 'Front desk', type: 'inbound' });
    expect(agent.id).toBe('ag_1');
    expect(server.requests).toHaveLength(3);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/.{16,}/);
    expect(new Set(keys).size).toBe(1);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk_test');
  });

  it('uses a new key for each POST call, and the caller-given key when there is one', async () => {
    server = await startFakeServer(() => ({ status: 201, json: agentJson }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await client.agents.create({ name: 'a', type: 'inbound' });
    await client.agents.create({ name: 'a', type: 'inbound' });
    await client.agents.create({ name: 'a', type: 'inbound' }, { idempotencyKey: 'my-key' });
    await client.agents.create({ name: 'a', type: 'inbound' }, { headers: { 'idempotency-key': 'header-key' } });
    const [a, b, c, d] = server.requests.map((r) => r.headers['idempotency-key']);
    expect(a).not.toBe(b);
    expect(c).toBe('my-key');
    expect(d).toBe('header-key');
  });

  it('sends no Idempotency-Key on GET', async () => {
    server = await startFakeServer(() => ({ status: 200, json: agentJson }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await client.agents.retrieve('ag_1');
    expect(server.requests[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('gives up after maxRetries (2 by default) and throws the last error', async () => {
    server = await startFakeServer(() => errorReply(503, 'internal', 'down', undefined, { 'retry-after': '0' }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await expect(client.agents.retrieve('ag_1')).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
  });

  it('honours maxRetries: 0 on the client and per request', async () => {
    server = await startFakeServer(() => errorReply(500, 'internal', 'boom', undefined, { 'retry-after': '0' }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url, maxRetries: 0 });
    await expect(client.agents.retrieve('ag_1')).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    await expect(client.agents.retrieve('ag_1', { maxRetries: 1 })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(3);
  });

  it('retries 429 after the Retry-After the server asked for', async () => {
    server = await startFakeServer((_req, n) =>
      n === 0 ? errorReply(429, 'rate_limited', 'slow down', undefined, { 'retry-after': '0.3' }) : { status: 200, json: agentJson },
    );
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const started = performance.now();
    await client.agents.retrieve('ag_1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(server.requests).toHaveLength(2);
  });

  it('throws RateLimitError when 429 persists', async () => {
    server = await startFakeServer(() => errorReply(429, 'rate_limited', 'slow down', undefined, { 'retry-after': '0' }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url, maxRetries: 1 });
    const error = await client.agents.retrieve('ag_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('backs off exponentially without Retry-After', async () => {
    const times: number[] = [];
    server = await startFakeServer((_req, n) => {
      times.push(performance.now());
      return n < 2 ? errorReply(502, 'carrier_error', 'carrier down') : { status: 200, json: agentJson };
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await client.agents.retrieve('ag_1');
    const first = times[1]! - times[0]!;
    const second = times[2]! - times[1]!;
    // 500 ms then 1000 ms, each minus up to 25 % jitter.
    expect(first).toBeGreaterThanOrEqual(370);
    expect(second).toBeGreaterThanOrEqual(740);
  });

  it('retries a reset connection with the same Idempotency-Key', async () => {
    server = await startFakeServer((_req, n) => (n === 0 ? 'reset' : { status: 201, json: agentJson }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await client.agents.create({ name: 'a', type: 'inbound' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.headers['idempotency-key']).toBe(server.requests[1]!.headers['idempotency-key']);
  });

  it('retries 409 idempotency_in_progress (the first attempt is still running) with the same key', async () => {
    server = await startFakeServer((_req, n) =>
      n === 0 ? errorReply(409, 'idempotency_in_progress', 'still running', undefined, { 'retry-after': '0' }) : { status: 201, json: agentJson },
    );
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await client.agents.create({ name: 'a', type: 'inbound' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry 400', async () => {
    server = await startFakeServer(() => errorReply(400, 'invalid_request', 'bad', 'name'));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    await expect(client.agents.create({ name: '', type: 'inbound' })).rejects.toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  it('throws APITimeoutError when no answer comes within timeoutMs', async () => {
    server = await startFakeServer(() => 'hang');
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url, timeoutMs: 100, maxRetries: 1 });
    const error = await client.agents.retrieve('ag_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(2);
  });

  it('throws APIConnectionError when nothing listens', async () => {
    server = await startFakeServer(() => ({ status: 200, json: {} }));
    const url = server.url;
    await server.close();
    server = undefined;
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: url, maxRetries: 0 });
    const error = await client.agents.retrieve('ag_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect((error as APIConnectionError).status).toBeUndefined();
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    server = await startFakeServer(() => 'hang');
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const controller = new AbortController();
    const pending = client.agents.retrieve('ag_1', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user stop')), 50);
    await expect(pending).rejects.toThrow('user stop');
    expect(server.requests).toHaveLength(1);
  });
});
