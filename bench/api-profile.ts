/**
 * CPU profile of the server while it answers one request under load (`npm run bench:api -- --profile`).
 * Runs in its own process with the server's environment: starts the platform the way the CLI does
 * (`startPlatform(config, { listen: true })`), starts the V8 profiler, drives the request with
 * autocannon in a CHILD process (so the load generator is not in the profile), stops the profiler,
 * and prints where the server's CPU went: self time grouped by library, and the top functions.
 *
 *   node --import tsx bench/api-profile.ts <path> <apiKey> <connections> <durationS>
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import { loadConfig } from '../packages/server/src/config/config.ts';
import { startPlatform } from '../packages/server/src/main.ts';

const [reqPath, apiKey, connections, durationS] = process.argv.slice(2) as [string, string, string, string];
const ROOT = path.resolve(import.meta.dirname, '..');
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface ProfileNode { id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Which part of the stack a function belongs to, from its script URL. */
function category(url: string, fn: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg && /^(pg|pg-protocol|pg-types|pg-pool|postgres-date|postgres-array|postgres-interval|postgres-bytea|pg-connection-string)$/.test(pkg)) return 'pg driver (protocol, row decoding, timestamptz parsing)';
  if (pkg === '@electric-sql/pglite') return 'PGlite (embedded database, WASM)';
  if (pkg === 'kysely') return 'Kysely (query building/compiling)';
  if (pkg === 'hono' || pkg === '@hono/node-server' || pkg === '@hono/zod-openapi' || url.includes('deps/undici')) return 'HTTP layer (Hono, @hono/node-server, fetch Request/Response)';
  if (pkg === 'zod') return 'zod (request validation)';
  if (pkg) return `other package: ${pkg}`;
  if (url.includes('/packages/server/src/')) return 'CallingBox code (routes, views, repos, middleware)';
  if (url.startsWith('wasm://')) return 'PGlite (embedded database, WASM)';
  if (url.startsWith('node:')) return /stream|net|http|_http/.test(url) ? 'Node HTTP + sockets (JS side)' : 'Node internals (other)';
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(idle)') return 'idle (waiting for the database/socket)';
  if (fn === 'writev' || fn === 'writeUtf8String' || fn === 'writeBuffer') return 'socket writes (native)';
  return `native/V8: ${fn || '(anonymous)'}`;
}

/**
 * Self time grouped by the library that caused it: a sample in a native or Node-internal frame
 * (Buffer slicing, the socket write, JSON.stringify) counts for the nearest caller that is a
 * library or CallingBox code, so "pg driver" includes the Buffer work pg asked for.
 */
function summarise(p: Profile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = owner.get(id);
    if (cached) return cached;
    const cf = byId.get(id)!.callFrame;
    let c = category(cf.url, cf.functionName);
    const attributable = c.startsWith('native/V8') || c.startsWith('Node ') || c === 'socket writes (native)';
    if (attributable && parent.has(id) && !['(root)', '(program)'].includes(cf.functionName)) {
      const up = ownerOf(parent.get(id)!);
      if (!up.startsWith('native/V8: (root)')) c = up.startsWith('native/V8') || up.startsWith('Node ') ? c : up;
    }
    owner.set(id, c);
    return c;
  };
  const self = new Map<number, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const c = ownerOf(id);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const where = cf.url ? `${cf.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\/server\//, '')}:${cf.lineNumber + 1}` : 'native';
    const k = `\`${cf.functionName || '(anonymous)'}\` ${where}`;
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  const pct = (us: number): string => `${((100 * us) / total).toFixed(1)} %`;
  const out = ['| where (self time; native and Node-internal frames counted for the library that called them) | share of profile |', '|---|---:|'];
  for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1]).filter(([, v]) => v / total >= 0.005)) out.push(`| ${k} | ${pct(v)} |`);
  out.push('', 'Top functions by self time:', '', '| function | share |', '|---|---:|');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`| ${k} | ${pct(v)} |`);
  return out.join('\n');
}

function runAutocannon(url: string): Promise<{ requests: { total: number; average: number }; latency: { p50: number; p99: number } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '-j', '-c', connections, '-d', durationS, '-H', `authorization=Bearer ${apiKey}`, url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const platform = await startPlatform(loadConfig(), { listen: true });
  const url = `http://127.0.0.1:${platform.port}${reqPath}`;
  const session = new inspector.Session();
  session.connect();
  try {
    await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.text());
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await session.post('Profiler.start');
    const r = await runAutocannon(url);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(
      `Profiled \`GET ${reqPath}\` (${connections} connections, ${durationS} s, autocannon in a child process): ${r.requests.total} requests, ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms; ` +
        `server process CPU ${(cpuMs / r.requests.total).toFixed(2)} ms per request (${((100 * cpuMs) / wallMs).toFixed(0)} % of one core over the run; profiler overhead included).\n\n${summarise(profile)}\n`,
    );
  } finally {
    session.disconnect();
    await platform.close();
  }
}

await main();
