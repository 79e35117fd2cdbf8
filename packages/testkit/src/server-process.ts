import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freshDatabase } from './databases.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = path.join(REPO_ROOT, 'packages/server/bin/callingbox.mjs');

/** A real `callingbox start` process on a free port and its own database. */
export interface ServerProcess {
  baseUrl: string;
  apiKey: string;
  orgId: string;
  dataDir: string;
  env: Record<string, string>;
  proc: ChildProcess;
  stdout(): string;
  /** SIGTERM and wait (SIGKILL with `{ kill: true }`). */
  stop(opts?: { kill?: boolean }): Promise<void>;
}

/** Starts the server as an operator would and waits for "Listening on …" (bounded in time). */
export async function startServerProcess(opts: { env?: Record<string, string>; timeoutMs?: number; dataDir?: string; databaseUrl?: string } = {}): Promise<ServerProcess> {
  const db = opts.dataDir ? null : await freshDatabase(inject('dbTemplate'));
  const dataDir = opts.dataDir ?? db!.dataDir;
  const databaseUrl = opts.databaseUrl ?? db?.databaseUrl;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    CALLINGBOX_SIP_PORT: '0',
    HOST: '127.0.0.1',
    CALLINGBOX_DATA_DIR: dataDir,
    CALLINGBOX_LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  };
  if (!databaseUrl) delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time.\nstdout:\n${out}\nstderr:\n${err}`)), opts.timeoutMs ?? 60_000);
    const check = (): void => {
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}.\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  // A second server on an already bootstrapped PostgreSQL writes no credentials of its own.
  const credsFile = path.join(dataDir, 'credentials.json');
  const creds = (fs.existsSync(credsFile) ? JSON.parse(fs.readFileSync(credsFile, 'utf8')) : { api_key: '', org_id: '' }) as { api_key: string; org_id: string };
  return {
    baseUrl: url.replace('localhost', '127.0.0.1'),
    apiKey: creds.api_key,
    orgId: creds.org_id,
    dataDir,
    env,
    proc,
    stdout: () => out,
    stop: async ({ kill = false } = {}) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(kill ? 'SIGKILL' : 'SIGTERM');
      await exited;
      if (db && !opts.dataDir) await db.drop();
    },
  };
}
