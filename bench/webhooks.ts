/**
 * `npm run bench:webhooks`: webhook deliveries per second from CallingBox's delivery worker to a
 * local receiver, on PostgreSQL and on embedded PGlite, beside a baseline measured in the same run:
 * the same receiver driven by plain keep-alive POSTs from this process (what the HTTP path alone
 * allows here).
 *
 * The server runs as its own process through the CLI. The outbox is seeded with a burst of finished
 * calls (`webhooks-seed.ts`: 6 deliveries per call, inline and endpoint, each with its call event),
 * leased to nobody, then freed at T0: on PostgreSQL by one `update` while the server runs (its time
 * counted), on PGlite by the lease's end (its data directory belongs to one process, so it is seeded
 * while the server is stopped and held until the restarted server is surely up). The clock runs from
 * T0 until the API lists no pending delivery: claim, secret lookup, sign, send, record the attempt,
 * outcome, call event and call `webhook_status`, all included. The receiver checks every signature
 * (Node's crypto) and the event order of every call at each destination.
 *
 * Options: --deliveries N (6000, rounded to whole calls) --processes P (1; PostgreSQL only: more
 * share one database, as in production) --engines postgres,pglite --out FILE
 * (bench/results/webhooks-<date>.txt) --profile (V8 CPU profile of the server, summarised)
 * --deadline S (120: stop waiting and report what was delivered).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Agent, request } from 'undici';
import { sql } from 'kysely';
import { openDatabase } from '../packages/server/src/store/open-database.ts';
import { processCpuMs } from './proc-cpu.ts';
import { summariseProfile } from './webhooks-profile.ts';
import { DELIVERIES_PER_CALL, EVENTS, outcome, seed, type Outcome, type Seed } from './webhooks-seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/server/bin/callingbox.mjs');
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '6000' }, processes: { type: 'string', default: '1' }, engines: { type: 'string', default: 'postgres,pglite' },
    out: { type: 'string', default: path.join(ROOT, `bench/results/webhooks-${new Date().toISOString().slice(0, 10)}.txt`) }, profile: { type: 'boolean', default: false }, deadline: { type: 'string', default: '120' },
  },
});
const CALLS = Math.max(1, Math.round(Number(args.deliveries) / DELIVERIES_PER_CALL));
const N = CALLS * DELIVERIES_PER_CALL;
const PROCESSES = Number(args.processes);
const DEADLINE_MS = Number(args.deadline) * 1000;
const lines: string[] = [];
const say = (s: string): void => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Server { proc: ChildProcess; baseUrl: string; apiKey: string; orgId: string; dataDir: string }

async function startServer(o: { dataDir: string; dbUrl?: string; profileDir?: string }): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', CALLINGBOX_SIP_PORT: '0', CALLINGBOX_DATA_DIR: o.dataDir, CALLINGBOX_LOG_LEVEL: 'warn', CALLINGBOX_WEBHOOK_POLL_MS: '50', CALLINGBOX_DEMO: 'false' };
  if (o.dbUrl) env.DATABASE_URL = o.dbUrl;
  else delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : []), CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  // Said at once, so a server that dies mid-run (killed from outside, crashed) is not a mystery.
  proc.once('exit', (code, signal) => {
    if (!stopping.has(proc)) process.stderr.write(`bench: a server exited during the run (code ${code}, signal ${signal})\n`);
  });
  const creds = path.join(o.dataDir, 'credentials.json');
  const c = fs.existsSync(creds) ? (JSON.parse(fs.readFileSync(creds, 'utf8')) as { org_id: string; api_key: string }) : { org_id: '', api_key: '' };
  return { proc, baseUrl, apiKey: c.api_key, orgId: c.org_id, dataDir: o.dataDir };
}

const stopping = new WeakSet<ChildProcess>();

async function stop(s: Server): Promise<void> {
  stopping.add(s.proc);
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
  await new Promise((r) => (s.proc.exitCode !== null || s.proc.signalCode !== null ? r(null) : s.proc.once('exit', r)));
}

/** The local receiver: answers 200, verifies every signature, and records each call's event order per destination. */
function receiver() {
  const secrets = new Map<string, string>();
  const lastEvent = new Map<string, number>();
  const ids = new Set<string>();
  const st = { requests: 0, badSignatures: 0, outOfOrder: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      st.requests++;
      const secret = secrets.get(req.url ?? '');
      if (secret) {
        const body = Buffer.concat(chunks);
        const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['callingbox-signature']));
        if (!sig || createHmac('sha256', secret).update(`${sig[1]}.`).update(body).digest('hex') !== sig[2]) st.badSignatures++;
        ids.add(String(req.headers['callingbox-event-id']));
        const key = `${req.url} ${String(req.headers['x-callingbox-call-id'])}`;
        const e = EVENTS.indexOf(req.headers['callingbox-event-type'] as (typeof EVENTS)[number]);
        if (e < (lastEvent.get(key) ?? -1)) st.outOfOrder++;
        lastEvent.set(key, e);
      }
      res.writeHead(200).end();
    });
  });
  return {
    server, st, ids,
    reset(s: Seed): void {
      secrets.clear();
      secrets.set('/hook', s.orgSecret);
      secrets.set('/ep', s.endpointSecret);
      lastEvent.clear();
      ids.clear();
      Object.assign(st, { requests: 0, badSignatures: 0, outOfOrder: 0 });
    },
  };
}

async function baseline(url: string): Promise<number> {
  const agent = new Agent({ connections: 32 });
  const body = JSON.stringify({ type: 'call.completed', data: { call: { id: 'call_x', padding: 'x'.repeat(2000) } } });
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (sent < N) {
      sent++;
      const r = await request(url, { method: 'POST', body, dispatcher: agent, headers: { 'content-type': 'application/json' } });
      await r.body.dump();
    }
  }));
  await agent.close();
  return N / ((performance.now() - t0) / 1000);
}

/** The API's answer: is any delivery still pending? */
async function pendingLeft(s: Server): Promise<boolean> {
  const r = await fetch(`${s.baseUrl}/v1/webhook_deliveries?status=pending&limit=1`, { headers: { authorization: `Bearer ${s.apiKey}` } });
  if (!r.ok) throw new Error(`GET /v1/webhook_deliveries: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { data: unknown[] }).data.length > 0;
}

interface Run { engine: 'postgres' | 'pglite'; processes: number; secs: number; timedOut: boolean; rate: number; serverCpuMs: number; dbCpuMs: number | null; out: Outcome; rx: { requests: number; distinct: number; badSignatures: number; outOfOrder: number }; profiles: Array<{ file: string; lastMs: number }> }

async function pgBackends(c: pg.Client, db: string): Promise<number[]> {
  return (await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [db])).rows.map((r) => r.pid);
}

async function runEngine(engine: 'postgres' | 'pglite', rx: ReturnType<typeof receiver>, hook: string): Promise<Run> {
  const processes = engine === 'postgres' ? PROCESSES : 1;
  const profileDir = args.profile ? fs.mkdtempSync(path.join(os.tmpdir(), `cb-bench-wh-prof-${engine}-`)) : undefined;
  const dirs = Array.from({ length: processes }, () => fs.mkdtempSync(path.join(os.tmpdir(), 'cb-bench-wh-')));
  const dbName = `cb_bench_wh_${randomBytes(4).toString('hex')}`;
  const dbUrl = engine === 'postgres' ? ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`) : undefined;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const servers: Server[] = [];
  try {
    let s: Seed;
    let release: () => Promise<void>;
    if (engine === 'postgres') {
      await admin.query(`create database ${dbName}`);
      for (const d of dirs) servers.push(await startServer({ dataDir: d, dbUrl: dbUrl!, ...(profileDir ? { profileDir } : {}) }));
      const db = await openDatabase({ databaseUrl: dbUrl, dataDir: dirs[0]!, poolSize: 1 });
      s = await seed(db.db, { orgId: servers[0]!.orgId, hookUrl: `${hook}/hook`, endpointUrl: `${hook}/ep`, calls: CALLS, hold: new Date(Date.now() + 3600_000) });
      // One statement frees every row at once; its own time counts in the result.
      release = async () => {
        await sql`update webhook_deliveries set locked_until = null, locked_by = null`.execute(db.db);
        await db.close();
      };
    } else {
      // First start creates the embedded database and the organisation; the seed goes in while it
      // is stopped, held until a restart has surely finished (a restart is quicker than the first
      // start, which also creates the database).
      const started = Date.now();
      const first = await startServer({ dataDir: dirs[0]! });
      const firstStartMs = Date.now() - started;
      await stop(first);
      const db = await openDatabase({ dataDir: dirs[0]! });
      const t0 = Date.now() + 3000 + firstStartMs;
      s = await seed(db.db, { orgId: first.orgId, hookUrl: `${hook}/hook`, endpointUrl: `${hook}/ep`, calls: CALLS, hold: new Date(t0) });
      await db.close();
      servers.push(await startServer({ dataDir: dirs[0]!, ...(profileDir ? { profileDir } : {}) }));
      if (Date.now() > t0 - 200) throw new Error('pglite: the restart took longer than the first start; run again');
      await sleep(t0 - 200 - Date.now());
      release = () => sleep(t0 - Date.now());
    }
    rx.reset(s);
    const backends = engine === 'postgres' ? await pgBackends(admin, dbName) : [];
    const cpu0 = servers.map((x) => processCpuMs(x.proc.pid!) ?? 0);
    const db0 = backends.map((pid) => processCpuMs(pid) ?? 0);
    const start = performance.now();
    await release();
    let timedOut = false;
    for (;;) {
      await sleep(50);
      if (!(await pendingLeft(servers[0]!))) break;
      if (performance.now() - start > DEADLINE_MS) {
        timedOut = true;
        break;
      }
    }
    const secs = (performance.now() - start) / 1000;
    const serverCpuMs = servers.reduce((a, x, i) => a + (processCpuMs(x.proc.pid!) ?? 0) - cpu0[i]!, 0);
    // Backends opened after the first snapshot (the pool grows under load) count from zero: a lower bound.
    const after = engine === 'postgres' ? await pgBackends(admin, dbName) : [];
    const dbCpuMs = engine === 'postgres' ? after.reduce((a, pid) => a + (processCpuMs(pid) ?? 0) - (db0[backends.indexOf(pid)] ?? 0), 0) : null;
    const rxStats = { ...rx.st, distinct: rx.ids.size };
    for (const x of servers) await stop(x);
    const profileMs = performance.now() - start;
    servers.length = 0;
    const db = await openDatabase({ databaseUrl: dbUrl, dataDir: dirs[0]!, poolSize: 1 });
    const out = await outcome(db.db);
    await db.close();
    // One file per thread; the main thread's is the largest (the other is tsx's module loader).
    const profiles = profileDir
      ? fs.readdirSync(profileDir).map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size).slice(0, processes).map((file) => ({ file, lastMs: profileMs }))
      : [];
    return { engine, processes, secs, timedOut, rate: out.delivered / secs, serverCpuMs, dbCpuMs, out, rx: rxStats, profiles };
  } finally {
    for (const x of servers) await stop(x);
    if (engine === 'postgres') await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rx = receiver();
  await new Promise<void>((r) => rx.server.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}`;
  try {
    const baseRate = await baseline(`${hook}/plain`);
    const runs: Run[] = [];
    for (const engine of args.engines.split(',') as Array<'postgres' | 'pglite'>) runs.push(await runEngine(engine, rx, hook));
    const cmd = `npm run bench:webhooks -- --deliveries ${N} --processes ${PROCESSES} --engines ${args.engines}${args.profile ? ' --profile' : ''}`;
    say('# CallingBox webhook delivery bench');
    say(`command: ${cmd}`);
    say(`date: ${new Date().toISOString()}; machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}; PostgreSQL on loopback`);
    say(`workload: ${CALLS} calls × 3 events (ringing, answered, completed) × 2 destinations (inline URL, one account endpoint) = ${N} deliveries, ~2 KB each, all due at once`);
    say('');
    say('| engine | what | deliveries | seconds | per second | × baseline | server CPU ms/delivery | PostgreSQL CPU ms/delivery |');
    say('|---|---|---:|---:|---:|---:|---:|---:|');
    say(`| – | baseline: plain keep-alive POSTs to the receiver (32 in flight) | ${N} | ${(N / baseRate).toFixed(2)} | ${baseRate.toFixed(0)} | 1.00 | – | – |`);
    for (const r of runs) {
      const who = `CallingBox worker: claim, sign, send, record (${r.processes} process${r.processes > 1 ? 'es' : ''})`;
      say(`| ${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} | ${who} | ${N} | ${r.secs.toFixed(2)} | ${r.rate.toFixed(0)} | ${(r.rate / baseRate).toFixed(2)} | ${(r.serverCpuMs / N).toFixed(2)} | ${r.dbCpuMs === null ? '(in the server)' : (r.dbCpuMs / N).toFixed(2)} |`);
    }
    say('');
    for (const r of runs) {
      const o = r.out;
      const ok = !r.timedOut && o.delivered === N && o.attempts === N && o.attemptedTwice === 0 && o.deliveryEvents === N && o.callsNotDelivered === 0 && r.rx.distinct === N && r.rx.badSignatures === 0 && r.rx.outOfOrder === 0;
      if (r.timedOut) say(`${r.engine}: STOPPED at the ${DEADLINE_MS / 1000} s deadline with deliveries still pending; the rate counts the ${o.delivered} delivered`);
      say(`${r.engine}: receiver saw ${r.rx.requests} requests, ${r.rx.distinct} distinct event ids, ${r.rx.badSignatures} bad signatures, ${r.rx.outOfOrder} out of order; ` +
        `database: ${o.delivered} delivered, ${o.attempts} attempts recorded, ${o.attemptedTwice} attempted twice, ${o.deliveryEvents} webhook_delivery call events, ${o.callsNotDelivered} calls not marked delivered — ${ok ? 'all consistent' : 'INCONSISTENT'}`);
    }
    const pgRun = runs.find((r) => r.engine === 'postgres');
    if (pgRun) say(`target ≥ 500/s on PostgreSQL: ${pgRun.rate >= 500 ? 'met' : 'NOT met'} (${pgRun.rate.toFixed(0)}/s)`);
    for (const r of runs) for (const f of r.profiles) say(`\n${r.engine} server ${summariseProfile(f.file, f.lastMs)}`);
  } finally {
    rx.server.close();
  }
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${lines.join('\n')}\n`);
  process.stdout.write(`(written to ${path.relative(process.cwd(), args.out)})\n`);
}

await main();
