import { createApi } from '../api/app.ts';
import { systemClock } from '../core/clock.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { VERSION } from '../version.ts';

/** The OpenAPI document without a database: the routes only touch the store per request. */
export async function openapiDocument(config: Config): Promise<unknown> {
  const api = createApi({
    store: null as unknown as Store, clock: systemClock, config, version: VERSION, startedAtMs: 0,
    ports: () => ({ http: null, sip: null }), pingDatabase: async () => false, log: { error: () => {}, warn: () => {} },
  });
  return (await api.request('/v1/openapi.json')).json();
}

/** `callingbox openapi`: prints the document (the SDK generator reads it). */
export async function runOpenapi(config: Config): Promise<number> {
  process.stdout.write(JSON.stringify(await openapiDocument(config), null, 2) + '\n');
  return 0;
}
