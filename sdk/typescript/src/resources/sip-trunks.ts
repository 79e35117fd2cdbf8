import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { ListParams, SipTrunk, SipTrunkCreateParams, SipTrunkUpdateParams } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/sip_trunks`: SIP trunks for bring-your-own numbers. */
export class SipTrunks extends APIResource {
  /**
   * Creates a trunk; `auth_password` is write-only.
   * @example
   * const trunk = await client.sipTrunks.create({ name: 'PBX', inbound_addresses: ['203.0.113.0/24'], outbound_uri: 'sip:pbx.example:5060' });
   */
  create(body: SipTrunkCreateParams, options?: RequestOptions): Promise<SipTrunk> {
    return this.call('POST', '/v1/sip_trunks', { body, options });
  }

  /**
   * Lists trunks.
   * @example
   * const { data } = await client.sipTrunks.list();
   */
  list(params: ListParams = {}, options?: RequestOptions): PagePromise<SipTrunk> {
    return this.paginate('/v1/sip_trunks', params, options);
  }

  /**
   * Fetches one trunk.
   * @example
   * const trunk = await client.sipTrunks.retrieve('trk_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<SipTrunk> {
    return this.call('GET', `/v1/sip_trunks/${seg(id)}`, { options });
  }

  /**
   * Changes a trunk.
   * @example
   * await client.sipTrunks.update(trunk.id, { outbound_uri: 'sip:pbx2.example:5060' });
   */
  update(id: string, body: SipTrunkUpdateParams, options?: RequestOptions): Promise<SipTrunk> {
    return this.call('PATCH', `/v1/sip_trunks/${seg(id)}`, { body, options });
  }

  /**
   * Deletes a trunk (409 while numbers still use it).
   * @example
   * await client.sipTrunks.delete(trunk.id);
   */
  delete(id: string, options?: RequestOptions): Promise<SipTrunk> {
    return this.call('DELETE', `/v1/sip_trunks/${seg(id)}`, { options });
  }
}
