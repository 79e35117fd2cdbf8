import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { dataList } from '../list-response.ts';
import { jsonBody, responses, route } from '../openapi-route.ts';
import { csvEnum, CsvStrings, Cursor, IdParam, Limit, listOf } from '../schemas/common.ts';
import { EndpointCreateBody, EndpointPatchBody, WebhookDelivery, WebhookEndpoint, WebhookSecret } from '../schemas/misc.ts';
import { deliveryView, endpointView } from '../views.ts';

const PageQuery = z.strictObject({ limit: Limit, cursor: Cursor });
const DeliveryQuery = z.strictObject({ endpoint_id: CsvStrings, call_id: CsvStrings, status: csvEnum(['pending', 'delivered', 'exhausted']), limit: Limit, cursor: Cursor });

/** Webhook endpoints, deliveries and the organisation's default signing secret (webhooks.md). */
export function registerWebhookRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store } = deps;

  app.openapi(route({ method: 'post', path: '/v1/webhook_endpoints', tags: ['Webhooks'], summary: 'Create an endpoint (secret shown once)', request: { body: jsonBody(EndpointCreateBody) }, responses: responses(WebhookEndpoint, 201) }), async (c) => {
    const b = c.req.valid('json');
    const row = await store.webhooks.createEndpoint(c.get('orgId'), { url: b.url, description: b.description ?? null, enabled_events: b.enabled_events ?? ['*'] });
    return c.json({ ...endpointView(row), signing_secret: row.signing_secret }, 201);
  });
  app.openapi(route({ method: 'get', path: '/v1/webhook_endpoints', tags: ['Webhooks'], summary: 'List endpoints', request: { query: PageQuery }, responses: responses(listOf(WebhookEndpoint, 'WebhookEndpointList')) }), async (c) => {
    const q = c.req.valid('query');
    return c.json(dataList(c, await store.webhooks.listEndpoints(c.get('orgId'), { limit: q.limit, cursor: q.cursor, filters: {} }), endpointView), 200);
  });
  app.openapi(route({ method: 'get', path: '/v1/webhook_endpoints/{id}', tags: ['Webhooks'], summary: 'Retrieve an endpoint', request: { params: IdParam }, responses: responses(WebhookEndpoint) }), async (c) => {
    return c.json(endpointView(await store.webhooks.getEndpoint(c.get('orgId'), c.req.valid('param').id)), 200);
  });
  app.openapi(route({ method: 'patch', path: '/v1/webhook_endpoints/{id}', tags: ['Webhooks'], summary: 'Update or re-enable an endpoint', request: { params: IdParam, body: jsonBody(EndpointPatchBody) }, responses: responses(WebhookEndpoint) }), async (c) => {
    return c.json(endpointView(await store.webhooks.updateEndpoint(c.get('orgId'), c.req.valid('param').id, c.req.valid('json'))), 200);
  });
  app.openapi(route({ method: 'delete', path: '/v1/webhook_endpoints/{id}', tags: ['Webhooks'], summary: 'Delete an endpoint', request: { params: IdParam }, responses: responses(WebhookEndpoint) }), async (c) => {
    return c.json(endpointView(await store.webhooks.deleteEndpoint(c.get('orgId'), c.req.valid('param').id)), 200);
  });
  app.openapi(route({ method: 'post', path: '/v1/webhook_endpoints/{id}/rotate_secret', tags: ['Webhooks'], summary: "Replace an endpoint's secret (the old one stops at once)", request: { params: IdParam }, responses: responses(WebhookEndpoint) }), async (c) => {
    const row = await store.webhooks.rotateEndpointSecret(c.get('orgId'), c.req.valid('param').id);
    return c.json({ ...endpointView(row), signing_secret: row.signing_secret }, 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/webhook_deliveries', tags: ['Webhooks'], summary: 'List deliveries', request: { query: DeliveryQuery }, responses: responses(listOf(WebhookDelivery, 'WebhookDeliveryList')) }), async (c) => {
    const { limit, cursor, ...f } = c.req.valid('query');
    const filters = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v ?? null]));
    return c.json(dataList(c, await store.webhooks.listDeliveries(c.get('orgId'), f, { limit, cursor, filters }), (d) => deliveryView(d)), 200);
  });
  app.openapi(route({ method: 'get', path: '/v1/webhook_deliveries/{id}', tags: ['Webhooks'], summary: 'Retrieve a delivery with its attempts', request: { params: IdParam }, responses: responses(WebhookDelivery) }), async (c) => {
    const d = await store.webhooks.getDelivery(c.get('orgId'), c.req.valid('param').id);
    return c.json(deliveryView(d, await store.webhooks.attemptsOf(d.id)), 200);
  });
  app.openapi(route({ method: 'post', path: '/v1/webhook_deliveries/{id}/redeliver', tags: ['Webhooks'], summary: 'Send a delivery again with the same event id', request: { params: IdParam }, responses: responses(WebhookDelivery) }), async (c) => {
    const d = await store.webhooks.redeliver(c.get('orgId'), c.req.valid('param').id);
    return c.json(deliveryView(d, await store.webhooks.attemptsOf(d.id)), 200);
  });

  app.openapi(route({ method: 'get', path: '/v1/webhook_secret', tags: ['Webhooks'], summary: 'The default signing secret of inline deliveries', request: {  }, responses: responses(WebhookSecret) }), async (c) => {
    const org = (await store.orgs.get(c.get('orgId')))!;
    return c.json({ secret: org.webhook_secret, created_at: org.webhook_secret_created_at.toISOString() }, 200);
  });
  app.openapi(route({ method: 'post', path: '/v1/webhook_secret/rotate', tags: ['Webhooks'], summary: 'Replace the default signing secret (the old one stops at once)', request: {  }, responses: responses(WebhookSecret) }), async (c) => {
    const r = await store.orgs.rotateWebhookSecret(c.get('orgId'));
    return c.json({ secret: r.secret, created_at: r.createdAt.toISOString() }, 200);
  });
}
