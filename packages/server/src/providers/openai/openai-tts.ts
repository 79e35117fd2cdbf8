/**
 * OpenAI speech over HTTP (`POST /v1/audio/speech`), sentence by sentence
 * (`cloud/sentence-http-tts.ts`). `response_format: "pcm"` is raw 24 kHz PCM16 little-endian with
 * no header, streamed as it is rendered; it is resampled to the call's rate on the way out.
 */
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import type { TtsCapabilities } from '../capabilities.ts';
import { endpointUrl } from '../cloud/endpoint-url.ts';
import { requestStream } from '../cloud/http-stream.ts';
import type { ProviderIdentity } from '../cloud/provider-http-error.ts';
import { synthesizeSentences } from '../cloud/sentence-http-tts.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from '../tts.ts';
import { OPENAI_BASE_URL, OPENAI_DEFAULT_VOICE, OPENAI_VOICES } from './openai-voices.ts';

/** The rate of `response_format: "pcm"` (OpenAI API reference, "Create speech"). */
const PCM_RATE_HZ: SampleRateHz = 24000;
/** A sentence normally starts streaming within a second; 15 s means the service is in trouble. */
const DEFAULT_TIMEOUT_MS = 15_000;

export interface OpenAiTtsOptions {
  readonly apiKey: string;
  /** Default `https://api.openai.com/v1` (`OPENAI_BASE_URL`; with or without `/v1`). */
  readonly baseUrl?: string;
  /** Default `gpt-4o-mini-tts`. */
  readonly model?: string;
  /** Speaking style for models that take it (`gpt-4o-mini-tts`), e.g. "Speak calmly, as on a phone line." */
  readonly instructions?: string;
  /** Deadline for the first byte of each sentence and for any pause in its body, ms. */
  readonly timeoutMs?: number;
}

export class OpenAiTts implements TtsProvider {
  readonly id = 'openai';
  readonly capabilities: TtsCapabilities = { streamingInput: true, streamingOutput: true, sampleRateHz: PCM_RATE_HZ, voices: OPENAI_VOICES, defaultVoice: OPENAI_DEFAULT_VOICE, offline: false };
  private readonly who: ProviderIdentity = { providerId: 'openai', keyEnv: 'OPENAI_API_KEY' };

  constructor(private readonly opts: OpenAiTtsOptions) {}

  synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    const voice = opts.voice ?? this.capabilities.defaultVoice;
    const url = endpointUrl(this.opts.baseUrl ?? OPENAI_BASE_URL, '/v1/audio/speech').toString();
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const model = this.opts.model ?? 'gpt-4o-mini-tts';
    return synthesizeSentences(text, { signal: opts.signal, sampleRateHz: opts.sampleRateHz ?? PCM_RATE_HZ }, async (sentence, signal) => {
      const body = { model, input: sentence, voice, response_format: 'pcm', ...(this.opts.instructions ? { instructions: this.opts.instructions } : {}) };
      const res = await requestStream(
        this.who,
        url,
        { method: 'POST', headers: { authorization: `Bearer ${this.opts.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        { signal, timeoutMs, what: 'speech synthesis' },
      );
      return res && { sampleRateHz: PCM_RATE_HZ, body: res.body };
    });
  }
}
