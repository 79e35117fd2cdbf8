/**
 * `npm run bench:api`: HTTP throughput and latency of the control-plane API, embedded PGlite and
 * PostgreSQL, with a baseline measured in the same run (STYLE.md → bench).
 *
 * Per engine: a fresh database (temp data dir; for PostgreSQL also a temp database) is seeded by
 * `bench/api-seed.ts` in its own short-lived process (100,000 calls in one `insert … select
 * generate_series`), then the server runs as its OWN process through the real CLI
 * (`node packages/server/bin/callingbox.mjs start`) and autocannon drives it from this process.
 * After the load, `bench/api-diagnose.ts` (server stopped: the PGlite dir is single-process) runs
 * EXPLAIN ANALYZE on the list query and times each step of a list request one at a time.
 *
 * Options: --duration S (10) --connections N (10) --calls N (100000) --engines pglite,postgres
 *          --warmup S (2) --keep (keep the temp data dirs/database)
 *          --sweep 1,2,5 --sweep-engines postgres: the health baseline and the status list again
 *            at each of these connection counts (same duration), interleaved, to show how p99
 *            follows the number of requests in flight; the table has every count and --connections
 *          --profile: also run the status list under a CPU profiler (bench/api-profile.ts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuDeltaMs, processCpuMs, processRssMb, snapshotCpu } from './proc-cpu.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/server/bin/callingbox.mjs');
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    calls: { type: 'string', default: '100000' },
    engines: { type: 'string', default: 'pglite,postgres' },
    warmup: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    sweep: { type: 'string', default: '1,2,5' },
    'sweep-engines': { type: 'string', default: 'postgres' },
    profile: { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const CALLS = Number(args.calls);
const WARMUP_S = Number(args.warmup);
const ENGINES = args.engines.split(',') as Array<'pglite' | 'postgres'>;
const SWEEP = args.sweep ? args.sweep.split(',').map(Number).filter((n) => n > 0 && n !== CONNECTIONS) : [];
const SWEEP_ENGINES = args['sweep-engines'].split(',');
const COMMAND = `npm run bench:api -- --duration ${DURATION_S} --connections ${CONNECTIONS} --calls ${CALLS} --engines ${ENGINES.join(',')} --sweep ${args.sweep} --sweep-engines ${args['sweep-engines']}${args.profile ? ' --profile' : ''}`;
// The issue's target for the status list on PostgreSQL.
const TARGET_P99_MS = 20;

// ---------------------------------------------------------------- autocannon (CommonJS, untyped)
interface CannonOpts { url: string; connections: number; duration: number; method?: string; headers?: Record<string, string>; body?: string }
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number; errors: number; timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: CannonOpts) => Promise<CannonResult>;

// ---------------------------------------------------------------- types
interface SeedInfo {
  orgId: string; agentIds: string[]; callId: string; engine: string;
  counts: Record<string, number>; perAgent: Record<string, number>; callsTableBytes: number;
  ms: { open: number; insert: number; analyze: number };
}
interface Scenario { key: string; label: string; method: 'GET' | 'POST'; path: string; body?: string; auth: boolean; expect: (status: number, body: unknown) => string | null }
interface Row {
  engine: string; scenario: Scenario; connections: number; load1m: number; rps: number; p50: number; p90: number; p99: number; max: number; total: number; bad: number;
  serverCpuMsPerReq: number; pgCpuMsPerReq: number | null; benchCpuMsPerReq: number; rssMb: number;
}

// ---------------------------------------------------------------- process helpers
/** Runs a node+tsx script to completion; resolves with its stdout. */
function runScript(file: string, env: NodeJS.ProcessEnv, argv: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', file), ...argv], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} exited ${code}\n${err}`))));
  });
}

interface Server { child: ChildProcess; url: string; stop(): Promise<void> }

/** Starts the real CLI and waits for its "Listening on …" line. */
function startServer(env: NodeJS.ProcessEnv, argv: string[] = [CLI, 'start']): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not listen within 120 s\n${out}\n${err}`)); }, 120_000);
    const stop = (): Promise<void> => new Promise((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r();
      const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => { clearTimeout(hard); r(); });
      child.kill('SIGTERM');
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1'), stop });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code} before listening\n${out}\n${err}`)); });
  });
}

// ---------------------------------------------------------------- scenarios
function scenarios(seed: SeedInfo): Scenario[] {
  const listOk = (want: (c: Record<string, unknown>) => boolean) => (status: number, body: unknown): string | null => {
    if (status !== 200) return `status ${status}`;
    if (!Array.isArray(body) || body.length !== 50) return `expected 50 calls, got ${Array.isArray(body) ? body.length : typeof body}`;
    return body.every((c) => want(c as Record<string, unknown>)) ? null : 'a call does not match the filter';
  };
  const agent = seed.agentIds[0]!;
  return [
    { key: 'health', label: 'GET /v1/health (baseline: no auth, `select 1`)', method: 'GET', path: '/v1/health', auth: false, expect: (s) => (s === 200 ? null : `status ${s}`) },
    { key: 'get', label: 'GET /v1/calls/{id} (auth + primary key)', method: 'GET', path: `/v1/calls/${seed.callId}`, auth: true, expect: (s, b) => (s === 200 && (b as { id?: string }).id === seed.callId ? null : `status ${s}`) },
    { key: 'list-status', label: 'GET /v1/calls?limit=50&status=completed', method: 'GET', path: '/v1/calls?limit=50&status=completed', auth: true, expect: listOk((c) => c.status === 'completed') },
    { key: 'list-agent', label: 'GET /v1/calls?limit=50&agent_id=… (busiest agent)', method: 'GET', path: `/v1/calls?limit=50&agent_id=${agent}`, auth: true, expect: listOk((c) => c.agent_id === agent) },
    {
      key: 'post-agent', label: 'POST /v1/agents', method: 'POST', path: '/v1/agents', auth: true,
      body: JSON.stringify({ name: 'Bench agent', type: 'outbound', persona: 'You call customers to confirm deliveries.', instructions: 'Confirm the delivery window from the context; be brief.', returns: { confirmed: 'boolean' } }),
      expect: (s) => (s === 201 ? null : `status ${s}`),
    },
  ];
}

/** Backend pids of the bench database (PostgreSQL work happens there, not in the server process). */
async function backendPids(admin: pg.Client | null, dbName: string | null): Promise<number[]> {
  if (!admin || !dbName) return [];
  const r = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
  return r.rows.map((x) => x.pid);
}

async function measure(engine: string, server: Server, apiKey: string, sc: Scenario, admin: pg.Client | null, dbName: string | null, connections = CONNECTIONS, durationS = DURATION_S): Promise<Row> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sc.auth) headers.authorization = `Bearer ${apiKey}`;
  const url = server.url + sc.path;
  // Check once that the request does what its label says before timing it.
  const res = await fetch(url, { method: sc.method, headers, ...(sc.body ? { body: sc.body } : {}) });
  const text = await res.text();
  const problem = sc.expect(res.status, text ? JSON.parse(text) : null);
  if (problem) throw new Error(`${engine} ${sc.label}: ${problem}: ${text.slice(0, 300)}`);
  const opts: CannonOpts = { url, connections, duration: WARMUP_S, method: sc.method, headers, ...(sc.body ? { body: sc.body } : {}) };
  if (WARMUP_S > 0) await autocannon(opts);
  const pid = server.child.pid!;
  const s0 = processCpuMs(pid) ?? 0;
  const p0 = snapshotCpu(await backendPids(admin, dbName));
  const b0 = process.cpuUsage();
  const load0 = os.loadavg()[0]!;
  const r = await autocannon({ ...opts, duration: durationS });
  const b1 = process.cpuUsage(b0);
  const s1 = processCpuMs(pid) ?? s0;
  const p1 = snapshotCpu(await backendPids(admin, dbName));
  const total = r.requests.total || 1;
  const pgMs = admin ? cpuDeltaMs(p0, p1) : null;
  return {
    engine, scenario: sc, connections, load1m: Math.max(load0, os.loadavg()[0]!), rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, total: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
    serverCpuMsPerReq: (s1 - s0) / total, pgCpuMsPerReq: pgMs === null ? null : pgMs / total, benchCpuMsPerReq: (b1.user + b1.system) / 1000 / total,
    rssMb: processRssMb(pid),
  };
}

// ---------------------------------------------------------------- one engine
interface EngineResult { rows: Row[]; sweep: Row[]; seed: SeedInfo; diagnose: string; profile: string | null; seedWallMs: number }

async function runEngine(engine: 'pglite' | 'postgres', cleanups: Array<() => Promise<void>>): Promise<EngineResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `callingbox-bench-${engine}-`));
  cleanups.push(async () => { if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true }); });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CALLINGBOX_DATA_DIR: path.join(tmp, 'data'),
    CALLINGBOX_LOG_LEVEL: 'warn',
    CALLINGBOX_DEMO: 'false',
    // The bench measures the server, not the token bucket (default 50/s per key would 429 at once).
    CALLINGBOX_RATE_LIMIT_PER_SECOND: '1000000',
    CALLINGBOX_RATE_LIMIT_BURST: '1000000',
    PORT: '0',
    HOST: '127.0.0.1',
    // The server also starts its SIP user agent: a free port, loopback only (5060 may be taken).
    CALLINGBOX_SIP_PORT: '0',
    CALLINGBOX_SIP_HOST: '127.0.0.1',
    BENCH_CALLS: String(CALLS),
  };
  delete env.DATABASE_URL;
  let admin: pg.Client | null = null;
  let dbName: string | null = null;
  if (engine === 'postgres') {
    dbName = `callingbox_bench_${process.pid}_${Date.now()}`;
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const a = admin;
    const name = dbName;
    cleanups.push(async () => {
      if (!args.keep) await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    });
    const u = new URL(ADMIN_URL);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  say(`\n## ${engine}: seeding ${CALLS.toLocaleString('en-US')} calls…`);
  const t0 = performance.now();
  const seed = JSON.parse((await runScript('api-seed.ts', env)).trim()) as SeedInfo;
  const seedWallMs = performance.now() - t0;
  say(`seeded in ${(seedWallMs / 1000).toFixed(1)} s (open/migrate/bootstrap ${seed.ms.open} ms, insert ${seed.ms.insert} ms, analyze ${seed.ms.analyze} ms); calls table + indexes ${(seed.callsTableBytes / 2 ** 20).toFixed(0)} MiB; completed ${seed.counts.completed}, busiest agent ${seed.perAgent[seed.agentIds[0]!]}`);
  const creds = JSON.parse(fs.readFileSync(path.join(tmp, 'data', 'credentials.json'), 'utf8')) as { api_key: string };
  const t1 = performance.now();
  const server = await startServer(env);
  cleanups.push(() => server.stop());
  say(`server pid ${server.child.pid} listening on ${server.url} after ${Math.round(performance.now() - t1)} ms`);
  const rows: Row[] = [];
  const sweep: Row[] = [];
  const log = (row: Row): void => say(`  ${row.scenario.label.padEnd(52)} c=${String(row.connections).padEnd(3)} ${fmt(row.rps, 0).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  max ${row.max} ms  (${row.total} req, ${row.bad} non-2xx/errors; CPU/req server ${fmt(row.serverCpuMsPerReq, 2)} ms${row.pgCpuMsPerReq === null ? '' : `, postgres ${fmt(row.pgCpuMsPerReq, 2)} ms`}, autocannon ${fmt(row.benchCpuMsPerReq, 2)} ms; server RSS ${row.rssMb} MB; load ${row.load1m.toFixed(1)})`);
  try {
    const all = scenarios(seed);
    for (const sc of all) {
      const row = await measure(engine, server, creds.api_key, sc, admin, dbName);
      rows.push(row);
      log(row);
    }
    if (SWEEP_ENGINES.includes(engine)) {
      // Baseline and list at each count, one after the other, so both see the same box.
      for (const c of SWEEP) {
        for (const key of ['health', 'list-status']) {
          const row = await measure(engine, server, creds.api_key, all.find((x) => x.key === key)!, admin, dbName, c);
          sweep.push(row);
          log(row);
        }
      }
    }
  } finally {
    await server.stop();
  }
  say(`diagnosing the list request (server stopped)…`);
  // The load numbers are in hand: a failing diagnosis is reported, not fatal.
  const failed = (what: string) => (e: unknown): string => `${what} failed: ${(e as Error).message.split('\n').slice(0, 12).join('\n')}`;
  const diagnose = await runScript('api-diagnose.ts', env, [seed.orgId, seed.agentIds[0]!, creds.api_key, seed.callId]).catch(failed('api-diagnose.ts'));
  let profile: string | null = null;
  if (args.profile) {
    say(`profiling the status list (server in bench/api-profile.ts)…`);
    profile = await runScript('api-profile.ts', env, ['/v1/calls?limit=50&status=completed', creds.api_key, String(CONNECTIONS), String(DURATION_S)]).catch(failed('api-profile.ts'));
  }
  return { rows, sweep, seed, diagnose, profile, seedWallMs };
}

// ---------------------------------------------------------------- output
const fmt = (n: number, d: number): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function table(rows: Row[]): string {
  const out = [
    '| engine | request | req/s | p50 ms | p99 ms | req/s × baseline | p99 × baseline | server CPU ms/req | postgres CPU ms/req |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.engine === r.engine && b.scenario.key === 'health')!;
    out.push(`| ${r.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL 15'} | ${r.scenario.label} | ${fmt(r.rps, 0)} | ${r.p50} | ${r.p99} | ${fmt(r.rps / base.rps, 2)} | ${fmt(r.p99 / Math.max(base.p99, 1), 1)} | ${fmt(r.serverCpuMsPerReq, 2)} | ${r.pgCpuMsPerReq === null ? 'in-process' : fmt(r.pgCpuMsPerReq, 2)} |`);
  }
  return out.join('\n');
}

/**
 * A fixed CPU workload (stringify + parse a 50-item, ~80 KiB array, 100 times), timed in CPU ms:
 * printed before and after, so runs on other machines or under other load can be compared.
 */
function calibrate(): number {
  const item = { id: 'call_01M8EXHSEP3CEZWT1ABXHQA628', persona: 'p'.repeat(300), instructions: 'i'.repeat(400), created_at: new Date(0).toISOString(), result: { confirmed: true, score: 7 }, n: 12345, nested: { a: [1, 2, 3], b: null } };
  const page = Array.from({ length: 50 }, (_, i) => ({ ...item, n: i, extra: 'x'.repeat(500) }));
  for (let i = 0; i < 20; i++) JSON.parse(JSON.stringify(page)); // JIT warm-up
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) JSON.parse(JSON.stringify(page));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => say(`cleanup: ${(e as Error).message}`));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  say(`# CallingBox API bench`);
  say(`command: ${COMMAND}`);
  say(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}`);
  const cal0 = calibrate();
  say(`calibration: ${fmt(cal0, 0)} ms CPU for a fixed JSON workload (lower = faster box; compare runs with it)`);
  say(`load: autocannon in this process, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per request; the server is its own process (the CLI)`);
  const results: EngineResult[] = [];
  try {
    for (const engine of ENGINES) results.push(await runEngine(engine, cleanups));
  } finally {
    await cleanup();
  }
  const rows = results.flatMap((r) => r.rows);
  say('\n## Results (paste into the README)\n');
  say(`\`${COMMAND}\`: ${CALLS.toLocaleString('en-US')} stored calls, ${CONNECTIONS} connections, ${DURATION_S} s each, autocannon and server on the same ${os.cpus().length} cores; baseline = GET /v1/health of the same engine in the same run.\n`);
  say(table(rows));
  const sweep = results.flatMap((r) => r.sweep);
  const all = [...rows, ...sweep];
  const perConnections = sweepTable(all);
  if (perConnections) say(perConnections);
  const loads = all.map((r) => r.load1m);
  say(`\n1-minute load average during the runs: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores (other work on the box shares them); calibration ${fmt(cal0, 0)} ms before, ${fmt(calibrate(), 0)} ms after.`);
  for (const r of results) {
    say(`\n## ${r.seed.engine}: where a list request spends its time\n`);
    say(r.diagnose.trimEnd());
    if (r.profile) say(`\n${r.profile.trimEnd()}`);
  }
  for (const engine of ENGINES) {
    const list = all.filter((r) => r.engine === engine && r.scenario.key === 'list-status').sort((a, b) => a.connections - b.connections);
    if (list.length === 0) continue;
    const held = list.filter((r) => r.p99 < TARGET_P99_MS).map((r) => r.connections);
    const missed = list.filter((r) => r.p99 >= TARGET_P99_MS).map((r) => `${r.p99} ms at ${r.connections}`);
    say(`\nTarget "list p99 < ${TARGET_P99_MS} ms" on ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${held.length ? `held at ${held.join(', ')} connection(s)` : 'held at no measured concurrency'}${missed.length ? `; not at ${missed.join(', ')}` : ''}.`);
  }
}

/**
 * The status list against the health baseline at every measured number of connections (the
 * main run's and the sweep's), in the same run (the sweep measures each pair back to back).
 */
function sweepTable(all: Row[]): string | null {
  const list = all.filter((r) => r.scenario.key === 'list-status').sort((a, b) => a.engine.localeCompare(b.engine) || a.connections - b.connections);
  const withBase = list.map((r) => ({ r, base: all.find((b) => b.engine === r.engine && b.scenario.key === 'health' && b.connections === r.connections) })).filter((x) => x.base);
  if (withBase.length < 2) return null;
  const out = [
    `\n### ${list[0]!.scenario.label} by connections in flight, beside GET /v1/health at the same count\n`,
    '| engine | connections | list req/s | list p50 ms | list p99 ms | health req/s | health p99 ms | list ÷ health req/s | list ÷ health p99 | server CPU ms/list | postgres CPU ms/list |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { r, base } of withBase) {
    out.push(`| ${r.engine} | ${r.connections} | ${fmt(r.rps, 0)} | ${r.p50} | ${r.p99} | ${fmt(base!.rps, 0)} | ${base!.p99} | ${fmt(r.rps / base!.rps, 2)} | ${fmt(r.p99 / Math.max(base!.p99, 1), 1)} | ${fmt(r.serverCpuMsPerReq, 2)} | ${r.pgCpuMsPerReq === null ? 'in-process' : fmt(r.pgCpuMsPerReq, 2)} |`);
  }
  return out.join('\n');
}

await main();
