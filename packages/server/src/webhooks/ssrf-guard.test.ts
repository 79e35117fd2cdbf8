import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender } from './http-sender.ts';
import { guardedLookup, isPrivateAddress } from './ssrf-guard.ts';

let server: http.Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1/' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('private-address guard', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '224.0.0.1', 'not-an-ip'])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it('refuses a hostname whose DNS answer is private, and connects to exactly the checked address otherwise', async () => {
    const answers: Record<string, string> = { 'rebind.example': '127.0.0.1', 'public.example': '93.184.216.34' };
    const lookup = guardedLookup(false, (host, cb) => cb(null, [{ address: answers[host]!, family: 4 }]));
    const refused = await new Promise<unknown>((r) => lookup('rebind.example', {}, (err) => r(err)));
    expect(String(refused)).toMatch(/private or reserved/);
    const ok = await new Promise<unknown>((r) => lookup('public.example', {}, (_err, address) => r(address)));
    expect(ok).toBe('93.184.216.34');
    const allowed = guardedLookup(true, (host, cb) => cb(null, [{ address: answers[host]!, family: 4 }]));
    expect(await new Promise<unknown>((r) => allowed('rebind.example', {}, (_e, a) => r(a)))).toBe('127.0.0.1');
  });

  it('the sender refuses loopback targets by default, allows them when configured, and follows no redirect', async () => {
    const strict = new HttpSender({ allowPrivate: false, timeoutMs: 2000, maxResponseBytes: 1024, now: Date.now });
    const before = hits.length;
    const r1 = await strict.post(`http://127.0.0.1:${port}/x`, '{}', {});
    const r2 = await strict.post(`http://localhost:${port}/x`, '{}', {});
    expect(r1).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/private/) });
    expect(r2).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/private/) });
    expect(hits.length).toBe(before);
    await strict.close();
    const open = new HttpSender({ allowPrivate: true, timeoutMs: 2000, maxResponseBytes: 1024, now: Date.now });
    expect(await open.post(`http://localhost:${port}/x`, '{}', {})).toMatchObject({ ok: true, status: 200, body: '{"ok":true}' });
    expect(await open.post(`http://127.0.0.1:${port}/redirect`, '{}', {})).toMatchObject({ ok: false, status: 302 });
    await open.close();
  });
});
