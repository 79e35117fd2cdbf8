import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { concatInt16, resampleAll } from '../core/audio/resampler.ts';
import { encodeWav } from '../core/audio/wav.ts';
import type { AudioFrame, MediaTransport, PlayoutResult, PlayoutSegment } from '../telephony/transport.ts';

/** Recordings are 8 kHz: the rate of the phone line both sides were heard at. */
const RATE = 8000;

/**
 * Call recording (`calls.md` → Recording): a decorator of the media session that keeps the
 * caller's audio and the agent's audio as it is handed to the carrier, each at its place on the
 * call's timeline, and writes both directions mixed to one WAV when the call ends.
 */
export class RecordingTransport implements MediaTransport {
  private readonly caller: { atMs: number; samples: Int16Array; rate: number }[] = [];
  private readonly agent: { atMs: number; samples: Int16Array; rate: number }[] = [];
  private readonly t0: number;
  readonly fromCaller: AsyncIterable<AudioFrame>;

  constructor(
    private readonly inner: MediaTransport,
    private readonly clock: Clock,
  ) {
    this.t0 = clock.now();
    const caller = this.caller;
    const src = inner.fromCaller;
    this.fromCaller = (async function* () {
      for await (const f of src) {
        caller.push({ atMs: f.startMs, samples: f.samples, rate: f.sampleRateHz });
        yield f;
      }
    })();
  }

  get metadata() {
    return this.inner.metadata;
  }
  get events() {
    return this.inner.events;
  }
  get ended() {
    return this.inner.ended;
  }

  play(segment: PlayoutSegment, opts: { signal: AbortSignal }): Promise<PlayoutResult> {
    const agent = this.agent;
    const clock = this.clock;
    const t0 = this.t0;
    const frames = segment.frames;
    const tapped = (async function* () {
      // Frames are handed over as they are produced and leave back to back from the first.
      let atMs: number | undefined;
      let rate = RATE;
      const chunks: Int16Array[] = [];
      try {
        for await (const f of frames) {
          atMs ??= clock.now() - t0;
          rate = f.sampleRateHz;
          chunks.push(f.samples);
          yield f;
        }
      } finally {
        if (atMs !== undefined) agent.push({ atMs, samples: concatInt16(chunks), rate });
      }
    })();
    return this.inner.play({ frames: tapped }, opts);
  }
  clear(): Promise<void> {
    return this.inner.clear();
  }
  sendDtmf(digits: string, opts?: { signal?: AbortSignal }): Promise<void> {
    return this.inner.sendDtmf(digits, opts);
  }
  hangup(reason: Parameters<MediaTransport['hangup']>[0]): Promise<void> {
    return this.inner.hangup(reason);
  }
  get transfer(): MediaTransport['transfer'] {
    return this.inner.transfer ? (d, o) => this.inner.transfer!(d, o) : undefined;
  }

  /** Mixes both directions and writes the WAV; returns its path, or null when nothing was heard. */
  async save(file: string): Promise<string | null> {
    // The caller's frames are contiguous: one run, resampled (if at all) once.
    const first = this.caller[0];
    const callerRun = first ? [{ atMs: first.atMs, samples: concatInt16(this.caller.map((c) => c.samples)), rate: first.rate }] : [];
    const parts = [...callerRun, ...this.agent];
    if (parts.length === 0) return null;
    const end = Math.max(...parts.map((p) => p.atMs + (p.samples.length * 1000) / p.rate));
    const mix = new Float32Array(Math.ceil((end * RATE) / 1000));
    for (const p of parts) {
      const s = p.rate === RATE ? p.samples : await resampleAll(p.samples, p.rate as AudioFrame['sampleRateHz'], RATE);
      const at = Math.round((p.atMs * RATE) / 1000);
      for (let i = 0; i < s.length && at + i < mix.length; i++) mix[at + i]! += s[i]!;
    }
    const out = new Int16Array(mix.length);
    for (let i = 0; i < mix.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(mix[i]!)));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, encodeWav({ samples: out, sampleRateHz: RATE }));
    return file;
  }
}
