import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Store } from './store/store.ts';
import { DEFAULT_AREA_CODE, listSandboxNumbers } from './telephony/sandbox/inventory.ts';

/** What the first start of an empty installation created. */
export interface FirstStart {
  orgId: string;
  apiKey: string;
  credentialsPath: string;
  demo: { numberId: string; e164: string; agentId: string } | null;
}

export const DEMO_AGENT = {
  name: 'Front desk',
  type: 'inbound' as const,
  persona: 'You are the friendly front desk of a small dental practice. You are brief and polite, and you never give medical advice.',
  instructions: "Take a message: ask for the caller's name, the reason for the call, and a callback number. Confirm them, then say goodbye.",
  first_message: 'Hello, you have reached the front desk. May I have your name, please?',
  returns: { caller_name: 'string', reason: 'string', callback_number: 'phone' },
};

// A fixed lock id so two server processes on one PostgreSQL never bootstrap twice.
const BOOTSTRAP_LOCK_ID = 7_311_001;

/** Writes `credentials.json` (mode 0600) so the CLI and the SDKs work without copying the key. */
export function writeCredentials(dataDir: string, c: { apiKey: string; baseUrl: string; orgId: string; createdAt: Date }): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'credentials.json');
  const body = JSON.stringify({ api_key: c.apiKey, base_url: c.baseUrl, org_id: c.orgId, created_at: c.createdAt.toISOString() }, null, 2) + '\n';
  fs.writeFileSync(file, body, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/**
 * On an installation with no organisation: creates one with a key, writes credentials.json, and
 * (unless disabled) buys a sandbox number and attaches the demo "Front desk" agent to it.
 */
export async function bootstrapIfEmpty(store: Store, opts: { dataDir: string; baseUrl: string; seedDemo: boolean; timezone: string }): Promise<FirstStart | null> {
  return store.transaction(async (s) => {
    await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`.execute(s.db);
    if ((await s.orgs.count()) > 0) return null;
    const org = await s.orgs.create('Default');
    const { secret } = await s.apiKeys.create(org.id, 'default', null);
    let demo: FirstStart['demo'] = null;
    if (opts.seedDemo) {
      const taken = await s.numbers.activeWithPrefix(`+1${DEFAULT_AREA_CODE}`);
      const [available] = listSandboxNumbers({ areaCode: DEFAULT_AREA_CODE, limit: 1, taken });
      if (available) {
        const num = await s.numbers.create(org.id, { e164: available.phone_number, friendly_name: 'Demo line', country_code: 'US', number_type: 'local', carrier: 'sandbox', sip_trunk_id: null, monthly_cost_cents: 0 });
        const agent = await s.agents.create(org.id, {
          ...DEMO_AGENT, user_id: null, voice: null, language: 'en', tools: [{ type: 'builtin', name: 'end_call' }], webhook_url: null,
          voicemail_action: 'hangup', voicemail_message: null, timezone: opts.timezone, settings: {}, number_ids: [num.id], primary_number_id: num.id,
        });
        demo = { numberId: num.id, e164: num.e164, agentId: agent.id };
      }
    }
    const credentialsPath = writeCredentials(opts.dataDir, { apiKey: secret, baseUrl: opts.baseUrl, orgId: org.id, createdAt: org.created_at });
    return { orgId: org.id, apiKey: secret, credentialsPath, demo };
  });
}
