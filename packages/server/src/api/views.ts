import type { AgentsTable, ApiKeysTable, NumbersTable, SipTrunksTable, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
export { CALL_VIEW_JSON, callView } from '../calls/call-view.ts';

/**
 * Rows → public JSON objects: the one place where storage shapes become the API's (STYLE rule 9).
 * Times become ISO strings with milliseconds; secrets never leave except where the spec says.
 */
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export type NumberLinks = Map<string, { inbound: string | null; outbound: string[] }>;

/** Which agents each number is attached to. */
export async function numberLinks(store: Store, numberIds: string[]): Promise<NumberLinks> {
  const out: NumberLinks = new Map(numberIds.map((id) => [id, { inbound: null, outbound: [] }]));
  for (const l of await store.agents.linksOf(numberIds)) {
    const e = out.get(l.number_id)!;
    if (l.direction === 'inbound') e.inbound = l.agent_id;
    else e.outbound.push(l.agent_id);
  }
  return out;
}

export function numberView(n: NumbersTable, links: NumberLinks) {
  const l = links.get(n.id) ?? { inbound: null, outbound: [] };
  return {
    id: n.id, e164: n.e164, friendly_name: n.friendly_name, country_code: n.country_code, number_type: n.number_type,
    status: n.status, carrier: n.carrier, sip_trunk_id: n.sip_trunk_id, monthly_cost_cents: n.monthly_cost_cents,
    purchased_at: iso(n.purchased_at)!, inbound_agent_id: l.inbound, outbound_agent_ids: l.outbound,
    created_at: iso(n.created_at)!, updated_at: iso(n.updated_at)!, released_at: iso(n.released_at),
  };
}

export async function numberViews(store: Store, orgId: string, rows: NumbersTable[]) {
  const links = await numberLinks(store, rows.map((r) => r.id));
  return rows.map((r) => numberView(r, links));
}

export async function agentViews(store: Store, orgId: string, rows: AgentsTable[]) {
  const numberIdsByAgent = new Map<string, string[]>();
  for (const r of rows) numberIdsByAgent.set(r.id, await store.agents.numberIdsOf(r.id));
  const allIds = [...new Set([...numberIdsByAgent.values()].flat())];
  const numbers = new Map((await store.numbers.getMany(orgId, allIds)).map((n) => [n.id, n]));
  const links = await numberLinks(store, allIds);
  return rows.map((a) => ({
    id: a.id, org_id: a.org_id, user_id: a.user_id, name: a.name, type: a.type, persona: a.persona, instructions: a.instructions,
    voice: a.voice, language: a.language, returns: a.returns, tools: a.tools, webhook_url: a.webhook_url,
    voicemail_action: a.voicemail_action, voicemail_message: a.voicemail_message, first_message: a.first_message,
    timezone: a.timezone, settings: a.settings, primary_number_id: a.primary_number_id,
    numbers: (numberIdsByAgent.get(a.id) ?? []).map((id) => numberView(numbers.get(id)!, links)),
    version: a.version, archived_at: iso(a.archived_at), created_at: iso(a.created_at)!, updated_at: iso(a.updated_at)!,
  }));
}

export async function agentView(store: Store, orgId: string, row: AgentsTable) {
  return (await agentViews(store, orgId, [row]))[0]!;
}

export function trunkView(t: SipTrunksTable) {
  return { id: t.id, name: t.name, inbound_addresses: t.inbound_addresses, auth_username: t.auth_username, outbound_uri: t.outbound_uri, created_at: iso(t.created_at)!, updated_at: iso(t.updated_at)! };
}

export function apiKeyView(k: ApiKeysTable) {
  return { id: k.id, name: k.name, prefix: k.prefix, created_at: iso(k.created_at)!, last_used_at: iso(k.last_used_at), expires_at: iso(k.expires_at), revoked_at: iso(k.revoked_at) };
}

export function endpointView(e: WebhookEndpointsTable) {
  return {
    id: e.id, org_id: e.org_id, url: e.url, description: e.description, enabled_events: e.enabled_events, status: e.status,
    disabled_reason: e.disabled_reason, disabled_at: iso(e.disabled_at), consecutive_failures: e.consecutive_failures,
    created_at: iso(e.created_at)!, updated_at: iso(e.updated_at)!,
  };
}

export function deliveryView(d: WebhookDeliveriesTable, attempts?: WebhookAttemptsTable[]) {
  return {
    id: d.id, org_id: d.org_id, endpoint_id: d.endpoint_id, call_id: d.call_id, event_type: d.event_type, url: d.url,
    status: d.status, attempt_count: d.attempt_count, manual_retry_count: d.manual_retry_count, next_attempt_at: iso(d.next_attempt_at),
    last_error: d.last_error, last_response_status: d.last_response_status, delivered_at: iso(d.delivered_at),
    created_at: iso(d.created_at)!, updated_at: iso(d.updated_at)!,
    ...(attempts ? { attempts: attempts.map((a) => ({ at: iso(a.at)!, status_code: a.status_code, duration_ms: a.duration_ms, error: a.error })) } : {}),
  };
}
