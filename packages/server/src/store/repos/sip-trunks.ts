import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { SipTrunksTable } from '../schema.ts';
import { jsonb } from '../jsonb.ts';
import type { RepoDeps } from '../store.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

export interface TrunkFields {
  name: string;
  inbound_addresses: string[];
  auth_username: string | null;
  auth_password: string | null;
  outbound_uri: string | null;
}

export class SipTrunkRepo {
  constructor(private readonly d: RepoDeps) {}

  async create(orgId: string, f: TrunkFields): Promise<SipTrunksTable> {
    const now = new Date(this.d.clock.now());
    const row: SipTrunksTable = { ...f, id: newId('trk'), org_id: orgId, deleted_at: null, created_at: now, updated_at: now };
    await this.d.db.insertInto('sip_trunks').values({ ...row, inbound_addresses: jsonb(f.inbound_addresses) }).execute();
    return row;
  }

  async get(orgId: string, id: string): Promise<SipTrunksTable> {
    const row = await this.d.db.selectFrom('sip_trunks').selectAll().where('org_id', '=', orgId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new NotFoundError('SIP trunk', id);
    return row;
  }

  async list(orgId: string, page: PageRequest): Promise<Page<SipTrunksTable>> {
    let q = this.d.db.selectFrom('sip_trunks').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null);
    return keysetPage(q, page);
  }

  async update(orgId: string, id: string, patch: Partial<TrunkFields>): Promise<SipTrunksTable> {
    const row = await this.get(orgId, id);
    const next: SipTrunksTable = { ...row, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), updated_at: new Date(this.d.clock.now()) };
    await this.d.db
      .updateTable('sip_trunks')
      .set({ name: next.name, inbound_addresses: jsonb(next.inbound_addresses), auth_username: next.auth_username, auth_password: next.auth_password, outbound_uri: next.outbound_uri, updated_at: next.updated_at })
      .where('id', '=', id)
      .execute();
    return next;
  }

  /** Deletes a trunk no active number uses (409 otherwise). The row is kept, marked deleted, for history. */
  async delete(orgId: string, id: string): Promise<SipTrunksTable> {
    return this.d.tx(async (s) => {
      const row = await s.sipTrunks.get(orgId, id);
      const users = await s.numbers.countUsingTrunk(id);
      if (users > 0) throw new ConflictError(`SIP trunk '${id}' is used by ${users} active number(s); release them first.`);
      const now = new Date(this.d.clock.now());
      await s.db.updateTable('sip_trunks').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      return { ...row, deleted_at: now, updated_at: now };
    });
  }
}
