/**
 * The Python SDK (sdk/python) against a real `callingbox start` process: its unit tests alone, its
 * live tests, the comparison of every method's keyword arguments with GET /v1/openapi.json, and the
 * examples, which must run unchanged with only CALLINGBOX_BASE_URL + CALLINGBOX_API_KEY, and with
 * neither (the SDK then reads the credentials.json the server wrote into CALLINGBOX_DATA_DIR).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, startServerProcess, type ServerProcess } from '../packages/testkit/src/server-process.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SDK_SRC = path.join(REPO_ROOT, 'sdk/python/src');
const TESTS_DIR = path.join(REPO_ROOT, 'sdk/python/tests');
const PYTHON = process.env.PYTHON ?? 'python3';
// The Python suites start local fake servers and, in the packaging test, `pip wheel`: seconds, not ms.
const PYTHON_TIMEOUT_MS = 180_000;

/** A Python 3.9 interpreter (the oldest the SDK supports) from pyenv, when this machine has one. */
function python39(): string | undefined {
  const versions = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions');
  const found = fs.existsSync(versions) ? fs.readdirSync(versions).find((v) => /^3\.9\.\d+$/.test(v)) : undefined;
  const bin = found ? path.join(versions, found, 'bin/python3') : undefined;
  return bin && fs.existsSync(bin) ? bin : undefined;
}
const PYTHON39 = python39();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command and resolves with its exit code and output (never rejects on a non-zero exit). */
function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: opts.env, cwd: opts.cwd ?? REPO_ROOT, timeout: PYTHON_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** This process's environment without any CallingBox setting, plus the SDK on PYTHONPATH. */
function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('CALLINGBOX_') && k !== 'DATABASE_URL' && k !== 'PYTHONPATH') env[k] = v;
  }
  return { ...env, PYTHONPATH: SDK_SRC, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** `Ran N tests` and the verdict line of a unittest run. */
function summary(r: Run): { ran: number; ok: boolean; skipped: number } {
  const ran = Number(/Ran (\d+) tests?/.exec(r.stderr)?.[1] ?? -1);
  const verdict = /\n(OK|FAILED)(?: \(([^)]*)\))?\s*$/.exec(r.stderr);
  const skipped = Number(/skipped=(\d+)/.exec(verdict?.[2] ?? '')?.[1] ?? 0);
  return { ran, ok: verdict?.[1] === 'OK', skipped };
}

function explain(r: Run): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-8000)}`;
}

let server: ServerProcess;
let secondKey: string;

async function api<T>(method: string, p: string): Promise<T> {
  const res = await fetch(`${server.baseUrl}${p}`, { method, headers: { authorization: `Bearer ${server.apiKey}` } });
  expect(res.ok, `${method} ${p} → ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

beforeAll(async () => {
  // Webhooks to the test's own loopback receiver must be allowed (webhooks.md → private targets).
  server = await startServerProcess({ env: { CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS: 'true' } });
  const org = await run(process.execPath, [CLI, 'org', 'create', '--name', 'Acme', '--json'], { env: server.env });
  expect(org.code, explain(org)).toBe(0);
  secondKey = (JSON.parse(org.stdout) as { api_key: string }).api_key;
  expect(secondKey).toMatch(/^sk_live_/);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('sdk/python unit tests', () => {
  it('pass on their own, with no server and no CallingBox settings', async () => {
    const r = await run(PYTHON, ['-m', 'unittest', 'discover', '-s', TESTS_DIR], { env: pythonEnv() });
    expect(r.code, explain(r)).toBe(0);
    const s = summary(r);
    expect(s.ok, explain(r)).toBe(true);
    expect(s.ran).toBeGreaterThanOrEqual(60);
  }, PYTHON_TIMEOUT_MS);

  it.skipIf(!PYTHON39)('pass on Python 3.9, the oldest version the package supports', async () => {
    const r = await run(PYTHON39!, ['-m', 'unittest', 'discover', '-s', TESTS_DIR], { env: pythonEnv() });
    expect(r.code, explain(r)).toBe(0);
    expect(summary(r).ok, explain(r)).toBe(true);
  }, PYTHON_TIMEOUT_MS);
});

describe('sdk/python against the server', () => {
  const liveEnv = (): NodeJS.ProcessEnv =>
    pythonEnv({
      CALLINGBOX_TEST_BASE_URL: server.baseUrl,
      CALLINGBOX_TEST_API_KEY: server.apiKey,
      CALLINGBOX_TEST_SECOND_API_KEY: secondKey,
      CALLINGBOX_TEST_DATA_DIR: server.dataDir,
    });

  it('passes the live tests (agents, numbers, pagination, errors, idempotency, keys, webhooks, trunks, tenancy, an inbound SIP call, the event stream)', async () => {
    const r = await run(PYTHON, ['-m', 'unittest', 'discover', '-s', TESTS_DIR, '-p', 'test_live.py', '-v'], { env: liveEnv() });
    expect(r.code, explain(r)).toBe(0);
    expect(summary(r).ok, explain(r)).toBe(true);
    // These must have run, not been skipped: they need only routes the control plane serves.
    for (const name of [
      'test_lifecycle',
      'test_pagination_over_the_server',
      'test_typed_errors',
      'test_idempotency_key_replays_the_first_response',
      'test_api_keys',
      'test_webhook_secret_and_endpoints',
      'test_sip_trunks_and_imported_numbers',
      'test_another_organisation_sees_nothing',
      'test_credentials_json_of_the_server',
      'test_list_and_iterate',
      'test_inbound_call_end_to_end',
      'test_event_stream_replays_after_last_event_id',
    ]) {
      expect(r.stderr, `${name} did not pass\n${explain(r)}`).toMatch(new RegExp(`${name} \\([^)]*\\) \\.\\.\\. ok`));
    }
  }, PYTHON_TIMEOUT_MS);

  it("has every method's keyword arguments equal to the server's OpenAPI request schemas", async () => {
    const r = await run(PYTHON, ['-m', 'unittest', 'discover', '-s', TESTS_DIR, '-p', 'test_openapi.py', '-v'], { env: liveEnv() });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stderr, explain(r)).toMatch(/test_sdk_matches_the_servers_openapi_document \([^)]*\) \.\.\. ok/);
  }, PYTHON_TIMEOUT_MS);
});

describe('examples/front_desk.py (the inbound-agent guide as a user writes it)', () => {
  async function check(r: Run): Promise<void> {
    expect(r.code, explain(r)).toBe(0);
    const created = /^created (ag_\S+) answering \['(\+1\d{10})', '(\+1\d{10})'\]$/m.exec(r.stdout);
    expect(created, r.stdout).not.toBeNull();
    expect(r.stdout).toMatch(/^updated to version 2$/m);
    expect(r.stdout).toMatch(new RegExp(`^moved \\${created![3]} to After hours \\['\\${created![3]}'\\]$`, 'm'));
    expect(r.stdout).toMatch(/^done$/m);
    const res = await fetch(`${server.baseUrl}/v1/agents/${created![1]}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const agent = (await res.json()) as { name: string; voicemail_action: string; returns: unknown; numbers: Array<{ e164: string }> };
    expect(agent).toMatchObject({ name: 'Front desk', voicemail_action: 'hangup', returns: { caller_name: 'string', reason: 'string', callback_number: 'string' } });
    expect(agent.numbers.map((n) => n.e164)).toEqual([created![2]]);
  }

  it('runs with only CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY', async () => {
    await check(await run(PYTHON, [path.join(REPO_ROOT, 'examples/front_desk.py')], { env: pythonEnv({ CALLINGBOX_BASE_URL: server.baseUrl, CALLINGBOX_API_KEY: server.apiKey }) }));
  }, PYTHON_TIMEOUT_MS);

  it('runs with neither, from credentials.json', async () => {
    await check(await run(PYTHON, [path.join(REPO_ROOT, 'examples/front_desk.py')], { env: pythonEnv({ CALLINGBOX_DATA_DIR: server.dataDir }) }));
  }, PYTHON_TIMEOUT_MS);
});

describe('examples/inbound_walkthrough.py', () => {
  interface Agent {
    id: string;
    version: number;
    instructions: string;
    returns: Record<string, unknown>;
    numbers: Array<{ id: string; e164: string }>;
  }

  async function checkWalkthrough(r: Run): Promise<void> {
    expect(r.code, explain(r)).toBe(0);
    const bought = /^bought (\+1\d{10}) and (\+1\d{10})$/m.exec(r.stdout);
    const created = /^created agent (ag_\S+) version 1 answering \['(\+1\d{10})'\]$/m.exec(r.stdout);
    expect(bought, r.stdout).not.toBeNull();
    expect(created, r.stdout).not.toBeNull();
    expect(r.stdout).toMatch(/^updated instructions, now version 2$/m);
    const agent = await api<Agent>('GET', `/v1/agents/${created![1]}`);
    expect(agent.version).toBeGreaterThanOrEqual(2); // create, update (attach may count too)
    expect(agent.instructions).toContain('terrace');
    expect(agent.returns).toMatchObject({ name: 'string', party_size: 'integer', date: 'date', confirmed: 'boolean' });
    expect(agent.numbers.map((n) => n.e164).sort()).toEqual([bought![1], bought![2]].sort());
    // The after-hours agent gave its number away.
    const agents = await api<{ data: Array<Agent & { name: string }> }>('GET', '/v1/agents?type=inbound&limit=200');
    const afterHours = agents.data.find((a) => a.name === 'After hours' && a.id > agent.id);
    expect(afterHours?.numbers).toEqual([]);
  }

  it('runs unchanged with only CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-py-example-'));
    try {
      const env = pythonEnv({ CALLINGBOX_BASE_URL: server.baseUrl, CALLINGBOX_API_KEY: server.apiKey });
      await checkWalkthrough(await run(PYTHON, [path.join(REPO_ROOT, 'examples/inbound_walkthrough.py')], { env, cwd }));
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, PYTHON_TIMEOUT_MS);

  it('runs unchanged with neither set, from the credentials.json in CALLINGBOX_DATA_DIR', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-py-example-'));
    try {
      const env = pythonEnv({ CALLINGBOX_DATA_DIR: server.dataDir });
      await checkWalkthrough(await run(PYTHON, [path.join(REPO_ROOT, 'examples/inbound_walkthrough.py')], { env, cwd }));
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, PYTHON_TIMEOUT_MS);

  it('examples/quickstart.py (module style) runs from credentials.json too', async () => {
    const r = await run(PYTHON, [path.join(REPO_ROOT, 'examples/quickstart.py')], { env: pythonEnv({ CALLINGBOX_DATA_DIR: server.dataDir }) });
    expect(r.code, explain(r)).toBe(0);
    const m = /^(ag_\S+) answers (\+1\d{10})$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const agent = await api<{ numbers: Array<{ e164: string }> }>('GET', `/v1/agents/${m![1]}`);
    expect(agent.numbers.map((n) => n.e164)).toEqual([m![2]]);
  }, PYTHON_TIMEOUT_MS);
});
