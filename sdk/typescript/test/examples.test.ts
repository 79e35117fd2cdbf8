import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhooks } from '../src/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

/** Starts an example with the package mapped to its sources; resolves with the first line matching `ready`. */
async function startExample(file: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{ out: () => string; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, ['--conditions=callingbox:source', '--import', 'tsx', join(repoRoot, 'examples', file), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${out}\n${err}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${out}\n${err}`));
    });
  });
  return { out: () => out, match };
}

describe('examples/webhook-receiver.ts', () => {
  it('answers 204 to a signed delivery (once per event id) and 400 to a bad signature', async () => {
    const secret = 'whsec_example';
    const { out, match } = await startExample('webhook-receiver.ts', ['0'], { CALLINGBOX_WEBHOOK_SECRET: secret }, /listening on (http:\/\/\S+)/);
    const url = match[1]!;
    const body = JSON.stringify({
      id: 'wd_1', type: 'call.completed', created: 1, api_version: '2026-04',
      data: { call: { id: 'call_1', status: 'completed', result: { caller_name: 'Ana' } } },
    });
    const post = (signature: string | undefined, payload = body): Promise<Response> =>
      fetch(url, { method: 'POST', body: payload, headers: signature === undefined ? {} : { 'CallingBox-Signature': signature } });

    expect((await post(Webhooks.signatureHeader(body, secret))).status).toBe(204);
    expect((await post(Webhooks.signatureHeader(body, secret))).status).toBe(204); // a retry of the same delivery
    expect((await post(undefined)).status).toBe(400);
    expect((await post(Webhooks.signatureHeader(body, 'whsec_wrong'))).status).toBe(400);
    expect((await post(Webhooks.signatureHeader(body, secret), body.replace('Ana', 'Bob'))).status).toBe(400);
    const lines = out().trim().split('\n').filter((l) => l.startsWith('wd_'));
    expect(lines).toEqual(['wd_1 call.completed call_1 completed {"caller_name":"Ana"}']);
  }, 30_000);
});
