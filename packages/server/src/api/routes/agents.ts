import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ConflictError } from '../../core/errors.ts';
import { InboundTakenError, type AgentPatch } from '../../store/repos/agents.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { dataList } from '../list-response.ts';
import { jsonBody, responses, route } from '../openapi-route.ts';
import { Agent, AgentCreateBody, AgentPatchBody, AgentVersion, AttachNumberBody, PrimaryNumberBody } from '../schemas/agent.ts';
import { csvEnum, Cursor, IdParam, Limit, listOf } from '../schemas/common.ts';
import { agentView, agentViews } from '../views.ts';

const AgentNumberParams = z.object({ id: z.string(), number_id: z.string() });
const ListQuery = z.strictObject({
  type: csvEnum(['inbound', 'outbound']),
  include_archived: z.enum(['true', 'false']).optional(),
  limit: Limit,
  cursor: Cursor,
});

export function registerAgentRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store, config } = deps;

  /** Names the inbound agent that already answers a number (a 409 of attach and create). */
  const withOwner = async <T>(orgId: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof InboundTakenError)) throw e;
      const owner = (await store.agents.linksOf([e.numberId])).find((l) => l.direction === 'inbound');
      const other = owner ? await store.agents.get(orgId, owner.agent_id).catch(() => null) : null;
      throw new ConflictError(
        other ? `Number '${e.numberId}' is already answered by inbound agent '${other.id}' (${other.name}); detach it there first.` : e.message,
        'conflict',
        e.param,
      );
    }
  };

  app.openapi(route({ method: 'post', path: '/v1/agents', tags: ['Agents'], summary: 'Create an agent', request: { body: jsonBody(AgentCreateBody) }, responses: responses(Agent, 201) }), async (c) => {
    const b = c.req.valid('json');
    const orgId = c.get('orgId');
    const row = await withOwner(orgId, () =>
      store.agents.create(orgId, {
        type: b.type,
        user_id: c.get('keyId'),
        name: b.name,
        persona: b.persona ?? null,
        instructions: b.instructions ?? null,
        voice: b.voice ?? null,
        language: b.language ?? 'en',
        returns: (b.returns ?? null) as never,
        tools: (b.tools ?? []) as never,
        webhook_url: b.webhook_url ?? null,
        voicemail_action: b.voicemail_action ?? 'hangup',
        voicemail_message: b.voicemail_message ?? null,
        first_message: b.first_message ?? null,
        timezone: b.timezone ?? config.defaultTimezone,
        settings: (b.settings ?? {}) as never,
        number_ids: [...new Set(b.number_ids ?? [])],
        primary_number_id: b.primary_number_id ?? null,
      }),
    );
    return c.json(await agentView(store, orgId, row) as never, 201);
  });

  app.openapi(route({ method: 'get', path: '/v1/agents', tags: ['Agents'], summary: 'List agents', request: { query: ListQuery }, responses: responses(listOf(Agent, 'AgentList')) }), async (c) => {
    const q = c.req.valid('query');
    const orgId = c.get('orgId');
    const filters = { type: q.type ?? null, include_archived: q.include_archived ?? null };
    const page = await store.agents.list(orgId, { type: q.type, includeArchived: q.include_archived === 'true' }, { limit: q.limit, cursor: q.cursor, filters });
    const views = new Map((await agentViews(store, orgId, page.items)).map((v) => [v.id, v]));
    return c.json(dataList(c, page, (r) => views.get(r.id)!) as never, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/agents/{id}', tags: ['Agents'], summary: 'Retrieve an agent', request: { params: IdParam }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    return c.json(await agentView(store, orgId, await store.agents.get(orgId, c.req.valid('param').id)) as never, 200);
  });

  app.openapi(route({ method: 'patch', path: '/v1/agents/{id}', tags: ['Agents'], summary: 'Update an agent (applies to the next call)', request: { params: IdParam, body: jsonBody(AgentPatchBody) }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    const row = await store.agents.patch(orgId, c.req.valid('param').id, c.req.valid('json') as AgentPatch);
    return c.json(await agentView(store, orgId, row) as never, 200);
  });

  app.openapi(route({ method: 'delete', path: '/v1/agents/{id}', tags: ['Agents'], summary: 'Archive an agent', request: { params: IdParam }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    return c.json(await agentView(store, orgId, await store.agents.archive(orgId, c.req.valid('param').id)) as never, 200);
  });

  app.openapi(route({ method: 'post', path: '/v1/agents/{id}/numbers', tags: ['Agents'], summary: 'Attach a number', request: { params: IdParam, body: jsonBody(AttachNumberBody) }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    const b = c.req.valid('json');
    const row = await withOwner(orgId, () => store.agents.attach(orgId, c.req.valid('param').id, b.number_id, b.set_as_primary ?? false));
    return c.json(await agentView(store, orgId, row) as never, 200);
  });

  app.openapi(route({ method: 'delete', path: '/v1/agents/{id}/numbers/{number_id}', tags: ['Agents'], summary: 'Detach a number', request: { params: AgentNumberParams }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    const p = c.req.valid('param');
    return c.json(await agentView(store, orgId, await store.agents.detach(orgId, p.id, p.number_id)) as never, 200);
  });

  app.openapi(route({ method: 'put', path: '/v1/agents/{id}/primary-number', tags: ['Agents'], summary: 'Set the primary number', request: { params: IdParam, body: jsonBody(PrimaryNumberBody) }, responses: responses(Agent) }), async (c) => {
    const orgId = c.get('orgId');
    const row = await store.agents.setPrimary(orgId, c.req.valid('param').id, c.req.valid('json').number_id);
    return c.json(await agentView(store, orgId, row) as never, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/agents/{id}/versions', tags: ['Agents'], summary: 'Configuration history', request: { params: IdParam }, responses: responses(z.object({ data: z.array(AgentVersion) }).openapi('AgentVersionList')) }), async (c) => {
    const rows = await store.agents.versions(c.get('orgId'), c.req.valid('param').id);
    return c.json({ data: rows.map((v) => ({ version: v.version, created_at: v.created_at.toISOString(), config: v.config })) } as never, 200);
  });
}
