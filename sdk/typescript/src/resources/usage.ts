import type { RequestOptions } from '../internal/transport.js';
import type { Usage, UsageParams } from '../types.js';
import { APIResource } from './resource.js';

/** `/v1/usage`: metered calls and minutes per UTC day and direction. */
export class UsageResource extends APIResource {
  /**
   * Usage between two UTC days, both inclusive (default the last 30 days).
   * @example
   * const { data } = await client.usage.retrieve({ from: '2026-11-01', to: '2026-11-30' });
   */
  retrieve(params: UsageParams = {}, options?: RequestOptions): Promise<Usage> {
    return this.call('GET', '/v1/usage', { query: params, options });
  }
}
