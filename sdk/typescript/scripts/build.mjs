// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with .d.ts, by running tsc twice.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...args], { stdio: 'inherit', cwd: root });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('--outDir', join(root, 'dist/esm'));
run('--outDir', join(root, 'dist/cjs'), '--module', 'commonjs', '--moduleResolution', 'node10');
// Node decides a .js file's module system from the nearest package.json.
writeFileSync(join(root, 'dist/cjs/package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
writeFileSync(join(root, 'dist/esm/package.json'), JSON.stringify({ type: 'module' }) + '\n');
console.log('built dist/esm and dist/cjs');
