import type { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { callView } from '../../calls/call-view.ts';
import { EVENT_OF_STATUS } from '../../calls/call-event-sink.ts';
import type { CallStatus } from '../../store/schema.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';

// api.md → Live events: events are kept 24 h for replay; a comment every 15 s keeps proxies open.
const REPLAY_WINDOW_MS = 24 * 3600 * 1000;
const KEEPALIVE_MS = 15_000;
const POLL_MS = 250;
const API_VERSION = '2026-04';

/** `GET /v1/events/stream`: the organisation's call events as Server-Sent Events, resumable with Last-Event-ID. */
export function registerEventStream(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { store, clock } = deps;
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/v1/events/stream', tags: ['Events'], summary: 'Live call events (Server-Sent Events), resumable with Last-Event-ID',
    responses: { 200: { description: 'text/event-stream of {type, created, api_version, data: {call}}', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
  });
  app.get('/v1/events/stream', (c) => {
    const orgId = c.get('orgId');
    const resumeFrom = c.req.header('last-event-id') ?? c.req.query('last_event_id');
    return streamSSE(c, async (stream) => {
      const signal = c.req.raw.signal;
      let cursor = resumeFrom && /^cev_[0-9A-Z]{26}$/.test(resumeFrom) ? resumeFrom : await latestEventId(orgId);
      let lastWrite = Date.now();
      // Real time at the edge: this loop is the socket's, as the RTP pacer is.
      while (!signal.aborted && !stream.aborted) {
        const since = new Date(clock.now() - REPLAY_WINDOW_MS);
        const rows = await store.db
          .selectFrom('call_events')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '>', cursor)
          .where('at', '>=', since)
          .where('type', 'in', ['status', 'turn'])
          .orderBy('id')
          .limit(200)
          .execute();
        for (const e of rows) {
          cursor = e.id;
          const type = e.type === 'turn' ? 'call.turn' : EVENT_OF_STATUS[(e.data as { to?: CallStatus }).to ?? 'initiated'];
          if (!type) continue;
          const call = await store.calls.getAny(e.call_id);
          await stream.writeSSE({ id: e.id, event: type, data: JSON.stringify({ type, created: Math.floor(e.at.getTime() / 1000), api_version: API_VERSION, data: { call: callView(call) } }) });
          lastWrite = Date.now();
        }
        if (Date.now() - lastWrite >= KEEPALIVE_MS) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (rows.length === 0) await stream.sleep(POLL_MS);
      }
    });
  });

  async function latestEventId(orgId: string): Promise<string> {
    const row = await store.db.selectFrom('call_events').select('id').where('org_id', '=', orgId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row?.id ?? 'cev_';
  }
}
