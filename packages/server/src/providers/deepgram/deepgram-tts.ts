/**
 * Deepgram Aura text-to-speech over HTTP (`POST /v1/speak`), sentence by sentence
 * (`cloud/sentence-http-tts.ts`). Aura renders `linear16` at any of the call's rates itself, so
 * the audio is asked for at the requested rate and `container=none` (Deepgram wraps linear16 in a
 * WAV header by default), and streamed as it is rendered.
 */
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import type { TtsCapabilities } from '../capabilities.ts';
import { endpointUrl } from '../cloud/endpoint-url.ts';
import { requestStream } from '../cloud/http-stream.ts';
import type { ProviderIdentity } from '../cloud/provider-http-error.ts';
import { synthesizeSentences } from '../cloud/sentence-http-tts.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from '../tts.ts';
import { DEEPGRAM_BASE_URL } from './deepgram-listen-url.ts';
import { DEEPGRAM_DEFAULT_VOICE, DEEPGRAM_VOICES } from './deepgram-voices.ts';

/** Aura usually starts streaming within ~250 ms; 10 s means the service is in trouble, not slow. */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface DeepgramTtsOptions {
  readonly apiKey: string;
  /** Default `https://api.deepgram.com` (`DEEPGRAM_BASE_URL`). */
  readonly baseUrl?: string;
  /** Deadline for the first byte of each sentence and for any pause in its body, ms. */
  readonly timeoutMs?: number;
}

export class DeepgramTts implements TtsProvider {
  readonly id = 'deepgram';
  readonly capabilities: TtsCapabilities = { streamingInput: true, streamingOutput: true, sampleRateHz: 24000, voices: DEEPGRAM_VOICES, defaultVoice: DEEPGRAM_DEFAULT_VOICE, offline: false };
  private readonly who: ProviderIdentity = { providerId: 'deepgram', keyEnv: 'DEEPGRAM_API_KEY' };

  constructor(private readonly opts: DeepgramTtsOptions) {}

  synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    const rate: SampleRateHz = opts.sampleRateHz ?? this.capabilities.sampleRateHz;
    const model = opts.voice ?? this.capabilities.defaultVoice;
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const url = endpointUrl(this.opts.baseUrl ?? DEEPGRAM_BASE_URL, '/v1/speak', { model, encoding: 'linear16', sample_rate: rate, container: 'none' }).toString();
    return synthesizeSentences(text, { signal: opts.signal, sampleRateHz: rate }, async (sentence, signal) => {
      const res = await requestStream(
        this.who,
        url,
        { method: 'POST', headers: { authorization: `Token ${this.opts.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: sentence }) },
        { signal, timeoutMs, what: 'speech synthesis (Aura)' },
      );
      return res && { sampleRateHz: rate, body: res.body };
    });
  }
}
