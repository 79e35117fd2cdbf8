import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.ts';
import { createToolRunner, MAX_TOOL_ANSWER_BYTES, type ToolCallEvent } from '../engine/tool-runner.ts';
import { HttpSender } from '../webhooks/http-sender.ts';
import { SignedHttpToolClient } from './http-tool-client.ts';

const SECRET = `whsec_${'ab'.repeat(32)}`;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}
const seen: Seen[] = [];
let server: http.Server;
let base: string;
let hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/slow') return void hanging.push(res);
      if (req.url === '/down') return void res.writeHead(503).end('{"error":"maintenance"}');
      if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ blob: 'x'.repeat(MAX_TOOL_ANSWER_BYTES) }));
      if (req.url === '/exact') return void res.writeHead(200).end(`"${'y'.repeat(MAX_TOOL_ANSWER_BYTES - 2)}"`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ slots: ['09:00', '10:30'] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  hanging = [];
  await new Promise<void>((r) => server.close(() => r()));
});

function runnerFor(url: string, opts: { allowPrivate?: boolean; timeoutMs?: number; method?: string } = {}) {
  const sender = new HttpSender({ allowPrivate: opts.allowPrivate ?? true, timeoutMs: 10_000, maxResponseBytes: 64 * 1024, now: () => performance.now() });
  const journal: ToolCallEvent[] = [];
  const tool = {
    type: 'http', name: 'slots', description: 'Free slots', url, policy: 'read', headers: { 'X-Owner-Key': 'k1' },
    parameters: { type: 'object', properties: { day: { type: 'string' } }, required: ['day'] },
    ...(opts.timeoutMs ? { timeout_ms: opts.timeoutMs } : {}), ...(opts.method ? { method: opts.method } : {}),
  };
  const runner = createToolRunner({
    tools: [tool], callId: 'call_42', agentId: 'agt_7', clock: systemClock,
    control: { endAfterReply: () => undefined, sendDtmf: () => Promise.resolve(), recordEvent: () => Promise.resolve() },
    http: new SignedHttpToolClient({ sender, secret: SECRET }),
    journal: (e) => (journal.push(e), Promise.resolve()),
  });
  return { runner, journal, close: () => sender.close() };
}

const live = { signal: new AbortController().signal, callerLastTurn: '' };

describe('HTTP tools over the signed, SSRF-guarded client', () => {
  it('POSTs the arguments as the body with the call headers and a webhook signature over the raw bytes', async () => {
    const r = runnerFor(`${base}/slots?clinic=1`);
    const before = seen.length;
    const out = await r.runner.run({ id: 'call_abc', name: 'slots', arguments: { day: '2026-05-01' } }, live);
    expect(out).toEqual({ result: { slots: ['09:00', '10:30'] }, status: 'ok' });
    const req = seen[before]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/slots?clinic=1');
    expect(JSON.parse(req.raw)).toEqual({ day: '2026-05-01' });
    expect(req.headers).toMatchObject({
      'content-type': 'application/json', 'callingbox-call-id': 'call_42', 'callingbox-agent-id': 'agt_7', 'callingbox-tool-name': 'slots',
      'idempotency-key': 'call_abc', 'x-owner-key': 'k1',
    });
    // webhooks.md → Signature, verified independently of our signer.
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['callingbox-signature']));
    expect(m).not.toBeNull();
    const expected = createHmac('sha256', SECRET).update(`${m![1]}.${req.raw}`).digest();
    expect(timingSafeEqual(expected, Buffer.from(m![2]!, 'hex'))).toBe(true);
    expect(Math.abs(Number(m![1]) - Date.now() / 1000)).toBeLessThan(300);
    expect(r.journal).toEqual([expect.objectContaining({ tool_call_id: 'call_abc', status: 'ok', result: { slots: ['09:00', '10:30'] } })]);
    await r.close();
  });

  it("uses the tool's method", async () => {
    const r = runnerFor(`${base}/slots`, { method: 'PUT' });
    const before = seen.length;
    expect((await r.runner.run({ id: 'call_put', name: 'slots', arguments: { day: 'x' } }, live)).status).toBe('ok');
    expect(seen[before]!.method).toBe('PUT');
    await r.close();
  });

  it('a tool that does not answer within timeout_ms is an error result the model can speak about', async () => {
    const r = runnerFor(`${base}/slow`, { timeoutMs: 200 });
    const out = await r.runner.run({ id: 'call_slow', name: 'slots', arguments: { day: 'x' } }, live);
    expect(out).toEqual({ result: { error: 'timed out after 200 ms' }, status: 'error' });
    expect(r.journal[0]).toMatchObject({ status: 'error', result: { error: 'timed out after 200 ms' } });
    await r.close();
  });

  it('a non-2xx answer is {error: "HTTP 503"}', async () => {
    const r = runnerFor(`${base}/down`);
    expect(await r.runner.run({ id: 'call_down', name: 'slots', arguments: { day: 'x' } }, live)).toEqual({ result: { error: 'HTTP 503' }, status: 'error' });
    await r.close();
  });

  it('an answer over 64 KiB is refused; one of exactly 64 KiB is fed back', async () => {
    const r = runnerFor(`${base}/big`);
    expect(await r.runner.run({ id: 'call_big', name: 'slots', arguments: { day: 'x' } }, live)).toEqual({ result: { error: 'answer larger than 65536 bytes' }, status: 'error' });
    await r.close();
    const e = runnerFor(`${base}/exact`);
    const out = await e.runner.run({ id: 'call_exact', name: 'slots', arguments: { day: 'x' } }, live);
    expect(out.status).toBe('ok');
    expect((out.result as string).length).toBe(MAX_TOOL_ANSWER_BYTES - 2);
    await e.close();
  });

  it('refuses a private address unless CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS lifts the guard; nothing is sent', async () => {
    for (const url of [`${base}/slots`, base.replace('127.0.0.1', 'localhost') + '/slots']) {
      const r = runnerFor(url, { allowPrivate: false });
      const before = seen.length;
      const out = await r.runner.run({ id: 'call_ssrf', name: 'slots', arguments: { day: 'x' } }, live);
      expect(out.status).toBe('error');
      expect((out.result as { error: string }).error).toMatch(/private or reserved address/);
      expect(seen.length).toBe(before);
      await r.close();
    }
  });
});
