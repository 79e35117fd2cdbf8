/**
 * `npm run bench:webhooks`: webhook deliveries per second from CallingBox's delivery worker to a
 * local receiver, on PostgreSQL, beside a baseline measured in the same run: the same receiver
 * driven by plain keep-alive POSTs from this process (what the HTTP path alone allows here).
 *
 * The server runs as its own process through the CLI; N pending deliveries are inserted in one
 * statement (as the outbox writes them), and the clock runs from the insert until the database says
 * every row is delivered — claim, sign, send, record attempt and outcome, all included.
 * Options: --deliveries N (5000) --processes P (1; more share one database, as in production)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Agent, request } from 'undici';
import { newId } from '../packages/server/src/core/ids.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/server/bin/callingbox.mjs');
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const { values: args } = parseArgs({ options: { deliveries: { type: 'string', default: '5000' }, processes: { type: 'string', default: '1' } } });
const N = Number(args.deliveries);
const PROCESSES = Number(args.processes);
const say = (s: string): void => void process.stdout.write(`${s}\n`);

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(q).finally(() => c.end());
}

function startServer(dbUrl: string): Promise<{ proc: ChildProcess; orgId: string | null }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-bench-wh-'));
  const proc = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, PORT: '0', CALLINGBOX_SIP_PORT: '0', CALLINGBOX_DATA_DIR: dataDir, DATABASE_URL: dbUrl, CALLINGBOX_LOG_LEVEL: 'warn', CALLINGBOX_WEBHOOK_POLL_MS: '50' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Listening on/.test(out)) {
        const creds = path.join(dataDir, 'credentials.json');
        resolve({ proc, orgId: fs.existsSync(creds) ? (JSON.parse(fs.readFileSync(creds, 'utf8')) as { org_id: string }).org_id : null });
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function main(): Promise<void> {
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  // Baseline: the same receiver, plain keep-alive POSTs of a ~2 KB body, 32 in flight.
  const agent = new Agent({ connections: 32 });
  const body = JSON.stringify({ type: 'call.completed', data: { call: { id: 'call_x', padding: 'x'.repeat(2000) } } });
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (sent < N) {
      sent++;
      const r = await request(hook, { method: 'POST', body, dispatcher: agent, headers: { 'content-type': 'application/json' } });
      await r.body.dump();
    }
  }));
  const baselineRate = N / ((performance.now() - t0) / 1000);
  await agent.close();

  const db = `cb_bench_wh_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${db}`);
  const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${db}`);
  const servers: ChildProcess[] = [];
  try {
    const first = await startServer(dbUrl);
    servers.push(first.proc);
    for (let i = 1; i < PROCESSES; i++) servers.push((await startServer(dbUrl)).proc);
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const now = new Date();
    const ids = Array.from({ length: N }, () => newId('wd'));
    const payload = JSON.stringify({ type: 'call.completed', api_version: '2026-04', data: { call: { id: 'call_x', padding: 'x'.repeat(2000) } } });
    received = 0;
    const t1 = performance.now();
    await c.query(
      `insert into webhook_deliveries (id, org_id, event_type, url, payload, status, next_attempt_at, created_at, updated_at)
       select id, $1, 'call.completed', $2, $3::jsonb, 'pending', $4, $4, $4 from unnest($5::text[]) as id`,
      [first.orgId, hook, payload, now, ids],
    );
    for (;;) {
      const r = await c.query(`select count(*)::int as n from webhook_deliveries where status = 'delivered'`);
      if (r.rows[0].n >= N) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const secs = (performance.now() - t1) / 1000;
    const rate = N / secs;
    const dup = await c.query(`select count(*)::int as n from (select delivery_id from webhook_attempts group by delivery_id having count(*) > 1) d`);
    await c.end();
    say(`# CallingBox webhook delivery bench`);
    say(`command: npm run bench:webhooks -- --deliveries ${N} --processes ${PROCESSES}`);
    say(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}; PostgreSQL on loopback`);
    say('');
    say('| what | deliveries | seconds | per second | × baseline |');
    say('|---|---:|---:|---:|---:|');
    say(`| baseline: plain keep-alive POSTs to the receiver (32 in flight) | ${N} | ${(N / baselineRate).toFixed(2)} | ${baselineRate.toFixed(0)} | 1.00 |`);
    say(`| CallingBox worker(s): claim, sign, send, record (${PROCESSES} process${PROCESSES > 1 ? 'es' : ''}) | ${N} | ${secs.toFixed(2)} | ${rate.toFixed(0)} | ${(rate / baselineRate).toFixed(2)} |`);
    say('');
    say(`receiver saw ${received} requests for ${N} deliveries; deliveries attempted more than once: ${dup.rows[0].n}; target ≥ 500/s: ${rate >= 500 ? 'met' : 'NOT met'}`);
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.exitCode !== null ? r(null) : s.once('exit', r)))));
    await admin(`drop database if exists ${db} with (force)`);
    receiver.close();
  }
}

await main();
