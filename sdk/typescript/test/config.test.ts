import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallingBox } from '../src/index.js';
import { type FakeServer, startFakeServer } from './fake-server.js';

let server: FakeServer | undefined;
beforeEach(() => {
  vi.stubEnv('CALLINGBOX_API_KEY', '');
  vi.stubEnv('CALLINGBOX_BASE_URL', '');
  vi.stubEnv('CALLINGBOX_DATA_DIR', join(tmpdir(), 'callingbox-sdk-none'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

async function authOf(client: CallingBox): Promise<string | undefined> {
  await client.agents.retrieve('ag_1');
  return server!.requests.at(-1)!.headers.authorization;
}

describe('configuration', () => {
  it('defaults to http://localhost:8080', () => {
    expect(new CallingBox().baseUrl).toBe('http://localhost:8080');
  });

  it('reads CALLINGBOX_API_KEY and CALLINGBOX_BASE_URL', async () => {
    server = await startFakeServer(() => ({ status: 200, json: { id: 'ag_1' } }));
    vi.stubEnv('CALLINGBOX_API_KEY', 'sk_live_env');
    vi.stubEnv('CALLINGBOX_BASE_URL', `${server.url}/`);
    const client = new CallingBox();
    expect(client.baseUrl).toBe(server.url);
    expect(await authOf(client)).toBe('Bearer sk_live_env');
  });

  it('prefers options over the environment and accepts a base URL ending in /v1', async () => {
    server = await startFakeServer(() => ({ status: 200, json: { id: 'ag_1' } }));
    vi.stubEnv('CALLINGBOX_API_KEY', 'sk_live_env');
    vi.stubEnv('CALLINGBOX_BASE_URL', 'http://127.0.0.1:9');
    const client = new CallingBox({ apiKey: 'sk_live_opt', baseUrl: `${server.url}/v1` });
    expect(await authOf(client)).toBe('Bearer sk_live_opt');
    expect(server.requests[0]!.url.pathname).toBe('/v1/agents/ag_1');
  });

  it('falls back to credentials.json in CALLINGBOX_DATA_DIR, base_url included', async () => {
    server = await startFakeServer(() => ({ status: 200, json: { id: 'ag_1' } }));
    const dir = mkdtempSync(join(tmpdir(), 'callingbox-sdk-'));
    writeFileSync(
      join(dir, 'credentials.json'),
      JSON.stringify({ api_key: 'sk_live_file', base_url: server.url, org_id: 'org_1', created_at: '2026-11-24T13:05:00.123Z' }),
    );
    vi.stubEnv('CALLINGBOX_DATA_DIR', dir);
    const client = new CallingBox();
    expect(client.baseUrl).toBe(server.url);
    expect(await authOf(client)).toBe('Bearer sk_live_file');
  });

  it('falls back to ./.callingbox/credentials.json without CALLINGBOX_DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callingbox-cwd-'));
    mkdirSync(join(dir, '.callingbox'));
    writeFileSync(join(dir, '.callingbox', 'credentials.json'), JSON.stringify({ api_key: 'sk_live_cwd', base_url: 'http://localhost:9999' }));
    vi.stubEnv('CALLINGBOX_DATA_DIR', '');
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(dir);
    try {
      expect(new CallingBox().baseUrl).toBe('http://localhost:9999');
    } finally {
      cwd.mockRestore();
    }
  });

  it('keeps an explicit base URL when the key comes from credentials.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callingbox-sdk-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ api_key: 'sk_live_file', base_url: 'http://localhost:1234' }));
    vi.stubEnv('CALLINGBOX_DATA_DIR', dir);
    vi.stubEnv('CALLINGBOX_BASE_URL', 'http://example.test:8080');
    expect(new CallingBox().baseUrl).toBe('http://example.test:8080');
  });

  it('resolves a relative base URL against the page (a dashboard on the same origin)', async () => {
    server = await startFakeServer(() => ({ status: 200, json: { id: 'ag_1' } }));
    vi.stubGlobal('location', { href: `${server.url}/agents/ag_1` });
    try {
      const client = new CallingBox({ apiKey: 'sk_live_x', baseUrl: '', defaultHeaders: { 'CallingBox-CSRF': 'csrf_1' } });
      await client.agents.retrieve('ag_1');
      expect(server.requests[0]!.url.pathname).toBe('/v1/agents/ag_1');
      expect(server.requests[0]!.headers['callingbox-csrf']).toBe('csrf_1');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
