/**
 * Rows and checks for `npm run bench:webhooks` (bench-only; nothing in `packages/` uses it).
 *
 * The seed is what a burst of finished calls leaves in the outbox: C calls, each with an inline
 * `webhook_url` (signed with the organisation's secret) and one account endpoint (its own secret),
 * three events per call (ringing, answered, completed) to both: 6 deliveries per call, every one
 * belonging to a call, so each attempt also writes its `webhook_delivery` call event and the
 * terminal inline one sets the call's `webhook_status`. Ids run event by event across calls (all
 * ringing rows, then answered, then completed), as calls that overlap in time write them.
 */
import { sql, type Kysely } from 'kysely';
import { newId } from '../packages/server/src/core/ids.ts';

export const EVENTS = ['call.ringing', 'call.answered', 'call.completed'] as const;
export const DELIVERIES_PER_CALL = EVENTS.length * 2;

export interface Seed {
  endpointSecret: string;
  orgSecret: string;
  calls: number;
  deliveries: number;
}

/**
 * Inserts the endpoint, the calls and their deliveries (three statements). `hold` leases every
 * row to nobody until that time, so a server started later begins at a known instant.
 */
export async function seed(db: Kysely<any>, o: { orgId: string; hookUrl: string; endpointUrl: string; calls: number; hold?: Date }): Promise<Seed> {
  const now = new Date();
  const endpointId = newId('we');
  const endpointSecret = `whsec_${'ab'.repeat(32)}`;
  await sql`insert into webhook_endpoints (id, org_id, url, description, enabled_events, status, consecutive_failures, signing_secret, created_at, updated_at)
    values (${endpointId}, ${o.orgId}, ${o.endpointUrl}, 'bench', '["*"]'::jsonb, 'enabled', 0, ${endpointSecret}, ${now}, ${now})`.execute(db);
  const callIds = Array.from({ length: o.calls }, () => newId('call'));
  await sql`insert into calls (id, org_id, direction, to_number, from_number, status, webhook_url, webhook_status, created_at, updated_at)
    select id, ${o.orgId}, 'inbound', '+15550100', '+15550199', 'completed', ${o.hookUrl}, 'pending', ${now}, ${now} from unnest(${callIds}::text[]) as id`.execute(db);
  const ids: string[] = [];
  const calls: string[] = [];
  const endpoints: Array<string | null> = [];
  const types: string[] = [];
  const urls: string[] = [];
  const created: Date[] = [];
  EVENTS.forEach((type, e) => {
    for (const callId of callIds) {
      for (const ep of [null, endpointId]) {
        ids.push(newId('wd'));
        calls.push(callId);
        endpoints.push(ep);
        types.push(type);
        urls.push(ep ? o.endpointUrl : o.hookUrl);
        created.push(new Date(now.getTime() + e));
      }
    }
  });
  // The envelope of webhooks.md with a ~2 KB call object, built by PostgreSQL from the arrays.
  await sql`insert into webhook_deliveries (id, org_id, endpoint_id, call_id, event_type, url, payload, status, next_attempt_at, locked_until, locked_by, created_at, updated_at)
    select d.id, ${o.orgId}, d.ep, d.call, d.type, d.url,
      jsonb_build_object('id', d.id, 'type', d.type, 'created', extract(epoch from d.at)::bigint, 'api_version', '2026-04',
        'data', jsonb_build_object('call', jsonb_build_object('id', d.call, 'status', 'completed', 'padding', repeat('x', 2000)))),
      'pending', ${now}, ${o.hold ?? null}::timestamptz, ${o.hold ? 'bench-hold' : null}, d.at, d.at
    from unnest(${ids}::text[], ${calls}::text[], ${endpoints}::text[], ${types}::text[], ${urls}::text[], ${created}::timestamptz[]) as d(id, call, ep, type, url, at)`.execute(db);
  const org = await sql<{ webhook_secret: string }>`select webhook_secret from organizations where id = ${o.orgId}`.execute(db);
  return { endpointSecret, orgSecret: org.rows[0]!.webhook_secret, calls: o.calls, deliveries: ids.length };
}

/** What the database says after the run; every number but `delivered` should be 0 or equal N. */
export interface Outcome {
  delivered: number;
  attempts: number;
  attemptedTwice: number;
  deliveryEvents: number;
  callsNotDelivered: number;
}

export async function outcome(db: Kysely<any>): Promise<Outcome> {
  const n = async (q: ReturnType<typeof sql<{ n: number }>>): Promise<number> => (await q.execute(db)).rows[0]!.n;
  return {
    delivered: await n(sql`select count(*)::int as n from webhook_deliveries where status = 'delivered'`),
    attempts: await n(sql`select count(*)::int as n from webhook_attempts`),
    attemptedTwice: await n(sql`select count(*)::int as n from (select delivery_id from webhook_attempts group by delivery_id having count(*) > 1) d`),
    deliveryEvents: await n(sql`select count(*)::int as n from call_events where type = 'webhook_delivery'`),
    callsNotDelivered: await n(sql`select count(*)::int as n from calls where webhook_url is not null and webhook_status <> 'delivered'`),
  };
}
