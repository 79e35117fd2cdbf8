import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { NumbersTable } from '../schema.ts';
import { pgConstraint, pgErrorCode, type RepoDeps } from '../store.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

export interface NumberCreate {
  e164: string;
  friendly_name: string | null;
  country_code: string;
  number_type: 'local' | 'toll_free';
  carrier: 'sandbox' | 'sip' | 'twilio';
  sip_trunk_id: string | null;
  monthly_cost_cents: number;
}

export class NumberRepo {
  constructor(private readonly d: RepoDeps) {}

  /** Adds an active number; an E.164 already active anywhere in the installation is a 409. */
  async create(orgId: string, input: NumberCreate): Promise<NumbersTable> {
    const now = new Date(this.d.clock.now());
    const row: NumbersTable = { ...input, id: newId('pn'), org_id: orgId, status: 'active', purchased_at: now, released_at: null, created_at: now, updated_at: now };
    try {
      await this.d.db.insertInto('numbers').values(row).execute();
    } catch (e) {
      if (pgErrorCode(e) === '23505' && pgConstraint(e) === 'numbers_one_active_e164') {
        throw new ConflictError(`${input.e164} is not available: it is already in use.`, 'conflict', 'phone_number');
      }
      throw e;
    }
    return row;
  }

  async get(orgId: string, id: string): Promise<NumbersTable> {
    const row = await this.d.db.selectFrom('numbers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('number', id);
    return row;
  }

  async getMany(orgId: string, ids: string[]): Promise<NumbersTable[]> {
    if (ids.length === 0) return [];
    return this.d.db.selectFrom('numbers').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
  }

  async list(orgId: string, status: Array<'active' | 'released'>, page: PageRequest): Promise<Page<NumbersTable>> {
    let q = this.d.db.selectFrom('numbers').selectAll().where('org_id', '=', orgId).where('status', 'in', status);
    return keysetPage(q, page);
  }

  /** E.164 numbers active in the whole installation with this prefix (sandbox availability). */
  async activeWithPrefix(prefix: string): Promise<Set<string>> {
    const rows = await this.d.db.selectFrom('numbers').select('e164').where('status', '=', 'active').where('e164', 'like', `${prefix}%`).execute();
    return new Set(rows.map((r) => r.e164));
  }

  /** The active number with this E.164, in any organisation (inbound routing). */
  async findActiveByE164(e164: string): Promise<NumbersTable | undefined> {
    return this.d.db.selectFrom('numbers').selectAll().where('e164', '=', e164).where('status', '=', 'active').executeTakeFirst();
  }

  async update(orgId: string, id: string, patch: { friendly_name?: string | null | undefined }): Promise<NumbersTable> {
    const row = await this.get(orgId, id);
    if (patch.friendly_name === undefined) return row;
    const updated_at = new Date(this.d.clock.now());
    await this.d.db.updateTable('numbers').set({ friendly_name: patch.friendly_name, updated_at }).where('id', '=', id).execute();
    return { ...row, friendly_name: patch.friendly_name, updated_at };
  }

  /** Releases: detaches from every agent, status `released`, no longer routes. Twice is a no-op. */
  async release(orgId: string, id: string): Promise<NumbersTable> {
    return this.d.tx(async (s) => {
      const row = await s.numbers.get(orgId, id);
      if (row.status === 'released') return row;
      const now = new Date(this.d.clock.now());
      await s.db.deleteFrom('agent_numbers').where('number_id', '=', id).execute();
      await s.db.updateTable('numbers').set({ status: 'released', released_at: now, updated_at: now }).where('id', '=', id).execute();
      return { ...row, status: 'released', released_at: now, updated_at: now };
    });
  }

  async countUsingTrunk(trunkId: string): Promise<number> {
    const r = await this.d.db.selectFrom('numbers').select((eb) => eb.fn.countAll<string>().as('n')).where('sip_trunk_id', '=', trunkId).where('status', '=', 'active').executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
