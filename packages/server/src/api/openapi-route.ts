import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas/common.ts';

/** Declares a route once, for validation and for the OpenAPI document. */
export function route<const R extends RouteConfig>(r: R) {
  return createRoute(r);
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true as const, content: { 'application/json': { schema } } };
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/** The success response plus the error responses every route can give. */
export function responses<T extends z.ZodType>(schema: T, status: 200 | 201 = 200) {
  return {
    [status]: { description: 'OK', content: { 'application/json': { schema } } },
    400: errorResponse('Invalid request; `param` names the field'),
    401: errorResponse('Missing, unknown, revoked or expired API key'),
    404: errorResponse('No such id in this organisation'),
    409: errorResponse('A rule would break'),
  };
}
