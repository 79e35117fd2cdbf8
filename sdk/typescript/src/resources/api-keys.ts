import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { ApiKey, ApiKeyCreateParams, ApiKeyWithSecret, ListParams } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/api_keys`: the organisation's API keys. */
export class ApiKeys extends APIResource {
  /**
   * Creates a key; its `secret` is in this answer only.
   * @example
   * const { secret } = await client.apiKeys.create({ name: 'ci' });
   */
  create(body: ApiKeyCreateParams, options?: RequestOptions): Promise<ApiKeyWithSecret> {
    return this.call('POST', '/v1/api_keys', { body, options });
  }

  /**
   * Lists keys (never their secrets).
   * @example
   * const { data } = await client.apiKeys.list();
   */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return this.paginate('/v1/api_keys', params, options);
  }

  /**
   * Revokes a key at once.
   * @example
   * await client.apiKeys.revoke(key.id);
   */
  revoke(id: string, options?: RequestOptions): Promise<ApiKey> {
    return this.call('DELETE', `/v1/api_keys/${seg(id)}`, { options });
  }
}
