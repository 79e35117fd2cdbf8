import path from 'node:path';
import type { Config } from '../config/config.ts';
import { startPlatform } from '../main.ts';
import { VERSION } from '../version.ts';

/** `callingbox start`: runs until SIGINT/SIGTERM. */
export async function runStart(config: Config): Promise<number> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const rel = path.relative(process.cwd(), config.dataDir) || '.';
  say(`CallingBox ${VERSION}`);
  say(config.databaseUrl ? `Database: PostgreSQL at ${redact(config.databaseUrl)}` : `Database: embedded PGlite in ${rel}/db (set DATABASE_URL=postgres://… for a server)`);
  const platform = await startPlatform(config, { listen: true, say });
  if (config.webhooks.allowPrivate) say('Webhooks and HTTP tools may reach private addresses (development default; NODE_ENV=production or CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS=false refuses them).');
  const fs = platform.firstStart;
  if (fs) {
    say('');
    say(`First start: created organisation ${fs.orgId}.`);
    say(`  API key (shown once): ${fs.apiKey}`);
    say(`  Saved to ${path.relative(process.cwd(), fs.credentialsPath)} (mode 0600); the CLI and the SDKs read it.`);
    if (fs.demo) say(`  Demo number ${fs.demo.e164} answers with the inbound agent "Front desk" (${fs.demo.agentId}).`);
    say('');
  }
  if (platform.sipPort !== null) say(`SIP on udp/tcp ${config.sipHost}:${platform.sipPort}`);
  say(`Listening on ${platform.url}  (API /v1, OpenAPI /v1/openapi.json, health /v1/health)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('Shutting down…');
  await platform.close();
  return 0;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
