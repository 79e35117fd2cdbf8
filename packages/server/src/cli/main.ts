import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.ts';
import { DataDirLockedError } from '../store/open-database.ts';
import { runOrgCommand } from './org.ts';
import { runStart } from './start.ts';
import { runOpenapi } from './openapi.ts';
import { runCall } from './call.ts';

const USAGE = `Usage: callingbox <command>

  start                       run the platform (HTTP API on PORT, default 8080)
  org create --name <name>    create an organisation and print its first API key
  org list                    list organisations
  call <number> [--wav f] [--record f] [--dtmf 1#] [--to sip:…]
                              place a real SIP call to the local server (or --to)
  openapi                     print the OpenAPI 3.1 document

Environment: PORT, CALLINGBOX_DATA_DIR (default ./.callingbox), DATABASE_URL (postgres://…; default embedded).`;

/** Runs a CLI command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await runStart(loadConfig());
      case 'org': {
        const [sub, ...args] = rest;
        const { values } = parseArgs({ args, options: { name: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
        return await runOrgCommand(loadConfig(), sub, values);
      }
      case 'call': {
        const config = loadConfig();
        return await runCall(rest, { dataDir: config.dataDir, sipPortFallback: config.sipPort });
      }
      case 'openapi':
        return await runOpenapi(loadConfig());
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`callingbox: unknown command '${command}'.\n\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) {
      process.stderr.write(`callingbox: ${e.message}\n`);
      return 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`callingbox: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
