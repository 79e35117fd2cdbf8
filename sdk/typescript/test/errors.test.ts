import { afterEach, describe, expect, it } from 'vitest';
import {
  APIError, AuthenticationError, BadRequestError, CallingBox, ConflictError, InternalServerError, NotFoundError,
  PayloadTooLargeError, RateLimitError, UnprocessableEntityError,
} from '../src/index.js';
import { type FakeServer, startFakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const cases = [
  { status: 400, code: 'invalid_request', param: 'returns.confirmed', Class: BadRequestError },
  { status: 401, code: 'unauthorized', param: undefined, Class: AuthenticationError },
  { status: 404, code: 'not_found', param: undefined, Class: NotFoundError },
  { status: 409, code: 'conflict', param: 'number_id', Class: ConflictError },
  { status: 409, code: 'idempotency_conflict', param: undefined, Class: ConflictError },
  { status: 413, code: 'payload_too_large', param: undefined, Class: PayloadTooLargeError },
  { status: 422, code: 'unprocessable', param: 'agent_id', Class: UnprocessableEntityError },
  { status: 429, code: 'rate_limited', param: undefined, Class: RateLimitError },
  { status: 500, code: 'internal', param: undefined, Class: InternalServerError },
  { status: 502, code: 'carrier_error', param: undefined, Class: InternalServerError },
] as const;

describe('error mapping', () => {
  it.each(cases)('maps $status $code to $Class.name with status, code, param, requestId and message', async ({ status, code, param, Class }) => {
    const message = `The server says ${code}.`;
    server = await startFakeServer(() => ({
      status,
      headers: { 'x-request-id': 'req_123', 'retry-after': '0' },
      json: param === undefined ? { error: message, code } : { error: message, code, param },
    }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url, maxRetries: 0 });
    const error = await client.calls.create({ agent_id: 'ag_1', to: '+14155550123' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(Error);
    const e = error as APIError;
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.param).toBe(param);
    expect(e.message).toBe(message);
    expect(e.requestId).toBe('req_123');
    expect(e.name).toBe(Class.name);
  });

  it('reads CallingBox-Request-Id too', async () => {
    server = await startFakeServer(() => ({ status: 404, headers: { 'callingbox-request-id': 'req_abc' }, json: { error: 'No such agent.', code: 'not_found' } }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const error = (await client.agents.retrieve('ag_x').catch((e: unknown) => e)) as APIError;
    expect(error.requestId).toBe('req_abc');
  });

  it('copes with a body that is not the error shape', async () => {
    server = await startFakeServer(() => ({ status: 418, text: 'I am a teapot' }));
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const error = (await client.agents.retrieve('ag_x').catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(418);
    expect(error.message).toBe('I am a teapot');
    expect(error.code).toBeUndefined();
  });
});
