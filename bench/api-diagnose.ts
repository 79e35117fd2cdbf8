/**
 * Where does a `GET /v1/calls?limit=50&status=completed` spend its time? Run by `bench/api.ts`
 * after the load (server stopped), on the same seeded database, in its own process:
 *   node --import tsx bench/api-diagnose.ts <orgId> <agentId> <apiKey> <callId>
 * with the server's environment (CALLINGBOX_DATA_DIR, DATABASE_URL).
 *
 * 1. EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the list route issues (`CallRepo.listJson` with
 *    CALL_VIEW_JSON, captured from Kysely), for the status and the agent_id filter.
 * 2. Each step of the request timed alone, one at a time (no concurrency): the database round trip
 *    of `select 1`, the API-key lookup from the database and from the process cache, the list
 *    query (the page's JSON built by the database), the Node path it replaced (rows decoded by pg,
 *    callView, JSON.stringify) for comparison, and whole requests through the Hono app in-process
 *    (no socket).
 * 3. An experiment: the same page with each call's JSON stored in a column instead of built per
 *    request (added for the page's rows only, dropped afterwards).
 * Prints markdown.
 */
import { CompiledQuery, sql, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { loadConfig } from '../packages/server/src/config/config.ts';
import { startPlatform } from '../packages/server/src/main.ts';
import { CALL_VIEW_JSON, callView } from '../packages/server/src/api/views.ts';
import { Store } from '../packages/server/src/store/store.ts';
import type { CallFilter } from '../packages/server/src/store/repos/calls.ts';
import { cpuDeltaMs, snapshotCpu } from './proc-cpu.ts';

const [orgId, agentId, apiKey, callId] = process.argv.slice(2) as [string, string, string, string];
const ITERATIONS = Number(process.env.BENCH_DIAG_ITERATIONS ?? 300);

interface Stat { mean: number; p50: number; p99: number; cpu: number; pgCpu: number | null }
/**
 * Wall time per call; this process's CPU per call; and on PostgreSQL the CPU of this database's
 * backends per call (the server is stopped, so they are this process's pool).
 */
async function time(fn: () => Promise<unknown> | unknown, backends: (() => Promise<number[]>) | null): Promise<Stat> {
  for (let i = 0; i < 30; i++) await fn(); // warm-up: JIT, plan cache, buffer cache
  const samples: number[] = [];
  const pg0 = backends ? snapshotCpu(await backends()) : null;
  const c0 = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  const pgCpu = pg0 && backends ? cpuDeltaMs(pg0, snapshotCpu(await backends())) / ITERATIONS : null;
  const s = samples.sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { mean: s.reduce((a, v) => a + v, 0) / s.length, p50: at(0.5), p99: at(0.99), cpu: (c.user + c.system) / 1000 / ITERATIONS, pgCpu };
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, CALLINGBOX_DEMO: 'false', PORT: '0' });
  const platform = await startPlatform(config, { listen: false });
  const { store } = platform;
  const db = store.db;
  const out: string[] = [];
  try {
    // 1. The plan of the exact list SQL: a Store whose Kysely hands each query to `captured`.
    let captured: CompiledQuery | null = null;
    const capture: KyselyPlugin = {
      transformQuery: (a) => {
        captured = db.getExecutor().compileQuery(a.node as RootOperationNode, a.queryId);
        return a.node;
      },
      transformResult: async (a) => a.result,
    };
    const capturing = new Store(db.withPlugin(capture), platform.store.clock);
    const filterSets: Array<[CallFilter, Record<string, unknown>]> = [
      [{ status: ['completed'] }, { status: ['completed'] }],
      [{ agent_id: [agentId] }, { agent_id: [agentId] }],
    ];
    for (const [f, filters] of filterSets) {
      await capturing.calls.listJson(orgId, f, { limit: 50, filters }, CALL_VIEW_JSON);
      const c = captured as CompiledQuery | null;
      if (!c) throw new Error('no query captured');
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${c.sql}`, [...c.parameters]));
      // The SQL once; the second filter differs only in its where clause.
      const shown = out.length === 0 ? c.sql : `… where "org_id" = $5 and ${/"org_id" = \$5 and (.*?) order by/.exec(c.sql)?.[1] ?? '?'} …`;
      out.push(`EXPLAIN (ANALYZE, BUFFERS) ${shown}  -- params ${JSON.stringify(c.parameters)}`, '```', ...plan.rows.map((r) => r['QUERY PLAN']), '```', '');
    }

    // 2. Each step alone.
    const filters = { status: ['completed'] };
    const page = await store.calls.listJson(orgId, { status: ['completed'] }, { limit: 50, filters }, CALL_VIEW_JSON);
    const nodePath = async (): Promise<string> => JSON.stringify((await store.calls.list(orgId, { status: ['completed'] }, { limit: 50, filters })).items.map(callView));
    const same = JSON.stringify(JSON.parse(page.body)) === JSON.stringify(JSON.parse(await nodePath()));
    const headers = { authorization: `Bearer ${apiKey}` };
    const req = (p: string) => async (): Promise<void> => {
      const res = await platform.fetch(new Request(`http://bench.local${p}`, { headers }));
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
      await res.text();
    };
    const steps: Array<[string, () => Promise<unknown> | unknown]> = [
      ['database round trip: `select 1`', () => sql`select 1`.execute(db)],
      ['API-key lookup from the database (cache evicted each time)', () => (store.apiKeyCache.evictAll(), store.apiKeys.authenticate(apiKey))],
      ['API-key lookup from the process cache (what a request pays within its 1 s TTL)', () => store.apiKeys.authenticate(apiKey)],
      [`list query: \`store.calls.listJson(status=completed, limit 50)\`, the page as one JSON text built by the database (${(page.body.length / 1024).toFixed(0)} KiB)`, () => store.calls.listJson(orgId, { status: ['completed'] }, { limit: 50, filters }, CALL_VIEW_JSON)],
      [`the Node path it replaced: \`store.calls.list\` (pg decodes 51 rows) + callView + JSON.stringify (same objects: ${same ? 'yes' : 'NO'})`, nodePath],
      ['whole request in-process: GET /v1/health', req('/v1/health')],
      ['whole request in-process: GET /v1/calls/{id}', req(`/v1/calls/${callId}`)],
      ['whole request in-process: GET /v1/calls?limit=50&status=completed', req('/v1/calls?limit=50&status=completed')],
      ['whole request in-process: GET /v1/calls?limit=50&agent_id=…', req(`/v1/calls?limit=50&agent_id=${agentId}`)],
    ];
    const onPg = platform.database.engine === 'postgres';
    const backends = onPg ? async (): Promise<number[]> => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid) : null;
    const head = onPg ? ['| step | mean | p50 | p99 | Node CPU | PostgreSQL CPU |', '|---|---:|---:|---:|---:|---:|'] : ['| step | mean | p50 | p99 | CPU (Node + embedded database) |', '|---|---:|---:|---:|---:|'];
    out.push(`Each step alone, one at a time, ${ITERATIONS} iterations after 30 warm-up; wall time and CPU per call in ms:`, '', ...head);
    const row = (label: string, st: Stat): void => void out.push(`| ${label} | ${st.mean.toFixed(2)} | ${st.p50.toFixed(2)} | ${st.p99.toFixed(2)} | ${st.cpu.toFixed(2)} |${onPg ? ` ${st.pgCpu?.toFixed(2) ?? '?'} |` : ''}`);
    for (const [label, fn] of steps) row(label, await time(fn, backends));

    // 3. Experiment (not product code): what the same page would cost if each call's JSON were
    //    stored with the row (kept up to date on every write) instead of built per request. Only
    //    the rows this page reads get the column; it is dropped again afterwards.
    await sql`alter table calls add column bench_json text`.execute(db);
    try {
      await sql`update calls set bench_json = ${CALL_VIEW_JSON} where id in (select id from calls where org_id = ${orgId} and status = 'completed' order by created_at desc, id desc limit 51)`.execute(db);
      const stored = await store.calls.listJson(orgId, { status: ['completed'] }, { limit: 50, filters }, sql<string>`calls.bench_json`);
      if (stored.body !== page.body || stored.nextCursor !== page.nextCursor) throw new Error('stored-JSON experiment: different page');
      out.push('', 'Experiment (same data; not product code):', '', ...head);
      row('list query with each call\'s JSON stored in a column of `calls` (same SQL, `calls.bench_json` instead of CALL_VIEW_JSON; same bytes)', await time(() => store.calls.listJson(orgId, { status: ['completed'] }, { limit: 50, filters }, sql<string>`calls.bench_json`), backends));
    } finally {
      await sql`alter table calls drop column bench_json`.execute(db);
    }
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await platform.close();
  }
}

await main();
