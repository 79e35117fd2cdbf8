/**
 * Deepgram live transcription over WebSocket (`providers.md` → Cloud providers): the caller's
 * audio goes out as binary `linear16` frames at its own rate, `Results`/`SpeechStarted`/
 * `UtteranceEnd` come back and become the port's events (`deepgram-utterances.ts`).
 *
 * Life of one `transcribe()`: the socket opens on the first frame (its rate goes in the URL);
 * `KeepAlive` is sent whenever no audio went out for `keepAliveMs` (Deepgram closes a socket after
 * 10 s without data, NET-0001); when the audio ends, `CloseStream`, then the remaining results
 * until the server closes (or `closeTimeoutMs` passes). Abort closes the socket at once and
 * quietly. A refused handshake is `provider_auth`/`provider_unavailable` at once; a socket that
 * drops mid-stream is `provider_unavailable` (after the results that arrived before it).
 */
import type WebSocket from 'ws';
import type { AudioFrame, SampleRateHz } from '../../core/audio/audio-frame.ts';
import { createResampler, type Resampler } from '../../core/audio/resampler.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { untilAborted } from '../abortable.ts';
import type { SttCapabilities } from '../capabilities.ts';
import { EventChannel } from '../cloud/event-channel.ts';
import type { ProviderIdentity } from '../cloud/provider-http-error.ts';
import { SocketTracker } from '../cloud/socket-tracker.ts';
import { connectWebSocket } from '../cloud/websocket-connect.ts';
import { ProviderError } from '../provider-error.ts';
import type { SttEvent, SttOptions, SttProvider } from '../stt.ts';
import { deepgramListenUrl, DEEPGRAM_BASE_URL } from './deepgram-listen-url.ts';
import { CLOSE_STREAM, KEEP_ALIVE, parseDeepgramMessage } from './deepgram-messages.ts';
import { DeepgramUtterances } from './deepgram-utterances.ts';

/** Deepgram's advice is a KeepAlive every 3–5 s of silence; its server gives up after 10 s. */
const DEFAULT_KEEP_ALIVE_MS = 3000;
/** Long enough for a TLS handshake across an ocean, short enough that a dead endpoint fails the call promptly. */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
/** After `CloseStream` the last results normally arrive within a few hundred ms. */
const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
/** Wall times of sent audio kept for latency measurement: 10 s of 20 ms frames. */
const MAX_SENT_MARKS = 500;

export interface DeepgramSttOptions {
  readonly apiKey: string;
  /** Default `https://api.deepgram.com` (`DEEPGRAM_BASE_URL`). */
  readonly baseUrl?: string;
  /** Default `nova-3`. */
  readonly model?: string;
  /** Silence (ms) the endpointer waits for before `speech_final`; default 300. */
  readonly endpointingMs?: number;
  /** Gap (ms) after the last word that sends `UtteranceEnd`; default 1000 (Deepgram's minimum). */
  readonly utteranceEndMs?: number;
  readonly keepAliveMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly closeTimeoutMs?: number;
  /** Drives KeepAlive, the close deadline and latency measurement (STYLE rule 6). */
  readonly clock?: Clock;
}

export class DeepgramStt implements SttProvider {
  readonly id = 'deepgram';
  readonly capabilities: SttCapabilities = {
    streaming: true,
    interimResults: true,
    endpointing: true,
    grammars: false,
    keywords: true,
    nativeSampleRatesHz: [8000, 16000, 24000, 48000],
    languages: ['en', 'en-US', 'en-GB', 'en-AU', 'en-IN', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ja', 'ru', 'hi', 'multi'],
    offline: false,
  };
  private readonly who: ProviderIdentity = { providerId: 'deepgram', keyEnv: 'DEEPGRAM_API_KEY' };
  private readonly clock: Clock;
  private readonly sockets = new SocketTracker();

  constructor(private readonly opts: DeepgramSttOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  async *transcribe(audio: AsyncIterable<AudioFrame>, opts: SttOptions & { signal: AbortSignal }): AsyncGenerator<SttEvent> {
    const { signal } = opts;
    if (signal.aborted) return;
    // Owns this stream's socket, timers and audio pump; aborted when the caller aborts or stops reading.
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const frames = untilAborted(audio, inner.signal)[Symbol.asyncIterator]();
    let ws: WebSocket | undefined;
    try {
      const first = await frames.next();
      if (first.done) return;
      const rate = first.value.sampleRateHz;
      const url = deepgramListenUrl(this.opts.baseUrl ?? DEEPGRAM_BASE_URL, {
        model: this.opts.model ?? 'nova-3',
        sampleRateHz: rate,
        endpointingMs: this.opts.endpointingMs ?? 300,
        utteranceEndMs: this.opts.utteranceEndMs ?? 1000,
        language: opts.language,
        bias: opts.bias,
      });
      ws = await connectWebSocket(this.who, url, {
        headers: { Authorization: `Token ${this.opts.apiKey}` },
        signal: inner.signal,
        handshakeTimeoutMs: this.opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        what: 'live transcription',
      });
      if (!ws) return;
      this.sockets.add(ws);
      const events = this.listen(ws, audioPump(ws, first.value, frames, rate, this.clock, inner.signal), first.value.startMs, opts.interimResults ?? true, inner.signal);
      for await (const e of untilAborted(events, signal)) yield e;
    } finally {
      signal.removeEventListener('abort', onAbort);
      inner.abort();
      // Quiet close: a normal closure frame, no CloseStream (the caller no longer wants results).
      if (ws && ws.readyState === ws.OPEN) ws.close(1000);
      void frames.return?.(undefined).catch(() => undefined);
    }
  }

  /** Resolves when every socket this adapter opened has closed (tests: nothing outlives a call). */
  idle(): Promise<void> {
    return this.sockets.idle();
  }

  /** Wires the socket's messages into the event stream and runs KeepAlive and the close deadline. */
  private listen(ws: WebSocket, pump: AudioPump, originMs: number, interimResults: boolean, signal: AbortSignal): EventChannel<SttEvent> {
    const events = new EventChannel<SttEvent>();
    const utterances = new DeepgramUtterances({ originMs, interimResults, latencyMs: (endSec) => this.clock.now() - pump.sentAt(endSec) });
    const finish = (): void => {
      for (const e of utterances.finish()) events.push(e);
      events.end();
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const msg = parseDeepgramMessage(data.toString('utf8'));
      if (msg.type === 'Error') {
        events.fail(new ProviderError(`Deepgram reported an error: ${msg.description}`, 'provider_unavailable', this.id, { retryable: true }));
        ws.close(1000);
        return;
      }
      for (const e of utterances.accept(msg)) events.push(e);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (pump.closeStreamSent && (code === 1000 || code === 1005)) finish();
      else events.fail(closeError(this.id, code, reason.toString('utf8')));
    });
    pump.done.then(
      async () => {
        // CloseStream went out: wait for the server's close, but not for ever.
        if (!pump.closeStreamSent) return;
        await this.clock.sleep(this.opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS, signal);
        finish();
        ws.terminate();
      },
      (e: unknown) => events.fail(e),
    ).catch(() => undefined);
    void this.keepAlive(ws, pump, signal);
    return events;
  }

  private async keepAlive(ws: WebSocket, pump: AudioPump, signal: AbortSignal): Promise<void> {
    const every = this.opts.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    try {
      for (;;) {
        await this.clock.sleep(every, signal);
        if (pump.closeStreamSent || ws.readyState !== ws.OPEN) return;
        if (this.clock.now() - pump.lastSentAtMs >= every) ws.send(KEEP_ALIVE);
      }
    } catch {
      // Aborted: the stream is over.
    }
  }
}

/** What the audio pump tells the rest of the stream. */
interface AudioPump {
  /** Settles when the audio ended (CloseStream sent) or the stream was aborted; rejects if the audio source failed. */
  readonly done: Promise<void>;
  readonly closeStreamSent: boolean;
  readonly lastSentAtMs: number;
  /** Wall time at which the audio up to `endSec` was sent. */
  sentAt(endSec: number): number;
}

/** Sends every frame as binary PCM16 (resampled if the rate changes mid-stream), then `CloseStream`. */
function audioPump(ws: WebSocket, first: AudioFrame, frames: AsyncIterator<AudioFrame>, rate: SampleRateHz, clock: Clock, signal: AbortSignal): AudioPump {
  const marks: Array<{ endSec: number; atMs: number }> = [];
  let sentSec = 0;
  let resampler: Resampler | undefined;
  const state = {
    closeStreamSent: false,
    lastSentAtMs: clock.now(),
    sentAt(endSec: number): number {
      return marks.find((m) => m.endSec >= endSec - 1e-6)?.atMs ?? marks.at(-1)?.atMs ?? clock.now();
    },
    done: Promise.resolve(),
  };
  const send = async (f: AudioFrame): Promise<void> => {
    let samples = f.samples;
    if (f.sampleRateHz !== rate) {
      if (resampler?.fromHz !== f.sampleRateHz) {
        resampler?.close();
        resampler = await createResampler(f.sampleRateHz, rate);
      }
      samples = resampler.process(samples);
    }
    if (ws.readyState !== ws.OPEN || samples.length === 0) return;
    ws.send(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    sentSec += samples.length / rate;
    state.lastSentAtMs = clock.now();
    marks.push({ endSec: sentSec, atMs: state.lastSentAtMs });
    if (marks.length > MAX_SENT_MARKS) marks.shift();
  };
  state.done = (async () => {
    try {
      await send(first);
      for (let r = await frames.next(); !r.done; r = await frames.next()) await send(r.value);
      if (signal.aborted || ws.readyState !== ws.OPEN) return;
      ws.send(CLOSE_STREAM);
      state.closeStreamSent = true;
    } finally {
      resampler?.close();
    }
  })();
  return state;
}

/** What an unexpected close means (Deepgram documents its close codes with an error tag in the reason). */
function closeError(providerId: string, code: number, reason: string): ProviderError {
  const why = reason ? ` (${code}: ${reason})` : ` (${code})`;
  if (/NET-0001/.test(reason)) return new ProviderError(`Deepgram closed the stream: it received no audio in time${why}.`, 'provider_timeout', providerId, { retryable: true });
  if (/DATA-0000/.test(reason)) return new ProviderError(`Deepgram could not decode the audio${why}.`, 'provider_unavailable', providerId, { retryable: false });
  return new ProviderError(`Deepgram closed the live transcription mid-stream${why}.`, 'provider_unavailable', providerId, { retryable: true });
}
