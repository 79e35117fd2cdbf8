/**
 * `POST /v1/calls/{id}/extract {returns?}` (api.md → Calls): re-runs extraction on the stored
 * transcript, synchronously, optionally with another `returns` schema (which then replaces the
 * call's), and answers 200 with the updated call. No webhook fires; the call's events record the
 * run. A call that never connected (or is still live, or redacted) is a 409.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { responses, route } from '../openapi-route.ts';
import { Call } from '../schemas/call.ts';
import { Returns } from '../schemas/agent.ts';
import { IdParam } from '../schemas/common.ts';
import { callView } from '../views.ts';
import type { Json } from '../../store/schema.ts';

// api.md: "synchronously (up to 60 s)". Each model request has its own shorter timeout (two fit:
// the answer and one repair); this bounds the whole run, database included.
const EXTRACT_BUDGET_MS = 60_000;

const ExtractBody = z
  .strictObject({
    returns: Returns.optional().openapi({ description: "Another schema to extract; replaces the call's `returns`. The call's own when absent." }),
  })
  .openapi('CallExtractRequest');

export function registerCallExtractRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/calls/{id}/extract',
      tags: ['Calls'],
      summary: "Re-run extraction on the call's transcript, optionally with another returns schema (no webhook)",
      request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: ExtractBody } } } },
      responses: responses(Call),
    }),
    async (c) => {
      const results = deps.callResults;
      if (!results) throw new Error('call extraction is not wired into this API instance');
      const { returns } = c.req.valid('json');
      const signal = AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(EXTRACT_BUDGET_MS)]);
      const updated = await results.rerun(c.get('orgId'), c.req.valid('param').id, returns as Record<string, Json> | null | undefined, signal);
      return c.json(callView(updated) as never, 200);
    },
  );
}
