import type { RequestOptions } from '../internal/transport.js';
import type { PagePromise } from '../pagination.js';
import type { Call, CallCreateParams, CallEvent, CallExtractParams, CallListParams, ListParams, Transcript } from '../types.js';
import { APIResource, seg } from './resource.js';

/** `/v1/calls`: inbound and outbound calls. */
export class Calls extends APIResource {
  /**
   * Dispatches an outbound call with an outbound agent; answers `queued`.
   * @example
   * const call = await client.calls.create({ agent_id: agent.id, to: '+14155550123', context: { order: 42 } });
   */
  create(body: CallCreateParams, options?: RequestOptions): Promise<Call> {
    return this.call('POST', '/v1/calls', { body, options });
  }

  /**
   * Fetches one call.
   * @example
   * const call = await client.calls.retrieve('call_01J…');
   */
  retrieve(id: string, options?: RequestOptions): Promise<Call> {
    return this.call('GET', `/v1/calls/${seg(id)}`, { options });
  }

  /**
   * Lists calls, newest first. Await it for the first page, or iterate it to walk every page,
   * each fetched only when the previous one has been consumed.
   * @example
   * for await (const call of client.calls.list({ direction: 'inbound', agent_id: agent.id })) {
   *   console.log(call.id, call.to_number, call.result);
   * }
   */
  list(params: CallListParams = {}, options?: RequestOptions): PagePromise<Call> {
    return this.paginate('/v1/calls', params, options);
  }

  /**
   * The call's transcript.
   * @example
   * const { segments } = await client.calls.transcript(call.id);
   */
  transcript(id: string, options?: RequestOptions): Promise<Transcript> {
    return this.call('GET', `/v1/calls/${seg(id)}/transcript`, { options });
  }

  /**
   * The call's timeline, oldest first.
   * @example
   * for await (const event of client.calls.events(call.id)) console.log(event.type, event.at);
   */
  events(id: string, params: ListParams = {}, options?: RequestOptions): PagePromise<CallEvent> {
    return this.paginate(`/v1/calls/${seg(id)}/events`, params, options);
  }

  /**
   * Ends a live call (`ended_by: "api"`); a queued or ringing one becomes `canceled`. 409 on a finished call.
   * @example
   * await client.calls.hangup(call.id);
   */
  hangup(id: string, options?: RequestOptions): Promise<Call> {
    return this.call('POST', `/v1/calls/${seg(id)}/hangup`, { options });
  }

  /**
   * Re-runs extraction on the stored transcript, optionally with another `returns` schema.
   * @example
   * const call = await client.calls.extract(id, { returns: { callback_number: 'phone' } });
   */
  extract(id: string, body: CallExtractParams = {}, options?: RequestOptions): Promise<Call> {
    return this.call('POST', `/v1/calls/${seg(id)}/extract`, { body, options });
  }

  /**
   * Redacts a finished call: transcript, result, recording, context and metadata are erased.
   * @example
   * const redacted = await client.calls.redact(call.id);
   */
  redact(id: string, options?: RequestOptions): Promise<Call> {
    return this.call('DELETE', `/v1/calls/${seg(id)}`, { options });
  }

  /**
   * The call's recording (WAV bytes), when recording was on.
   * @example
   * await fs.writeFile('call.wav', await client.calls.recording(call.id));
   */
  async recording(id: string, options?: RequestOptions): Promise<Uint8Array> {
    const { data } = await this.transport.request<Uint8Array>({
      method: 'GET',
      path: `/v1/calls/${seg(id)}/recording`,
      options: { ...options, headers: { Accept: 'audio/wav', ...options?.headers } },
      responseType: 'bytes',
    });
    return data;
  }
}
