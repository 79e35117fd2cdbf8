/**
 * The JSON messages of ElevenLabs' streaming-input text-to-speech WebSocket
 * (`/v1/text-to-speech/{voice_id}/stream-input`, elevenlabs.io/docs "WebSocket"), as a pure codec
 * (STYLE rule 4); never throws on what the server sends.
 *
 * Client → server: the first message `{"text": " ", voice_settings, generation_config,
 * xi_api_key}`, then text `{"text": "… ", "try_trigger_generation": true, "flush": true}` (text
 * ends with a space; `flush` renders what is buffered now, at a sentence end), and `{"text": ""}`
 * to end the input. Server → client: `{"audio": base64, "isFinal": false, "normalizedAlignment",
 * "alignment"}` chunks, then `{"isFinal": true}`; an error is a message with `error`/`message`.
 */

/** `voice_settings` of the first message. */
export interface VoiceSettings {
  readonly stability: number;
  readonly similarity_boost: number;
  readonly style?: number;
  readonly use_speaker_boost?: boolean;
  readonly speed?: number;
}

export type ElevenLabsServerMessage =
  /** Audio bytes in the socket's `output_format`; `chars` are the characters it speaks (alignment), when sent. */
  | { readonly type: 'audio'; readonly audio: Uint8Array; readonly chars: readonly string[] | undefined; readonly isFinal: boolean }
  | { readonly type: 'final' }
  | { readonly type: 'error'; readonly message: string; readonly auth: boolean }
  | { readonly type: 'unknown'; readonly raw: string };

/** The first message: opens the generation, carries the settings and the key. */
export function initMessage(opts: { apiKey: string; voiceSettings: VoiceSettings; chunkLengthSchedule?: readonly number[] }): string {
  return JSON.stringify({
    text: ' ',
    voice_settings: opts.voiceSettings,
    ...(opts.chunkLengthSchedule ? { generation_config: { chunk_length_schedule: opts.chunkLengthSchedule } } : {}),
    xi_api_key: opts.apiKey,
  });
}

/** One sentence, rendered at once (`flush`); the trailing space is what the API expects between pieces. */
export function sentenceMessage(sentence: string): string {
  return JSON.stringify({ text: `${sentence} `, try_trigger_generation: true, flush: true });
}

/** `{"text": ""}`: no more text; the server sends the rest of the audio, `isFinal`, and closes. */
export const END_OF_INPUT = JSON.stringify({ text: '' });

/** Words that mark a refusal of the key (in an error message or a close reason). */
export const AUTH_FAILURE = /api[ _-]?key|unauthori[sz]ed|authenticat|invalid_api_key|permission/i;

/** Parses one server message. Never throws. */
export function parseElevenLabsMessage(text: string): ElevenLabsServerMessage {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return { type: 'unknown', raw: text.slice(0, 200) };
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return { type: 'unknown', raw: text.slice(0, 200) };
  const o = m as Record<string, unknown>;
  if (typeof o.audio === 'string' && o.audio.length > 0) {
    return { type: 'audio', audio: Buffer.from(o.audio, 'base64'), chars: alignmentChars(o.alignment) ?? alignmentChars(o.normalizedAlignment), isFinal: o.isFinal === true };
  }
  if (o.isFinal === true) return { type: 'final' };
  const error = describeError(o);
  if (error !== undefined) return { type: 'error', message: error, auth: AUTH_FAILURE.test(error) };
  // An audio-less chunk (`audio: null`, e.g. between flushes) carries nothing to play.
  if ('audio' in o) return { type: 'audio', audio: new Uint8Array(0), chars: undefined, isFinal: false };
  return { type: 'unknown', raw: text.slice(0, 200) };
}

/** The characters of an alignment object (`chars`), when it is well-formed. */
function alignmentChars(a: unknown): string[] | undefined {
  if (typeof a !== 'object' || a === null) return undefined;
  const chars = (a as { chars?: unknown }).chars;
  return Array.isArray(chars) && chars.every((c) => typeof c === 'string') ? (chars as string[]) : undefined;
}

function describeError(o: Record<string, unknown>): string | undefined {
  const parts = [o.error, o.message, typeof o.detail === 'object' && o.detail !== null ? (o.detail as { message?: unknown }).message : o.detail]
    .map((p) => (typeof p === 'string' ? p : typeof p === 'object' && p !== null ? JSON.stringify(p) : undefined))
    .filter((p): p is string => Boolean(p));
  return parts.length ? [...new Set(parts)].join(': ') : undefined;
}
