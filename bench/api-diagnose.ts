/**
 * Where does a `GET /v1/calls?limit=50&status=completed` spend its time? Run by `bench/api.ts`
 * after the load (server stopped), on the same seeded database, in its own process:
 *   node --import tsx bench/api-diagnose.ts <orgId> <agentId> <apiKey> <callId>
 * with the server's environment (CALLINGBOX_DATA_DIR, DATABASE_URL).
 *
 * 1. EXPLAIN (ANALYZE, BUFFERS) of the exact SQL Kysely issues for the list (compiled from the same
 *    builder calls as CallRepo.list), for the status and the agent_id filter.
 * 2. Each step of the request timed alone, one at a time (no concurrency): the database round trip
 *    of `select 1`, the API-key lookup, the list query (with pg's row decoding), the row → JSON view
 *    and JSON.stringify, and the whole request through the Hono app in-process (no socket).
 * Prints markdown.
 */
import { CompiledQuery, sql } from 'kysely';
import { loadConfig } from '../packages/server/src/config/config.ts';
import { startPlatform } from '../packages/server/src/main.ts';
import { callView } from '../packages/server/src/api/views.ts';
import { cpuDeltaMs, snapshotCpu } from './proc-cpu.ts';
import { LIST_AS_JSON_SQL } from './list-as-json.ts';

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
    // 1. The plan of the exact list SQL.
    const listSql = (f: 'status' | 'agent'): CompiledQuery => {
      let q = db.selectFrom('calls').selectAll().where('org_id', '=', orgId);
      q = f === 'status' ? q.where('status', 'in', ['completed']) : q.where('agent_id', 'in', [agentId]);
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(51).compile();
    };
    for (const f of ['status', 'agent'] as const) {
      const c = listSql(f);
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${c.sql}`, [...c.parameters]));
      out.push(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}  -- params ${JSON.stringify(c.parameters)}`, '```', ...plan.rows.map((r) => r['QUERY PLAN']), '```', '');
    }

    // 2. Each step alone.
    const filters = { direction: null, agent_id: null, status: ['completed'], to_number: null, from_number: null, created_after: null, created_before: null };
    const page = await store.calls.list(orgId, { status: ['completed'] }, { limit: 50, filters });
    const body = JSON.stringify(page.items.map(callView));
    const headers = { authorization: `Bearer ${apiKey}` };
    const req = (p: string) => async (): Promise<void> => {
      const res = await platform.fetch(new Request(`http://bench.local${p}`, { headers }));
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
      await res.text();
    };
    const steps: Array<[string, () => Promise<unknown> | unknown]> = [
      ['database round trip: `select 1`', () => sql`select 1`.execute(db)],
      ['API-key lookup (`store.apiKeys.authenticate`, one indexed select)', () => store.apiKeys.authenticate(apiKey)],
      ['list query: `store.calls.list(status=completed, limit 50)` (SQL + pg decoding 51 rows)', () => store.calls.list(orgId, { status: ['completed'] }, { limit: 50, filters })],
      ['list query, only `id` column (same plan, no row payload)', () => db.selectFrom('calls').select('id').where('org_id', '=', orgId).where('status', 'in', ['completed']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(51).execute()],
      [`view + JSON.stringify of the 50 rows (${(body.length / 1024).toFixed(0)} KiB of JSON)`, () => JSON.stringify(page.items.map(callView))],
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

    // 3. Experiments for the findings: what the list would cost with the changes proposed there.
    // (a) The whole page as JSON built by the database (json_build_object per row, json_agg), so
    //     Node neither decodes 51 rows nor stringifies them: it passes one text value through.
    const asJson = await db.executeQuery<{ body: string }>(CompiledQuery.raw(LIST_AS_JSON_SQL, [orgId, 'completed']));
    const parsedBack = JSON.parse(asJson.rows[0]!.body) as Array<Record<string, unknown>>;
    const viewKeys = Object.keys(page.items.map(callView)[0]!).sort().join(',');
    if (Object.keys(parsedBack[0]!).sort().join(',') !== viewKeys) throw new Error('LIST_AS_JSON_SQL does not produce the keys of callView');
    const views = page.items.map(callView) as Array<Record<string, unknown>>;
    const differing = new Set<string>();
    views.forEach((v, i) => { for (const k of Object.keys(v)) if (JSON.stringify(v[k]) !== JSON.stringify(parsedBack[i]?.[k])) differing.add(k); });
    out.push('', 'Experiments (same data; not product code):', '', ...head);
    row(`list page built as JSON by the database (\`json_agg(json_build_object(…))\`, ${(asJson.rows[0]!.body.length / 1024).toFixed(0)} KiB), fetched as one text value; fields differing from callView: ${differing.size ? [...differing].join(', ') : 'none'}`, await time(() => db.executeQuery(CompiledQuery.raw(LIST_AS_JSON_SQL, [orgId, 'completed'])), backends));
    // (b) pg's timestamptz parser (postgres-date: a regex per value, ~8 per row) replaced by Date.parse of
    //     the ISO form; pg.types is process-global, so this only changes this diagnostic process.
    const pgTypes = (await import('pg')).default.types;
    const fastTimestamptz = (v: string): Date => new Date(Date.parse(v.replace(' ', 'T') + (/[+-]\d\d$/.test(v) ? ':00' : '')));
    const sample = page.items[0]!.created_at;
    pgTypes.setTypeParser(1184, fastTimestamptz);
    const again = await store.calls.list(orgId, { status: ['completed'] }, { limit: 50, filters });
    if (again.items[0]!.created_at.getTime() !== sample.getTime()) throw new Error('fast timestamptz parser disagrees with postgres-date');
    row('list query with a `Date.parse`-based timestamptz parser instead of postgres-date', await time(() => store.calls.list(orgId, { status: ['completed'] }, { limit: 50, filters }), backends));
    row('whole request in-process, list status=completed, with that parser', await time(req('/v1/calls?limit=50&status=completed'), backends));
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await platform.close();
  }
}

await main();
