import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sdkRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the npm package', () => {
  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(sdkRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.name).toBe('callingbox');
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  });

  it('npm pack ships ESM and CJS builds with .d.ts types that load in both module systems', () => {
    // `npm pack` runs the prepack build (tsc twice) first.
    const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts=false'], { cwd: sdkRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    for (const file of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'dist/esm/web/index.js', 'dist/cjs/web/index.d.ts']) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const probe = "const names = ['CallingBox', 'Webhooks', 'tool', 'APIError', 'NotFoundError', 'WebhookVerificationError']; console.log(names.map((n) => typeof m[n]).join(','), new m.CallingBox({ apiKey: 'k', baseUrl: 'http://x.test' }).baseUrl)";
    const cjs = execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(join(sdkRoot, 'dist/cjs/index.js'))}); ${probe}`], { encoding: 'utf8' });
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(sdkRoot, 'dist/esm/index.js'))}); ${probe}`], { encoding: 'utf8' });
    const expected = 'function,function,object,function,function,function http://x.test\n';
    expect(cjs).toBe(expected);
    expect(esm).toBe(expected);

    // The browser client is its own entry point: `callingbox/web`.
    const web = execFileSync(process.execPath, ['--input-type=module', '-e', "const w = await import('callingbox/web'); console.log(typeof w.startWebCall)"], { encoding: 'utf8', cwd: sdkRoot });
    expect(web).toBe('function\n');
    const webCjs = execFileSync(process.execPath, ['-e', "console.log(typeof require('callingbox/web').startWebCall)"], { encoding: 'utf8', cwd: sdkRoot });
    expect(webCjs).toBe('function\n');
  }, 120_000);
});
