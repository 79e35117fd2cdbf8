import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { AgentsTable, AgentVersionsTable, Json } from '../schema.ts';
import { jsonb, orderedJson } from '../jsonb.ts';
import { pgConstraint, pgErrorCode, type RepoDeps } from '../store.ts';
import { keysetPage, type Page, type PageRequest } from '../pagination.ts';

/** The fields an agent's configuration consists of: what a version records and a call snapshots. */
export const AGENT_CONFIG_FIELDS = [
  'name', 'persona', 'instructions', 'voice', 'language', 'returns', 'tools', 'webhook_url',
  'voicemail_action', 'voicemail_message', 'first_message', 'timezone', 'settings',
] as const;
export type AgentConfig = Pick<AgentsTable, (typeof AGENT_CONFIG_FIELDS)[number]>;

export interface AgentCreate extends AgentConfig {
  type: 'inbound' | 'outbound';
  user_id: string | null;
  number_ids: string[];
  primary_number_id: string | null;
}
export type AgentPatch = Partial<AgentConfig> & { primary_number_id?: string | null };

export interface AgentListFilter {
  type?: Array<'inbound' | 'outbound'> | undefined;
  includeArchived: boolean;
}

function configOf(row: AgentsTable): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of AGENT_CONFIG_FIELDS) out[f] = row[f] as Json;
  return out;
}

export class AgentRepo {
  constructor(private readonly d: RepoDeps) {}

  async create(orgId: string, input: AgentCreate): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      const now = new Date(this.d.clock.now());
      const { number_ids, primary_number_id, ...fields } = input;
      const row: AgentsTable = {
        ...fields,
        id: newId('ag'),
        org_id: orgId,
        primary_number_id: null,
        version: 1,
        archived_at: null,
        created_at: now,
        updated_at: now,
      };
      await s.db.insertInto('agents').values(toDbValues(row)).execute();
      await s.db.insertInto('agent_versions').values({ agent_id: row.id, version: 1, config: orderedJson(configOf(row)), created_at: now }).execute();
      for (const [i, numberId] of number_ids.entries()) await s.agents.link(orgId, row, numberId, `number_ids[${i}]`);
      const primary = primary_number_id ?? number_ids[0] ?? null;
      if (primary !== null) {
        if (!number_ids.includes(primary)) throw new ValidationError('primary_number_id must be one of number_ids.', 'primary_number_id');
        await s.db.updateTable('agents').set({ primary_number_id: primary }).where('id', '=', row.id).execute();
        row.primary_number_id = primary;
      }
      return row;
    });
  }

  async get(orgId: string, id: string): Promise<AgentsTable> {
    const row = await this.d.db.selectFrom('agents').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('agent', id);
    return row;
  }

  async list(orgId: string, filter: AgentListFilter, page: PageRequest): Promise<Page<AgentsTable>> {
    let q = this.d.db.selectFrom('agents').selectAll().where('org_id', '=', orgId);
    if (filter.type?.length) q = q.where('type', 'in', filter.type);
    if (!filter.includeArchived) q = q.where('archived_at', 'is', null);
    return keysetPage(q, page);
  }

  /** Applies a partial change: bumps `version` and records the new configuration. */
  async patch(orgId: string, id: string, patch: AgentPatch): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      const current = await s.agents.lockLive(orgId, id);
      if (patch.primary_number_id) await s.agents.requireLinked(id, patch.primary_number_id, 'primary_number_id');
      const next: AgentsTable = { ...current, ...stripUndefined(patch) };
      if (patch.settings !== undefined) next.settings = mergePatch(current.settings, patch.settings as Record<string, Json>);
      next.version = current.version + 1;
      next.updated_at = new Date(this.d.clock.now());
      try {
        await s.db.updateTable('agents').set(toDbValues(next)).where('id', '=', id).execute();
      } catch (e) {
        throw mapAgentError(e);
      }
      await s.db.insertInto('agent_versions').values({ agent_id: id, version: next.version, config: orderedJson(configOf(next)), created_at: next.updated_at }).execute();
      return next;
    });
  }

  /** Archives: sets `archived_at`, detaches every number, keeps the calls. Archiving twice is a no-op. */
  async archive(orgId: string, id: string): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      const row = await s.agents.get(orgId, id);
      if (row.archived_at) return row;
      await s.db.deleteFrom('agent_numbers').where('agent_id', '=', id).execute();
      const now = new Date(this.d.clock.now());
      await s.db.updateTable('agents').set({ archived_at: now, updated_at: now, primary_number_id: null }).where('id', '=', id).execute();
      return s.agents.get(orgId, id);
    });
  }

  /** Attaches a number; the database's partial unique index decides races between inbound agents. */
  async attach(orgId: string, id: string, numberId: string, setAsPrimary: boolean): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      const agent = await s.agents.lockLive(orgId, id);
      await s.agents.link(orgId, agent, numberId, 'number_id');
      if (setAsPrimary || agent.primary_number_id === null) {
        await s.db.updateTable('agents').set({ primary_number_id: numberId, updated_at: new Date(this.d.clock.now()) }).where('id', '=', id).execute();
      }
      return s.agents.get(orgId, id);
    });
  }

  async detach(orgId: string, id: string, numberId: string): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      await s.agents.lockLive(orgId, id);
      const gone = await s.db.deleteFrom('agent_numbers').where('agent_id', '=', id).where('number_id', '=', numberId).executeTakeFirst();
      if (gone.numDeletedRows === 0n) throw new NotFoundError('number attached to this agent', numberId);
      // The FK's ON DELETE SET NULL (primary_number_id) already cleared a primary that pointed here.
      await s.db.updateTable('agents').set({ updated_at: new Date(this.d.clock.now()) }).where('id', '=', id).execute();
      return s.agents.get(orgId, id);
    });
  }

  async setPrimary(orgId: string, id: string, numberId: string): Promise<AgentsTable> {
    return this.d.tx(async (s) => {
      await s.agents.lockLive(orgId, id);
      await s.agents.requireLinked(id, numberId, 'number_id');
      await s.db.updateTable('agents').set({ primary_number_id: numberId, updated_at: new Date(this.d.clock.now()) }).where('id', '=', id).execute();
      return s.agents.get(orgId, id);
    });
  }

  async versions(orgId: string, id: string): Promise<AgentVersionsTable[]> {
    await this.get(orgId, id);
    return this.d.db.selectFrom('agent_versions').selectAll().where('agent_id', '=', id).orderBy('version', 'desc').execute();
  }

  /** The agents (any state) attached to each of these numbers. */
  async linksOf(numberIds: string[]): Promise<Array<{ number_id: string; agent_id: string; direction: 'inbound' | 'outbound' }>> {
    if (numberIds.length === 0) return [];
    return this.d.db.selectFrom('agent_numbers').select(['number_id', 'agent_id', 'direction']).where('number_id', 'in', numberIds).orderBy('created_at').execute();
  }

  /** The numbers attached to an agent. */
  async numberIdsOf(agentId: string): Promise<string[]> {
    const rows = await this.d.db.selectFrom('agent_numbers').select('number_id').where('agent_id', '=', agentId).orderBy('created_at').execute();
    return rows.map((r) => r.number_id);
  }

  /** Throws a 400 naming `param` unless the number is attached to the agent. */
  async requireLinked(agentId: string, numberId: string, param: string): Promise<void> {
    const linked = await this.d.db.selectFrom('agent_numbers').select('number_id').where('agent_id', '=', agentId).where('number_id', '=', numberId).executeTakeFirst();
    if (!linked) throw new ValidationError(`Number '${numberId}' is not attached to this agent; attach it first.`, param);
  }

  /** Loads and row-locks a live (not archived) agent. */
  async lockLive(orgId: string, id: string): Promise<AgentsTable> {
    const row = await this.d.db.selectFrom('agents').selectAll().where('org_id', '=', orgId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError('agent', id);
    if (row.archived_at) throw new ConflictError(`Agent '${id}' is archived; create a new agent instead.`);
    return row;
  }

  /** Links one number to an agent inside the caller's transaction. */
  async link(orgId: string, agent: AgentsTable, numberId: string, param: string): Promise<void> {
    const num = await this.d.db.selectFrom('numbers').select(['id', 'status']).where('org_id', '=', orgId).where('id', '=', numberId).executeTakeFirst();
    if (!num) throw new NotFoundError('number', numberId);
    if (num.status !== 'active') throw new ConflictError(`Number '${numberId}' is released; buy or import it again.`, 'conflict', param);
    try {
      await this.d.db
        .insertInto('agent_numbers')
        .values({ agent_id: agent.id, number_id: numberId, org_id: orgId, direction: agent.type, created_at: new Date(this.d.clock.now()) })
        .onConflict((oc) => oc.columns(['agent_id', 'number_id']).doNothing())
        .execute();
    } catch (e) {
      if (pgErrorCode(e) === '23505' && pgConstraint(e) === 'one_inbound_agent_per_number') {
        throw new InboundTakenError(numberId, param);
      }
      throw e;
    }
  }
}

/** A number already answered by another inbound agent; the API names that agent. */
export class InboundTakenError extends ConflictError {
  constructor(
    readonly numberId: string,
    param: string,
  ) {
    super(`Number '${numberId}' is already answered by another inbound agent; detach it there first.`, 'conflict', param);
  }
}

function mapAgentError(e: unknown): unknown {
  if (pgErrorCode(e) === '23514' && pgConstraint(e) === 'agents_type_immutable') return new ValidationError('type cannot be changed; create a new agent.', 'type');
  return e;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** RFC 7396 JSON merge patch, one level deep as settings are flat: `null` removes a key. */
export function mergePatch(target: Record<string, Json>, patch: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function toDbValues(row: AgentsTable) {
  return { ...row, returns: row.returns === null ? null : orderedJson(row.returns), tools: jsonb(row.tools), settings: jsonb(row.settings) };
}
