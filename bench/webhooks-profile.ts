/**
 * Summary of a V8 `.cpuprofile` written by a server started with `--cpu-prof`
 * (`npm run bench:webhooks -- --profile`): self time by the library that caused it (native and
 * Node-internal frames count for their nearest library or CallingBox caller), and the top functions.
 */
import fs from 'node:fs';

interface ProfileNode { id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; endTime: number }

function category(url: string, fn: string): string | null {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg && /^(pg|pg-protocol|pg-types|pg-pool|postgres-\w+|pg-connection-string)$/.test(pkg)) return 'pg driver';
  if (pkg === '@electric-sql/pglite' || url.startsWith('wasm://')) return 'PGlite (WASM)';
  if (pkg === 'kysely') return 'Kysely';
  if (pkg === 'undici' || url.includes('deps/undici')) return 'undici (HTTP client)';
  if (pkg) return `package: ${pkg}`;
  const m = /\/packages\/server\/src\/([^/]+)\//.exec(url);
  if (m) return `CallingBox ${m[1]}/`;
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(idle)' || fn === '(program)') return `${fn}`;
  return null; // attributed to the caller
}

/** `lastMs`: only the samples of the profile's last so many milliseconds (the run, not the start-up). */
export function summariseProfile(file: string, lastMs: number, top = 12): string {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at)!.callFrame;
      const c = category(cf.url, cf.functionName);
      if (c) return c;
    }
    return 'Node internals';
  };
  const self = new Map<number, number>();
  let total = 0;
  let t = p.endTime - p.timeDeltas.reduce((a, b) => a + b, 0);
  const from = p.endTime - lastMs * 1000;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from) return;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const c = owner(id);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const where = cf.url ? `${cf.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\/server\//, '')}:${cf.lineNumber + 1}` : 'native';
    const k = `${cf.functionName || '(anonymous)'} ${where}`;
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  const pct = (us: number): string => `${((100 * us) / total).toFixed(1)} %`;
  const out = [`profile ${file} (its last ${(total / 1e6).toFixed(1)} s: the run and the shut-down)`, '| where (self time) | share |', '|---|---:|'];
  for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1]).filter(([, v]) => v / total >= 0.01)) out.push(`| ${k} | ${pct(v)} |`);
  out.push('', '| top functions | share |', '|---|---:|');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`| ${k} | ${pct(v)} |`);
  return out.join('\n');
}
