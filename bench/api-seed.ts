/**
 * Seeds a fresh CallingBox database for `bench/api.ts`: runs in its own short-lived process,
 * because the embedded data dir is locked by one process at a time (the server starts after this
 * one exits). Configuration comes from the same environment the server reads (CALLINGBOX_DATA_DIR,
 * DATABASE_URL), so both see the same database.
 *
 * What it creates: the first-start organisation and API key (credentials.json), AGENTS agents
 * through the store (so their rows and versions are exactly what the API writes), then CALLS call
 * rows with ONE `insert … select … from generate_series` statement, then ANALYZE.
 *
 * Prints one JSON line on stdout: {orgId, agentIds, callId, counts, seedMs, …}.
 */
import { CompiledQuery, sql } from 'kysely';
import { loadConfig } from '../packages/server/src/config/config.ts';
import { startPlatform } from '../packages/server/src/main.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
// Seeded, so two runs store the same distribution (status mix, agents, numbers).
const SEED = 0.42;

/** Eight agents of a small business: three answer the phone, five call out. */
const AGENTS: Array<{ name: string; type: 'inbound' | 'outbound'; persona: string; instructions: string; returns: Record<string, string> | null }> = [
  { name: 'Front desk', type: 'inbound', persona: 'You are the friendly front desk of a small dental practice. You are brief and polite, and you never give medical advice.', instructions: "Take a message: ask for the caller's name, the reason for the call, and a callback number. Confirm them, then say goodbye.", returns: { caller_name: 'string', reason: 'string', callback_number: 'phone' } },
  { name: 'After-hours line', type: 'inbound', persona: 'You answer the phone for a plumbing company outside business hours. Calm, practical, reassuring.', instructions: 'Find out whether this is an emergency (water leaking, no heating). For emergencies, collect the address and a callback number and promise a call within 30 minutes; otherwise offer the next business day.', returns: { caller_name: 'string', emergency: 'boolean', address: 'string', callback_number: 'phone' } },
  { name: 'Order status', type: 'inbound', persona: 'You are the order-status assistant of an online furniture shop.', instructions: 'Ask for the order number, read back the delivery window from the context, and offer to reschedule. Never promise refunds.', returns: { order_number: 'string', wants_reschedule: 'boolean' } },
  { name: 'Appointment reminders', type: 'outbound', persona: 'You call patients of a dental practice to confirm tomorrow\'s appointment. Warm, short, efficient.', instructions: 'Greet the patient by name, state the appointment time from the context, and ask them to confirm, cancel or reschedule. If voicemail, leave a short message with the practice number.', returns: { confirmed: 'boolean', reschedule_requested: 'boolean' } },
  { name: 'Delivery scheduling', type: 'outbound', persona: 'You schedule furniture deliveries. Friendly and precise about dates.', instructions: 'Offer the two delivery windows in the context and record the one the customer picks. Confirm the address.', returns: { window: 'string', address_confirmed: 'boolean' } },
  { name: 'Feedback survey', type: 'outbound', persona: 'You run a two-minute satisfaction survey after a service visit.', instructions: 'Ask for a score from 1 to 10 and one sentence of feedback. Thank them. Do not argue with complaints; record them.', returns: { score: 'integer', comment: 'string' } },
  { name: 'Lead qualification', type: 'outbound', persona: 'You call people who asked for a quote on the website of a solar installer.', instructions: 'Confirm interest, ask about roof type, monthly electricity bill and preferred call-back time. Keep it under three minutes.', returns: { interested: 'boolean', roof_type: 'string', monthly_bill_usd: 'number', callback_time: 'string' } },
  { name: 'Payment reminder', type: 'outbound', persona: 'You remind customers politely that an invoice is due.', instructions: 'State the invoice number and amount from the context, offer the payment link by SMS, and note any dispute.', returns: { will_pay: 'boolean', dispute: 'string' } },
];

async function main(): Promise<void> {
  const t0 = performance.now();
  const config = loadConfig({ ...process.env, CALLINGBOX_DEMO: 'false', PORT: '0' });
  const platform = await startPlatform(config, { listen: false });
  try {
    const { store } = platform;
    if (!platform.firstStart) throw new Error('bench seed expects an empty database (it bootstraps the organisation)');
    const orgId = platform.firstStart.orgId;
    const agentIds: string[] = [];
    for (const a of AGENTS) {
      const row = await store.agents.create(orgId, {
        ...a, user_id: null, voice: 'alloy', language: 'en', tools: [{ type: 'builtin', name: 'end_call' }], webhook_url: 'https://hooks.example.com/callingbox',
        voicemail_action: a.type === 'outbound' ? 'leave_message' : 'hangup', voicemail_message: a.type === 'outbound' ? 'Sorry we missed you; we will call again tomorrow.' : null,
        first_message: null, timezone: 'America/New_York', settings: {}, number_ids: [], primary_number_id: null,
      });
      agentIds.push(row.id);
    }
    const tAgents = performance.now();
    // One transaction pins one connection, so setseed() applies to the insert's random() calls.
    await store.db.transaction().execute(async (trx) => {
      await sql`select setseed(${SEED})`.execute(trx);
      await trx.executeQuery(CompiledQuery.raw(SEED_SQL, [orgId, CALLS]));
    });
    const tInsert = performance.now();
    await sql`analyze calls`.execute(store.db);
    const tAnalyze = performance.now();
    const counts = await sql<{ status: string; n: string }>`select status, count(*)::text as n from calls group by status order by 2 desc`.execute(store.db);
    const perAgent = await sql<{ agent_id: string; n: string }>`select agent_id, count(*)::text as n from calls group by agent_id order by 2 desc`.execute(store.db);
    const newest = await sql<{ id: string }>`select id from calls where org_id = ${orgId} order by created_at desc, id desc limit 1 offset 500`.execute(store.db);
    const size = await sql<{ bytes: string }>`select pg_total_relation_size('calls')::text as bytes`.execute(store.db);
    process.stdout.write(JSON.stringify({
      orgId, agentIds, callId: newest.rows[0]!.id, engine: platform.database.engine,
      counts: Object.fromEntries(counts.rows.map((r) => [r.status, Number(r.n)])),
      perAgent: Object.fromEntries(perAgent.rows.map((r) => [r.agent_id, Number(r.n)])),
      callsTableBytes: Number(size.rows[0]!.bytes),
      ms: { open: Math.round(tAgents - t0), insert: Math.round(tInsert - tAgents), analyze: Math.round(tAnalyze - tInsert) },
    }) + '\n');
  } finally {
    await platform.close();
  }
}

/** SQL for the 10-character Crockford base32 time part of a ULID (48-bit milliseconds, 5 bits a character). */
function ulidTime(ts: string): string {
  const ms = `floor(extract(epoch from ${ts}) * 1000)::bigint`;
  const chars = Array.from({ length: 10 }, (_, i) => `substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((${ms} >> ${5 * (9 - i)}) & 31)::int + 1, 1)`);
  return chars.join(' || ');
}

/**
 * The calls, in one statement. Rows are built in three steps: `r` draws the random numbers per row
 * (a CTE, so volatile random() is evaluated per row), `s` derives the status, direction and times,
 * the final select builds JSON and the ULID-shaped id (`call_` + 10 chars of Crockford base32 time
 * + 16 hex chars, which are valid Crockford characters).
 * Distribution: agents skewed (the first ones busier), 62 % completed, then no_answer, busy, failed,
 * canceled; a few live calls (created in the last 10 minutes); created_at spread over 90 days;
 * customer numbers drawn from 20,000 so a number filter finds a handful of calls.
 */
const SEED_SQL = `
with ag as (
  select id, type, json_build_object('persona', persona, 'instructions', instructions, 'returns', returns, 'language', language, 'voice', voice, 'timezone', timezone) as snapshot,
    row_number() over (order by created_at, id) - 1 as k, count(*) over () as n
  from agents where org_id = $1
), r as materialized (
  select g, random() as r_agent, random() as r_status, random() as r_num, random() as r_dur, random() as r_time, random() as r_misc
  from generate_series(1, $2::int) g
), s as (
  select r.*, ag.id as agent_id, ag.type as direction, ag.snapshot, ag.k,
    case
      when r_status < 0.62 then 'completed'
      when r_status < 0.74 then case when ag.type = 'outbound' then 'no_answer' else 'completed' end
      when r_status < 0.80 then case when ag.type = 'outbound' then 'busy' else 'canceled' end
      when r_status < 0.86 then 'failed'
      when r_status < 0.92 then 'canceled'
      when r_status < 0.94 then 'in_progress'
      when r_status < 0.95 then 'ringing'
      when r_status < 0.96 then 'initiated'
      when r_status < 0.97 then 'queued'
      else 'completed'
    end as status
  from r
  join ag on ag.k = floor(power(r.r_agent, 1.6) * ag.n)
), t as (
  select s.*,
    case when status in ('in_progress', 'ringing', 'initiated', 'queued') then now() - r_time * interval '10 minutes'
         else now() - interval '10 minutes' - r_time * interval '90 days' end as created_at,
    (20 + floor(r_dur * r_dur * 600))::int as dur,
    '+1' || (2012000000 + floor(r_num * 20000)::bigint * 379)::text as customer,
    '+1415555' || lpad((100 + k)::text, 4, '0') as our_number
  from s
)
insert into calls (id, org_id, agent_id, agent_version, direction, to_number, from_number, status, answered_by, snapshot, context,
  result, result_status, result_error, webhook_url, webhook_status, webhook_error, started_at, answered_at, ended_at, duration_seconds,
  billed_duration_seconds, billing_amount_milli_cents, reservation_status, error_code, error_message, hangup_cause, ended_by, metadata,
  latency, recording_path, worker_id, heartbeat_at, created_at, updated_at)
select
  'call_' || ${ulidTime('t.created_at')} || upper(substr(md5(g::text || '-' || r_misc::text), 1, 16)),
  $1,
  agent_id, 1, direction,
  case when direction = 'inbound' then our_number else customer end,
  case when direction = 'inbound' then customer else our_number end,
  status,
  case when status = 'completed' then (case when direction = 'outbound' and r_misc < 0.15 then 'machine' else 'human' end) end,
  snapshot,
  case when direction = 'outbound' then jsonb_build_object('customer_name', 'Customer ' || (g % 5000), 'reference', 'REF-' || (100000 + g), 'preferred_language', 'en') end,
  case when status = 'completed' and r_misc >= 0.1 then jsonb_build_object('confirmed', r_misc > 0.4, 'comment', 'Customer asked to be called after 5 pm on weekdays.', 'score', 1 + floor(r_misc * 10)) end,
  case when status = 'completed' then (case when r_misc < 0.1 then 'failed' else 'completed' end) when status in ('in_progress', 'ringing', 'initiated', 'queued') then 'pending' else 'failed' end,
  case when status = 'completed' and r_misc < 0.1 then 'The conversation ended before the required fields were collected.' end,
  'https://hooks.example.com/callingbox',
  case when status in ('in_progress', 'ringing', 'initiated', 'queued') then 'none' when r_misc < 0.02 then 'failed' else 'delivered' end,
  case when status not in ('in_progress', 'ringing', 'initiated', 'queued') and r_misc < 0.02 then 'HTTP 503 after 8 attempts' end,
  case when status <> 'queued' then created_at + interval '300 milliseconds' end,
  case when status in ('completed', 'in_progress') then created_at + interval '4 seconds' end,
  case when status not in ('in_progress', 'ringing', 'initiated', 'queued') then created_at + (case when status = 'completed' then dur else 30 end) * interval '1 second' end,
  case when status = 'completed' then dur when status not in ('in_progress', 'ringing', 'initiated', 'queued') then 0 end,
  case when status = 'completed' then ceil(dur / 60.0)::int * 60 when status not in ('in_progress', 'ringing', 'initiated', 'queued') then 0 end,
  case when status = 'completed' then (ceil(dur / 60.0)::int * 1500)::bigint when status not in ('in_progress', 'ringing', 'initiated', 'queued') then 0 end,
  case when status in ('in_progress', 'ringing', 'initiated', 'queued') then 'reserved' else 'settled' end,
  case when status = 'failed' then 'sip_503' end,
  case when status = 'failed' then 'The carrier answered 503 Service Unavailable.' end,
  case when status not in ('in_progress', 'ringing', 'initiated', 'queued') then (case when status = 'completed' then 'normal_clearing' when status = 'busy' then 'user_busy' when status = 'no_answer' then 'no_answer' else 'call_rejected' end) end,
  case when status = 'completed' then (case when r_misc < 0.5 then 'caller' else 'agent' end) when status = 'canceled' then 'api' when status in ('failed', 'busy', 'no_answer') then 'system' end,
  case when r_misc < 0.3 then jsonb_build_object('crm_id', 'crm-' || (g % 9000), 'campaign', 'autumn-' || (g % 7)) end,
  case when status = 'completed' then jsonb_build_object('p50_ms', 550 + floor(r_dur * 300), 'p95_ms', 1100 + floor(r_dur * 900)) end,
  null,
  case when status in ('in_progress', 'ringing', 'initiated') then 'worker-1' end,
  case when status in ('in_progress', 'ringing', 'initiated') then now() end,
  created_at,
  created_at + (case when status in ('in_progress', 'ringing', 'initiated', 'queued') then 0 else dur + 2 end) * interval '1 second'
from t`;

await main();
