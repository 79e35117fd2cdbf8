import { sql, type RawBuilder } from 'kysely';
import { NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { CallEventsTable, CallsTable, CallStatus, TranscriptSegmentsTable } from '../schema.ts';
import { jsonb, orderedJson } from '../jsonb.ts';
import type { RepoDeps } from '../store.ts';
import { encodeCursor, keysetPage, keysetQuery, type Page, type PageRequest } from '../pagination.ts';

export interface CallFilter {
  direction?: Array<'inbound' | 'outbound'> | undefined;
  agent_id?: string[] | undefined;
  status?: CallStatus[] | undefined;
  to_number?: string[] | undefined;
  from_number?: string[] | undefined;
  created_after?: Date | undefined;
  created_before?: Date | undefined;
}

export type CallInsert = Partial<CallsTable> & Pick<CallsTable, 'org_id' | 'direction' | 'to_number' | 'status'>;

export interface UsageRow {
  date: string;
  direction: 'inbound' | 'outbound';
  calls: number;
  billed_seconds: number;
  amount_milli_cents: number;
}

/** A page as one JSON array text, built by the database, and the next page's cursor. */
export interface JsonPage {
  body: string;
  nextCursor: string | null;
}

const JSON_COLUMNS = ['snapshot', 'context', 'result', 'metadata', 'latency'] as const;

// A list page needs only the snapshot fields the call object shows, not its tools, settings and
// persona-sized texts: decoding whole snapshots of 50 rows is most of a list request's CPU.
const LISTED_SNAPSHOT = sql<CallsTable['snapshot']>`json_build_object('persona', snapshot->'persona', 'instructions', snapshot->'instructions', 'returns', snapshot->'returns', 'language', snapshot->'language', 'voice', snapshot->'voice', 'timezone', snapshot->'timezone')`;
const LISTED_COLUMNS = [
  'id', 'org_id', 'agent_id', 'agent_version', 'direction', 'to_number', 'from_number', 'status', 'answered_by', 'context', 'result',
  'result_status', 'result_error', 'webhook_url', 'webhook_status', 'webhook_error', 'started_at', 'answered_at', 'ended_at',
  'duration_seconds', 'billed_duration_seconds', 'billing_amount_milli_cents', 'reservation_status', 'error_code', 'error_message',
  'hangup_cause', 'ended_by', 'metadata', 'latency', 'recording_path', 'redacted_at', 'worker_id', 'heartbeat_at', 'created_at', 'updated_at',
] as const;

export class CallRepo {
  constructor(private readonly d: RepoDeps) {}

  /** Inserts a call row (the routing and dispatch code paths, and tests until they exist). */
  async insert(input: CallInsert): Promise<CallsTable> {
    const now = new Date(this.d.clock.now());
    const values: Record<string, unknown> = { id: newId('call', now.getTime()), created_at: now, updated_at: now, snapshot: {}, ...input };
    for (const c of JSON_COLUMNS) if (values[c] !== undefined && values[c] !== null) values[c] = c === 'snapshot' ? orderedJson(values[c]) : jsonb(values[c]);
    await this.d.db.insertInto('calls').values(values as never).execute();
    return this.getAny(values.id as string);
  }

  async getAny(id: string): Promise<CallsTable> {
    const row = await this.d.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('call', id);
    return row;
  }

  async get(orgId: string, id: string): Promise<CallsTable> {
    const row = await this.d.db.selectFrom('calls').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('call', id);
    return row;
  }

  async list(orgId: string, f: CallFilter, page: PageRequest): Promise<Page<CallsTable>> {
    return keysetPage(this.filtered(orgId, f).select(LISTED_COLUMNS).select(LISTED_SNAPSHOT.as('snapshot')), page);
  }

  /**
   * The same page as `list`, as one JSON array text built by the database from `rowJson` (an
   * expression over the current `calls` row, e.g. the public call object), and the same cursor:
   * the keyset query is `list`'s, and the cursor is encoded from the last row's `created_at` as the
   * driver decodes it, exactly as `toPage` does.
   */
  async listJson(orgId: string, f: CallFilter, page: PageRequest, rowJson: RawBuilder<string>): Promise<JsonPage> {
    const rows = keysetQuery(
      this.filtered(orgId, f).select(['created_at', 'id', rowJson.as('json'), sql<string>`row_number() over (order by created_at desc, id desc)`.as('n')]),
      page,
    );
    const limit = page.limit;
    const r = await this.d.db
      .selectFrom(rows.as('p'))
      .select([
        sql<string>`'[' || coalesce(string_agg(p.json, ',' order by p.n) filter (where p.n <= ${limit}), '') || ']'`.as('body'),
        sql<boolean>`count(*) > ${limit}`.as('more'),
        sql<Date | null>`max(p.created_at) filter (where p.n = ${limit})`.as('last_created_at'),
        sql<string | null>`max(p.id) filter (where p.n = ${limit})`.as('last_id'),
      ])
      .executeTakeFirstOrThrow();
    const next = r.more && r.last_created_at && r.last_id ? encodeCursor({ createdAt: r.last_created_at, id: r.last_id }, page.filters) : null;
    return { body: r.body, nextCursor: next };
  }

  /** Calls of the organisation matching the filter (no order, no limit). */
  private filtered(orgId: string, f: CallFilter) {
    let q = this.d.db.selectFrom('calls').where('org_id', '=', orgId);
    if (f.direction?.length) q = q.where('direction', 'in', f.direction);
    if (f.agent_id?.length) q = q.where('agent_id', 'in', f.agent_id);
    if (f.status?.length) q = q.where('status', 'in', f.status);
    if (f.to_number?.length) q = q.where('to_number', 'in', f.to_number);
    if (f.from_number?.length) q = q.where('from_number', 'in', f.from_number);
    if (f.created_after) q = q.where('created_at', '>=', f.created_after);
    if (f.created_before) q = q.where('created_at', '<', f.created_before);
    return q;
  }

  async transcript(orgId: string, callId: string): Promise<TranscriptSegmentsTable[]> {
    await this.get(orgId, callId);
    return this.d.db.selectFrom('transcript_segments').selectAll().where('call_id', '=', callId).orderBy('sequence_no').execute();
  }

  async addSegment(seg: TranscriptSegmentsTable): Promise<void> {
    await this.d.db.insertInto('transcript_segments').values(seg).execute();
  }

  /** Appends an event to the call's timeline with the next sequence number. */
  async addEvent(call: Pick<CallsTable, 'id' | 'org_id'>, type: string, data: Record<string, unknown>): Promise<CallEventsTable> {
    return this.d.tx(async (s) => {
      // Lock the call so two writers (the lifecycle, the webhook worker) never take the same
      // sequence number on PostgreSQL; PGlite serialises everything anyway.
      await s.db.selectFrom('calls').select('id').where('id', '=', call.id).forUpdate().execute();
      const last = await s.db.selectFrom('call_events').select((eb) => eb.fn.max('sequence_no').as('n')).where('call_id', '=', call.id).executeTakeFirst();
      const at = new Date(this.d.clock.now());
      const row = { id: newId('cev', at.getTime()), org_id: call.org_id, call_id: call.id, sequence_no: Number(last?.n ?? 0) + 1, type, at, data: data as CallEventsTable['data'] };
      await s.db.insertInto('call_events').values({ ...row, data: jsonb(data as CallEventsTable['data']) }).execute();
      return row;
    });
  }

  /** The call's events, oldest first, after an optional sequence number (their cursor). */
  async events(orgId: string, callId: string, afterSeq: number, limit: number): Promise<CallEventsTable[]> {
    await this.get(orgId, callId);
    return this.d.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).where('sequence_no', '>', afterSeq).orderBy('sequence_no').limit(limit).execute();
  }

  /** Calls per UTC day and direction, for `GET /v1/usage`. */
  async usage(orgId: string, from: Date, toExclusive: Date): Promise<UsageRow[]> {
    const day = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
    const rows = await this.d.db
      .selectFrom('calls')
      .select([
        day.as('date'),
        'direction',
        (eb) => eb.fn.countAll<string>().as('calls'),
        sql<string>`coalesce(sum(billed_duration_seconds), 0)`.as('billed_seconds'),
        sql<string>`coalesce(sum(billing_amount_milli_cents), 0)`.as('amount_milli_cents'),
      ])
      .where('org_id', '=', orgId)
      .where('created_at', '>=', from)
      .where('created_at', '<', toExclusive)
      .groupBy([day, 'direction'])
      .orderBy('date')
      .orderBy('direction')
      .execute();
    return rows.map((r) => ({ date: r.date, direction: r.direction, calls: Number(r.calls), billed_seconds: Number(r.billed_seconds), amount_milli_cents: Number(r.amount_milli_cents) }));
  }
}
