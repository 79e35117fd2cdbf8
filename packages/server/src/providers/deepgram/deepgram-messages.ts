/**
 * The JSON messages of Deepgram's live transcription WebSocket (`/v1/listen`), as a pure codec
 * (STYLE rule 4): text in, typed messages out; never throws, whatever arrives.
 *
 * Server → client (developers.deepgram.com, "Live Audio" API reference): `Results` (interim and
 * final transcripts; `is_final` when a span will not change again, `speech_final` when the
 * endpointer heard the speaker stop), `SpeechStarted` (with `vad_events=true`), `UtteranceEnd`
 * (with `utterance_end_ms`), `Metadata` (last, after `CloseStream`), and an error message.
 * Client → server: binary audio, and the control messages `KeepAlive`, `Finalize`, `CloseStream`.
 */

/** One transcript span. Times are seconds from the start of the audio sent on this socket. */
export interface DeepgramResults {
  readonly type: 'Results';
  readonly start: number;
  readonly duration: number;
  readonly isFinal: boolean;
  readonly speechFinal: boolean;
  /** The span was finalised by a `Finalize` or `CloseStream` rather than by the endpointer. */
  readonly fromFinalize: boolean;
  readonly transcript: string;
  readonly confidence: number | undefined;
}

export type DeepgramMessage =
  | DeepgramResults
  | { readonly type: 'SpeechStarted'; readonly timestamp: number }
  | { readonly type: 'UtteranceEnd'; readonly lastWordEnd: number | undefined }
  | { readonly type: 'Metadata'; readonly requestId: string | undefined; readonly duration: number | undefined }
  | { readonly type: 'Error'; readonly description: string }
  /** Anything else: a message type added later, or text that is not a Deepgram message at all. */
  | { readonly type: 'Unknown'; readonly raw: string };

/** `{"type":"KeepAlive"}`: keeps the socket open while no audio is sent (Deepgram closes after 10 s without data). */
export const KEEP_ALIVE = JSON.stringify({ type: 'KeepAlive' });
/** `{"type":"CloseStream"}`: no more audio; the server sends the remaining results and `Metadata`, then closes. */
export const CLOSE_STREAM = JSON.stringify({ type: 'CloseStream' });
/** `{"type":"Finalize"}`: finalise what was sent so far without closing. */
export const FINALIZE = JSON.stringify({ type: 'Finalize' });

/** Parses one text message. Never throws: anything unrecognisable is `Unknown`. */
export function parseDeepgramMessage(text: string): DeepgramMessage {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return unknown(text);
  }
  if (!isObject(m)) return unknown(text);
  switch (m.type) {
    case 'Results': {
      const alt = first(isObject(m.channel) ? m.channel.alternatives : undefined);
      return {
        type: 'Results',
        start: num(m.start) ?? 0,
        duration: num(m.duration) ?? 0,
        isFinal: m.is_final === true,
        speechFinal: m.speech_final === true,
        fromFinalize: m.from_finalize === true,
        transcript: str(alt?.transcript) ?? '',
        confidence: num(alt?.confidence),
      };
    }
    case 'SpeechStarted':
      return { type: 'SpeechStarted', timestamp: num(m.timestamp) ?? 0 };
    case 'UtteranceEnd':
      return { type: 'UtteranceEnd', lastWordEnd: num(m.last_word_end) };
    case 'Metadata':
      return { type: 'Metadata', requestId: str(m.request_id), duration: num(m.duration) };
    case 'Error':
      return { type: 'Error', description: [str(m.err_code), str(m.description) ?? str(m.err_msg) ?? str(m.message)].filter(Boolean).join(': ') || text.slice(0, 200) };
    default:
      // A refusal after the upgrade carries `err_code`/`err_msg` without a `type`.
      if (str(m.err_code) || str(m.err_msg)) return { type: 'Error', description: [str(m.err_code), str(m.err_msg)].filter(Boolean).join(': ') };
      return unknown(text);
  }
}

const unknown = (raw: string): DeepgramMessage => ({ type: 'Unknown', raw: raw.slice(0, 200) });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const first = (v: unknown): Record<string, unknown> | undefined => (Array.isArray(v) && isObject(v[0]) ? v[0] : undefined);
