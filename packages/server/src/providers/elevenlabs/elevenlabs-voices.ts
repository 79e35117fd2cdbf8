/**
 * ElevenLabs voices: a few premade ones known without a request (the adapter's static
 * `capabilities.voices`), and the account's full list from `GET /v1/voices` for `GET /v1/voices`.
 */
import type { VoiceInfo } from '../capabilities.ts';
import { endpointUrl } from '../cloud/endpoint-url.ts';
import { requestStream } from '../cloud/http-stream.ts';
import { ProviderError } from '../provider-error.ts';

/** Where ElevenLabs' API lives; `ELEVENLABS_BASE_URL` points elsewhere (a fake server in tests). */
export const ELEVENLABS_BASE_URL = 'https://api.elevenlabs.io';

/** Rachel, the voice of ElevenLabs' own examples (and of `providers.md`'s). */
export const ELEVENLABS_DEFAULT_VOICE = '21m00Tcm4TlvDq8ikWAM';

/** Premade voices every account has. */
export const ELEVENLABS_PREMADE_VOICES: readonly VoiceInfo[] = [
  { id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', language: 'en-US', gender: 'female' },
  { id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', language: 'en-US', gender: 'female' },
  { id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', language: 'en-US', gender: 'male' },
  { id: 'TxGEqnHWrfWFTfGW9XjX', name: 'Josh', language: 'en-US', gender: 'male' },
  { id: 'JBFqnCBsd6RMkjVDRZzb', name: 'George', language: 'en-GB', gender: 'male' },
];

/** The voices of a `GET /v1/voices` answer (`{"voices": [{voice_id, name, labels, verified_languages, preview_url}]}`); malformed entries are skipped. */
export function parseElevenLabsVoices(body: unknown): VoiceInfo[] {
  const voices = typeof body === 'object' && body !== null ? (body as { voices?: unknown }).voices : undefined;
  if (!Array.isArray(voices)) return [];
  const out: VoiceInfo[] = [];
  for (const v of voices as Array<Record<string, unknown>>) {
    if (typeof v !== 'object' || v === null || typeof v.voice_id !== 'string' || typeof v.name !== 'string') continue;
    const labels = (typeof v.labels === 'object' && v.labels !== null ? v.labels : {}) as Record<string, unknown>;
    const verified = Array.isArray(v.verified_languages) ? (v.verified_languages[0] as Record<string, unknown> | undefined) : undefined;
    const language = [verified?.locale, verified?.language, labels.language].find((x): x is string => typeof x === 'string' && x.length > 0) ?? 'en';
    const gender = labels.gender === 'female' || labels.gender === 'male' || labels.gender === 'neutral' ? labels.gender : undefined;
    out.push({ id: v.voice_id, name: v.name, language, ...(gender ? { gender } : {}), ...(typeof v.preview_url === 'string' ? { previewUrl: v.preview_url } : {}) });
  }
  return out;
}

/** Lists the account's voices (`GET /v1/voices`, key in `xi-api-key`). Throws `ProviderError` on refusal. */
export async function fetchElevenLabsVoices(opts: { apiKey: string; baseUrl?: string; signal: AbortSignal; timeoutMs?: number }): Promise<VoiceInfo[]> {
  const res = await requestStream(
    { providerId: 'elevenlabs', keyEnv: 'ELEVENLABS_API_KEY' },
    endpointUrl(opts.baseUrl ?? ELEVENLABS_BASE_URL, '/v1/voices').toString(),
    { headers: { 'xi-api-key': opts.apiKey, accept: 'application/json' } },
    { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 5000, what: 'voice list' },
  );
  if (!res) return [];
  const parts: Uint8Array[] = [];
  for await (const c of res.body) parts.push(c);
  try {
    return parseElevenLabsVoices(JSON.parse(Buffer.concat(parts).toString('utf8')));
  } catch (cause) {
    throw new ProviderError('ElevenLabs answered the voice list with something that is not JSON.', 'provider_unavailable', 'elevenlabs', { retryable: true, cause });
  }
}
