import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { Agent, AgentCreateParams, AgentListParams, AgentUpdateParams, AgentVersion, AttachNumberParams, ListParams } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/agents`: who answers or places calls, and how. */
export class Agents extends APIResource {
  /**
   * Creates an agent; `number_ids` attaches numbers at once (the first becomes primary).
   * @example
   * const agent = await client.agents.create({ name: 'Front desk', type: 'inbound', instructions: 'Take a message.', number_ids: [number.id] });
   */
  create(body: AgentCreateParams, options?: RequestOptions): Promise<Agent> {
    return this.call('POST', '/v1/agents', { body, options });
  }

  /**
   * Fetches one agent.
   * @example
   * const agent = await client.agents.retrieve('ag_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<Agent> {
    return this.call('GET', `/v1/agents/${seg(id)}`, { options });
  }

  /**
   * Lists agents, newest first; await it for one page or `for await` over all.
   * @example
   * for await (const agent of client.agents.list({ type: 'inbound' })) console.log(agent.name);
   */
  list(params: AgentListParams = {}, options?: RequestOptions): PagePromise<Agent> {
    return this.paginate('/v1/agents', params, options);
  }

  /**
   * Changes an agent; the change applies to the next call only. `settings` is a merge patch.
   * @example
   * await client.agents.update(agent.id, { instructions: 'Also ask for a callback time.' });
   */
  update(id: string, body: AgentUpdateParams, options?: RequestOptions): Promise<Agent> {
    return this.call('PATCH', `/v1/agents/${seg(id)}`, { body, options });
  }

  /**
   * Archives an agent: it answers no call any more and its numbers are detached; its calls stay.
   * @example
   * const archived = await client.agents.archive(agent.id);
   */
  archive(id: string, options?: RequestOptions): Promise<Agent> {
    return this.call('DELETE', `/v1/agents/${seg(id)}`, { options });
  }

  /**
   * Attaches a number; for an inbound agent it routes to this agent from that moment.
   * @example
   * await client.agents.attachNumber(agent.id, { number_id: number.id, set_as_primary: true });
   */
  attachNumber(id: string, body: AttachNumberParams | string, options?: RequestOptions): Promise<Agent> {
    const payload = typeof body === 'string' ? { number_id: body } : body;
    return this.call('POST', `/v1/agents/${seg(id)}/numbers`, { body: payload, options });
  }

  /**
   * Detaches a number (clearing primary if it was primary).
   * @example
   * await client.agents.detachNumber(agent.id, number.id);
   */
  detachNumber(id: string, numberId: string | { number_id: string }, options?: RequestOptions): Promise<Agent> {
    const number = typeof numberId === 'string' ? numberId : numberId.number_id;
    return this.call('DELETE', `/v1/agents/${seg(id)}/numbers/${seg(number)}`, { options });
  }

  /**
   * Makes an attached number the agent's primary one.
   * @example
   * await client.agents.setPrimaryNumber(agent.id, number.id);
   */
  setPrimaryNumber(id: string, numberId: string | { number_id: string }, options?: RequestOptions): Promise<Agent> {
    const body = { number_id: typeof numberId === 'string' ? numberId : numberId.number_id };
    return this.call('PUT', `/v1/agents/${seg(id)}/primary-number`, { body, options });
  }

  /**
   * The agent's past configurations, newest first.
   * @example
   * const { data } = await client.agents.versions(agent.id);
   */
  versions(id: string, params: ListParams = {}, options?: RequestOptions): PagePromise<AgentVersion> {
    return this.paginate(`/v1/agents/${seg(id)}/versions`, params, options);
  }
}
