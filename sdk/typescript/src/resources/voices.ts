import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { Voice } from '../types.js';
import { APIResource } from './resource.js';

/** `/v1/voices`: every voice of every configured TTS provider. */
export class Voices extends APIResource {
  /**
   * Lists voices; `id` is what an agent's `voice` accepts.
   * @example
   * const { data } = await client.voices.list();
   */
  list(options?: RequestOptions): PagePromise<Voice> {
    return this.paginate('/v1/voices', undefined, options);
  }
}
