/**
 * ElevenLabs streaming-input text-to-speech over WebSocket (`providers.md` → Cloud providers).
 * One socket per `synthesize()`: it opens while the first sentence is still being written, each
 * complete sentence goes out with `flush` (so it is rendered at once, not held for more text), and
 * `{"text": ""}` ends the input. Audio comes back base64 in `output_format`: `ulaw_8000` for phone
 * calls (G.711 μ-law, decoded here), raw PCM for wider rates. It is cut into 20 ms frames tagged
 * with the sentence the chunk's alignment says it speaks (`sentence-alignment.ts`).
 *
 * Abort closes the socket at once (a normal closure, the rest of the audio is dropped). A refused
 * key — at the handshake or after the first message — is `provider_auth`; a socket that drops
 * before the final message is `provider_unavailable`.
 */
import alawmulaw from 'alawmulaw';
import type WebSocket from 'ws';
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import { createResampler, type Resampler } from '../../core/audio/resampler.ts';
import { untilAborted } from '../abortable.ts';
import type { TtsCapabilities } from '../capabilities.ts';
import { endpointUrl, webSocketUrl } from '../cloud/endpoint-url.ts';
import { EventChannel } from '../cloud/event-channel.ts';
import { Pcm16Decoder } from '../cloud/pcm16-decoder.ts';
import type { ProviderIdentity } from '../cloud/provider-http-error.ts';
import { SocketTracker } from '../cloud/socket-tracker.ts';
import { TtsFramer } from '../cloud/tts-framer.ts';
import { connectWebSocket } from '../cloud/websocket-connect.ts';
import { ProviderError } from '../provider-error.ts';
import { sentences } from '../sentence-chunker.ts';
import type { TtsFrame, TtsOptions, TtsProvider } from '../tts.ts';
import { AUTH_FAILURE, END_OF_INPUT, initMessage, parseElevenLabsMessage, sentenceMessage, type VoiceSettings } from './elevenlabs-messages.ts';
import { ELEVENLABS_BASE_URL, ELEVENLABS_DEFAULT_VOICE, ELEVENLABS_PREMADE_VOICES } from './elevenlabs-voices.ts';
import { SentenceAlignment } from './sentence-alignment.ts';

/** Long enough for a TLS handshake across an ocean, short enough that a dead endpoint fails the call promptly. */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
/** ElevenLabs closes a socket after 20 s without text by default; a slow model may think longer than that. */
const INACTIVITY_TIMEOUT_S = 60;
/** ElevenLabs' defaults for a conversational voice. */
const DEFAULT_VOICE_SETTINGS: VoiceSettings = { stability: 0.5, similarity_boost: 0.75 };

export interface ElevenLabsTtsOptions {
  readonly apiKey: string;
  /** Default `https://api.elevenlabs.io` (`ELEVENLABS_BASE_URL`). */
  readonly baseUrl?: string;
  /** Default `eleven_flash_v2_5`, the lowest-latency model. */
  readonly model?: string;
  readonly voiceSettings?: VoiceSettings;
  readonly handshakeTimeoutMs?: number;
}

/** The output format asked for at each call rate, and the rate it arrives at. */
function outputFormat(rate: SampleRateHz): { format: string; nativeHz: SampleRateHz } {
  if (rate === 8000) return { format: 'ulaw_8000', nativeHz: 8000 };
  if (rate === 16000) return { format: 'pcm_16000', nativeHz: 16000 };
  // 48 kHz is a paid-tier format; 24 kHz resampled is indistinguishable on any call.
  return { format: 'pcm_24000', nativeHz: 24000 };
}

export class ElevenLabsTts implements TtsProvider {
  readonly id = 'elevenlabs';
  readonly capabilities: TtsCapabilities = { streamingInput: true, streamingOutput: true, sampleRateHz: 8000, voices: ELEVENLABS_PREMADE_VOICES, defaultVoice: ELEVENLABS_DEFAULT_VOICE, offline: false };
  private readonly who: ProviderIdentity = { providerId: 'elevenlabs', keyEnv: 'ELEVENLABS_API_KEY' };
  private readonly sockets = new SocketTracker();

  constructor(private readonly opts: ElevenLabsTtsOptions) {}

  async *synthesize(text: AsyncIterable<string> | string, opts: TtsOptions & { signal: AbortSignal }): AsyncGenerator<TtsFrame> {
    const { signal } = opts;
    if (signal.aborted || (typeof text === 'string' && !text.trim())) return;
    const rate: SampleRateHz = opts.sampleRateHz ?? this.capabilities.sampleRateHz;
    const { format, nativeHz } = outputFormat(rate);
    const voice = opts.voice ?? this.capabilities.defaultVoice;
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const resampler = await createResampler(nativeHz, rate);
    let ws: WebSocket | undefined;
    try {
      const url = webSocketUrl(
        endpointUrl(this.opts.baseUrl ?? ELEVENLABS_BASE_URL, `/v1/text-to-speech/${encodeURIComponent(voice)}/stream-input`, {
          model_id: this.opts.model ?? 'eleven_flash_v2_5',
          output_format: format,
          inactivity_timeout: INACTIVITY_TIMEOUT_S,
        }),
      );
      ws = await connectWebSocket(this.who, url, { signal: inner.signal, handshakeTimeoutMs: this.opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, what: 'streaming speech synthesis' });
      if (!ws) return;
      this.sockets.add(ws);
      const frames = this.receive(ws, format, rate, resampler);
      ws.send(initMessage({ apiKey: this.opts.apiKey, voiceSettings: this.opts.voiceSettings ?? DEFAULT_VOICE_SETTINGS }));
      this.sendText(ws, text, frames, inner.signal).catch((e: unknown) => frames.channel.fail(e));
      for await (const f of untilAborted(frames.channel, signal)) yield f;
    } finally {
      signal.removeEventListener('abort', onAbort);
      inner.abort();
      resampler.close();
      if (ws && ws.readyState === ws.OPEN) ws.close(1000);
    }
  }

  /** Resolves when every socket this adapter opened has closed (tests: nothing outlives a call). */
  idle(): Promise<void> {
    return this.sockets.idle();
  }

  /** Sends each sentence as it completes, then the end of input. */
  private async sendText(ws: WebSocket, text: AsyncIterable<string> | string, frames: Receiver, signal: AbortSignal): Promise<void> {
    let index = 0;
    for await (const s of untilAborted(sentences(typeof text === 'string' ? [text] : text), signal)) {
      if (ws.readyState !== ws.OPEN) return;
      frames.alignment.add(index++, s);
      ws.send(sentenceMessage(s));
    }
    if (signal.aborted || ws.readyState !== ws.OPEN) return;
    if (index === 0) {
      // Nothing to say: no generation to wait for.
      frames.channel.end();
      ws.close(1000);
      return;
    }
    ws.send(END_OF_INPUT);
    frames.endOfInputSent = true;
  }

  /** Turns the socket's messages into frames on `channel`. */
  private receive(ws: WebSocket, format: string, rate: SampleRateHz, resampler: Resampler): Receiver {
    const r: Receiver = { channel: new EventChannel<TtsFrame>(), alignment: new SentenceAlignment(), endOfInputSent: false };
    const framer = new TtsFramer(rate);
    const pcm = new Pcm16Decoder();
    let last: { index: number; sentence: string } | undefined;
    const finish = (): void => {
      if (last) for (const f of [...framer.push(resampler.flush(), last.index, last.sentence), ...framer.endSentence()]) r.channel.push(f);
      r.channel.end();
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const m = parseElevenLabsMessage(data.toString('utf8'));
      if (m.type === 'error') {
        r.channel.fail(new ProviderError(`ElevenLabs refused the synthesis: ${m.message}${m.auth ? '. Check ELEVENLABS_API_KEY.' : ''}`, m.auth ? 'provider_auth' : 'provider_unavailable', this.id, { retryable: !m.auth }));
        ws.close(1000);
        return;
      }
      if (m.type === 'audio' && m.audio.length > 0) {
        last = r.alignment.attribute(m.chars) ?? last;
        if (!last) return;
        const samples = format === 'ulaw_8000' ? alawmulaw.mulaw.decode(m.audio) : pcm.decode(m.audio);
        for (const f of framer.push(resampler.process(samples), last.index, last.sentence)) r.channel.push(f);
      }
      if (m.type === 'final' || (m.type === 'audio' && m.isFinal)) finish();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      const why = reason.toString('utf8');
      if (r.endOfInputSent && (code === 1000 || code === 1005)) return finish();
      if (AUTH_FAILURE.test(why)) {
        return r.channel.fail(new ProviderError(`ElevenLabs refused the key (${code}: ${why}). Check ELEVENLABS_API_KEY.`, 'provider_auth', this.id));
      }
      r.channel.fail(new ProviderError(`ElevenLabs closed the synthesis mid-stream (${code}${why ? `: ${why}` : ''}).`, 'provider_unavailable', this.id, { retryable: true }));
    });
    return r;
  }
}

/** The receiving side of one synthesis. */
interface Receiver {
  readonly channel: EventChannel<TtsFrame>;
  readonly alignment: SentenceAlignment;
  endOfInputSent: boolean;
}
