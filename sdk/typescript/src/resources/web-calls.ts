import type { RequestOptions } from '../internal/transport.js';
import type { WebCall, WebCallCreateParams } from '../types.js';
import { APIResource } from './resource.js';

/** `/v1/web_calls`: browser calls to inbound agents. */
export class WebCalls extends APIResource {
  /**
   * Opens a browser call; the token is valid once, for 60 s.
   * @example
   * const { url, token } = await client.webCalls.create({ agent_id: agent.id });
   */
  create(body: WebCallCreateParams, options?: RequestOptions): Promise<WebCall> {
    return this.call('POST', '/v1/web_calls', { body, options });
  }
}
