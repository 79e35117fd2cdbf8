import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type {
  AvailableNumber, NumberImportParams, NumberListParams, NumberPurchaseParams, NumberSearchParams, NumberUpdateParams, PhoneNumber,
} from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/numbers`: the organisation's phone numbers. */
export class Numbers extends APIResource {
  /**
   * Numbers that can be bought (sandbox inventory unless `carrier: 'twilio'`).
   * @example
   * const [first] = await client.numbers.searchAvailable({ area_code: '415' });
   */
  searchAvailable(params: NumberSearchParams = {}, options?: RequestOptions): Promise<AvailableNumber[]> {
    return this.call('GET', '/v1/numbers/available', { query: params, options });
  }

  /**
   * Buys a number (carrier `sandbox` unless given).
   * @example
   * const number = await client.numbers.purchase(first.phone_number);
   */
  purchase(params: NumberPurchaseParams | string, options?: RequestOptions): Promise<PhoneNumber> {
    const body = typeof params === 'string' ? { phone_number: params } : params;
    return this.call('POST', '/v1/numbers/purchase', { body, options });
  }

  /**
   * Lists active numbers (`status: 'released'` for the others); await one page or `for await` over all.
   * @example
   * for await (const n of client.numbers.list()) console.log(n.e164);
   */
  list(params: NumberListParams = {}, options?: RequestOptions): PagePromise<PhoneNumber> {
    return this.paginate('/v1/numbers', params, options);
  }

  /**
   * Fetches one number.
   * @example
   * const number = await client.numbers.retrieve('pn_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<PhoneNumber> {
    return this.call('GET', `/v1/numbers/${seg(id)}`, { options });
  }

  /**
   * Brings your own number, over a SIP trunk or Twilio.
   * @example
   * await client.numbers.importNumber({ phone_number: '+14155550100', carrier: 'sip', sip_trunk_id: trunk.id });
   */
  importNumber(body: NumberImportParams, options?: RequestOptions): Promise<PhoneNumber> {
    return this.call('POST', '/v1/numbers/import', { body, options });
  }

  /**
   * Renames a number.
   * @example
   * await client.numbers.update(number.id, { friendly_name: 'Front desk' });
   */
  update(id: string, body: NumberUpdateParams, options?: RequestOptions): Promise<PhoneNumber> {
    return this.call('PATCH', `/v1/numbers/${seg(id)}`, { body, options });
  }

  /**
   * Releases a number: detached from every agent, no longer routes.
   * @example
   * await client.numbers.release(number.id);
   */
  release(id: string, options?: RequestOptions): Promise<PhoneNumber> {
    return this.call('DELETE', `/v1/numbers/${seg(id)}`, { options });
  }
}
