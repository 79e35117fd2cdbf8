import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { isAbortError } from '../core/errors.ts';
import { encodeWav, type PcmAudio } from '../core/audio/wav.ts';
import type { AudioFrame, MediaTransport, SampleRateHz } from '../telephony/transport.ts';

/**
 * STAND-IN for the voice loop (issue 4, replaced by the voice engine of issue 5): answers with a
 * greeting WAV, records what the caller says, reports DTMF, and hangs up at the maximum duration.
 * It exercises the media-session port end to end so carriers can be proved before the engine exists.
 */
export interface StandInOptions {
  greeting: PcmAudio;
  /** Where to write the caller's audio as WAV; null to keep nothing. */
  recordingPath: string | null;
  maxCallMs: number;
  clock: Clock;
  onDtmf?: (digit: string) => void;
}

export interface StandInResult {
  playedMs: number;
  recordedMs: number;
}

const FRAME_MS = 20;

/** Splits PCM into 20 ms frames on the call's media timeline. */
export function* framesOf(audio: PcmAudio): Generator<AudioFrame> {
  const per = (audio.sampleRateHz * FRAME_MS) / 1000;
  for (let i = 0, n = 0; i < audio.samples.length; i += per, n++) {
    const samples = new Int16Array(per);
    samples.set(audio.samples.subarray(i, i + per));
    yield { samples, sampleRateHz: audio.sampleRateHz as SampleRateHz, startMs: n * FRAME_MS };
  }
}

export async function runStandInSession(t: MediaTransport, o: StandInOptions): Promise<StandInResult> {
  const chunks: Int16Array[] = [];
  let rate = 8000;
  const recording = (async () => {
    for await (const f of t.fromCaller) {
      chunks.push(f.samples);
      rate = f.sampleRateHz;
    }
  })();
  const events = (async () => {
    for await (const e of t.events) if (e.type === 'dtmf') o.onDtmf?.(e.digit);
  })();
  const maxDuration = o.clock.sleep(o.maxCallMs, t.ended).then(
    () => t.hangup({ cause: 'max_duration', by: 'system' }),
    (e: unknown) => {
      if (!isAbortError(e) && !t.ended.aborted) throw e;
    },
  );
  const played = await t.play({ frames: framesOf(o.greeting) }, { signal: t.ended });
  await Promise.all([recording, events, maxDuration]);
  const samples = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    samples.set(c, at);
    at += c.length;
  }
  if (o.recordingPath && samples.length > 0) {
    await fs.mkdir(path.dirname(o.recordingPath), { recursive: true });
    await fs.writeFile(o.recordingPath, encodeWav({ samples, sampleRateHz: rate }));
  }
  return { playedMs: played.playedMs, recordedMs: Math.round((samples.length / rate) * 1000) };
}
