/**
 * OpenAI transcription over HTTP, one request per utterance (`POST /v1/audio/transcriptions`,
 * multipart with a WAV of the utterance). It neither streams nor finds utterance ends itself
 * (`capabilities`: streaming, interimResults and endpointing all false), so the contract is:
 *
 * - **One `transcribe()` call is one utterance.** The voice loop's VAD cuts the caller's audio and
 *   feeds each utterance as its own stream; when that stream ends, the audio is sent and one
 *   `final` comes back. No `speech_start` or `partial` events.
 * - Audio with no voiced stretch (less than `MIN_VOICED_MS` above `VOICED_RMS`) is not sent and
 *   yields nothing: Whisper-family models invent words ("Thank you.") for silence.
 * - A stream longer than `maxUtteranceMs` is cut there and each piece is its own utterance, so a
 *   caller who never pauses still gets text (and the upload stays far below OpenAI's 25 MB limit).
 * - Abort ends quietly and cancels the request in flight.
 */
import type { AudioFrame, SampleRateHz } from '../../core/audio/audio-frame.ts';
import { concatInt16, createResampler, type Resampler } from '../../core/audio/resampler.ts';
import { encodeWav } from '../../core/audio/wav.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { untilAborted } from '../abortable.ts';
import type { SttCapabilities } from '../capabilities.ts';
import { endpointUrl } from '../cloud/endpoint-url.ts';
import { EventChannel } from '../cloud/event-channel.ts';
import { requestStream } from '../cloud/http-stream.ts';
import type { ProviderIdentity } from '../cloud/provider-http-error.ts';
import { normaliseTranscript } from '../cloud/transcript-text.ts';
import { ProviderError } from '../provider-error.ts';
import type { SttEvent, SttOptions, SttProvider } from '../stt.ts';
import { OPENAI_BASE_URL } from './openai-voices.ts';

/** A 20 ms frame louder than this (RMS of PCM16) counts as voiced: well above a phone line's noise floor (~10–50). */
const VOICED_RMS = 150;
/** Less voiced audio than this is a click or a breath, not words. */
const MIN_VOICED_MS = 60;
/** One minute per request keeps a monologue moving and the WAV near 1 MB at 8 kHz. */
const DEFAULT_MAX_UTTERANCE_MS = 60_000;
/** Transcribing a few seconds takes about a second; 20 s means the service is in trouble. */
const DEFAULT_TIMEOUT_MS = 20_000;

export interface OpenAiSttOptions {
  readonly apiKey: string;
  /** Default `https://api.openai.com/v1` (`OPENAI_BASE_URL`; with or without `/v1`). */
  readonly baseUrl?: string;
  /** Default `gpt-4o-mini-transcribe`; `whisper-1` and `gpt-4o-transcribe` work the same way. */
  readonly model?: string;
  readonly maxUtteranceMs?: number;
  readonly timeoutMs?: number;
  /** Source of wall time for `timings` (STYLE rule 6). */
  readonly clock?: Clock;
}

/** An utterance being collected. */
interface Utterance {
  chunks: Int16Array[];
  samples: number;
  voicedMs: number;
  startMs: number | undefined;
  endMs: number;
  lastAudioAtMs: number;
}

export class OpenAiStt implements SttProvider {
  readonly id = 'openai';
  readonly capabilities: SttCapabilities = {
    streaming: false,
    interimResults: false,
    endpointing: false,
    grammars: false,
    // Key phrases go into the request's `prompt`, which biases the model's vocabulary.
    keywords: true,
    nativeSampleRatesHz: [8000, 16000, 24000, 48000],
    languages: ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ja', 'zh', 'ko', 'ru', 'hi', 'ar', 'pl', 'tr', 'sv'],
    offline: false,
  };
  private readonly who: ProviderIdentity = { providerId: 'openai', keyEnv: 'OPENAI_API_KEY' };
  private readonly clock: Clock;

  constructor(private readonly opts: OpenAiSttOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  async *transcribe(audio: AsyncIterable<AudioFrame>, opts: SttOptions & { signal: AbortSignal }): AsyncGenerator<SttEvent> {
    const { signal } = opts;
    if (signal.aborted) return;
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const events = new EventChannel<SttEvent>();
    const maxMs = this.opts.maxUtteranceMs ?? DEFAULT_MAX_UTTERANCE_MS;
    let requests = Promise.resolve();
    let utteranceId = 0;
    const submit = (u: Utterance, rate: SampleRateHz): void => {
      if (u.voicedMs < MIN_VOICED_MS) return;
      const id = ++utteranceId;
      // One request at a time, in order: finals keep the order of the audio.
      requests = requests
        .then(() => this.recognise(u, rate, id, opts, inner.signal))
        .then((e) => e && events.push(e))
        .catch((e: unknown) => {
          events.fail(e);
          inner.abort();
        });
    };
    const pump = (async () => {
      let rate: SampleRateHz | undefined;
      let resampler: Resampler | undefined;
      let u = emptyUtterance();
      try {
        for await (const f of untilAborted(audio, inner.signal)) {
          rate ??= f.sampleRateHz;
          let samples = f.samples;
          if (f.sampleRateHz !== rate) {
            if (resampler?.fromHz !== f.sampleRateHz) {
              resampler?.close();
              resampler = await createResampler(f.sampleRateHz, rate);
            }
            samples = resampler.process(samples);
          }
          const ms = (samples.length * 1000) / rate;
          u.chunks.push(samples);
          u.samples += samples.length;
          u.startMs ??= f.startMs;
          u.endMs = f.startMs + (f.samples.length * 1000) / f.sampleRateHz;
          u.lastAudioAtMs = this.clock.now();
          if (frameRms(samples) > VOICED_RMS) u.voicedMs += ms;
          if ((u.samples * 1000) / rate >= maxMs) {
            submit(u, rate);
            u = emptyUtterance();
          }
        }
      } finally {
        resampler?.close();
      }
      if (inner.signal.aborted) return;
      if (rate) submit(u, rate);
      await requests;
      events.end();
    })();
    pump.catch((e: unknown) => events.fail(e));
    try {
      for await (const e of untilAborted(events, signal)) yield e;
    } finally {
      signal.removeEventListener('abort', onAbort);
      inner.abort();
    }
  }

  /** Sends one utterance; resolves with its final (`undefined` when aborted). */
  private async recognise(u: Utterance, rate: SampleRateHz, utteranceId: number, opts: SttOptions, signal: AbortSignal): Promise<SttEvent | undefined> {
    if (signal.aborted) return undefined;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(encodeWav({ samples: concatInt16(u.chunks), sampleRateHz: rate }))], { type: 'audio/wav' }), 'utterance.wav');
    form.append('model', this.opts.model ?? 'gpt-4o-mini-transcribe');
    form.append('response_format', 'json');
    // The API takes ISO 639-1 ("en"), not BCP 47 ("en-US").
    if (opts.language) form.append('language', opts.language.split('-')[0]!.toLowerCase());
    if (opts.bias?.kind === 'keywords' && opts.bias.keywords.length) form.append('prompt', `Expected words: ${opts.bias.keywords.map((k) => k.phrase).join(', ')}.`);
    const t0 = this.clock.now();
    const res = await requestStream(
      this.who,
      endpointUrl(this.opts.baseUrl ?? OPENAI_BASE_URL, '/v1/audio/transcriptions').toString(),
      { method: 'POST', headers: { authorization: `Bearer ${this.opts.apiKey}` }, body: form },
      { signal, timeoutMs: this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, what: 'transcription' },
    );
    if (!res) return undefined;
    const parts: Uint8Array[] = [];
    for await (const c of res.body) parts.push(c);
    if (signal.aborted) return undefined;
    const text = parseTranscription(Buffer.concat(parts).toString('utf8'));
    if (text === undefined) throw new ProviderError('OpenAI transcription answered without a `text` field.', 'provider_unavailable', this.id, { retryable: true });
    const now = this.clock.now();
    const startMs = u.startMs ?? 0;
    return {
      type: 'final',
      utteranceId,
      text: normaliseTranscript(text),
      startMs,
      endMs: u.endMs,
      timings: { audioMs: u.endMs - startMs, processingMs: now - t0, finalLatencyMs: Math.max(0, now - u.lastAudioAtMs) },
    };
  }
}

/** The `text` of a transcription response (`{"text": …}`); undefined when it has none. */
export function parseTranscription(body: string): string | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    const text = typeof v === 'object' && v !== null ? (v as { text?: unknown }).text : undefined;
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

function emptyUtterance(): Utterance {
  return { chunks: [], samples: 0, voicedMs: 0, startMs: undefined, endMs: 0, lastAudioAtMs: 0 };
}

function frameRms(x: Int16Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += (x[i] as number) * (x[i] as number);
  return x.length ? Math.sqrt(e / x.length) : 0;
}
