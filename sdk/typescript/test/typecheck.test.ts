/**
 * Runs tsc over the SDK, its tests and the examples, so the type-level checks (the SDK's types
 * against the OpenAPI document in openapi-types.test.ts, strict mode, DOM typings of
 * `callingbox/web`) are part of `npm test` and CI, not only of an editor.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const sdkRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');

it('type-checks with tsc (strict)', async () => {
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(sdkRoot, 'tsconfig.json')], { cwd: sdkRoot }).catch(
    (e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? String(e), code: e.code }),
  );
  expect('code' in result ? result.stdout : '').toBe('');
}, 120_000);
