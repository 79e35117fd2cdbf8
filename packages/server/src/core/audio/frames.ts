import type { AudioFrame, SampleRateHz } from './audio-frame.ts';
import type { PcmAudio } from './wav.ts';

/** The frame length of every carrier: 20 ms (RTP packetisation of G.711, RFC 3551 §4.5). */
const FRAME_MS = 20;

/** Splits PCM into 20 ms frames on a timeline starting at 0 (the last frame is padded with silence). */
export function* framesOf(audio: PcmAudio): Generator<AudioFrame> {
  const per = (audio.sampleRateHz * FRAME_MS) / 1000;
  for (let i = 0, n = 0; i < audio.samples.length; i += per, n++) {
    const samples = new Int16Array(per);
    samples.set(audio.samples.subarray(i, i + per));
    yield { samples, sampleRateHz: audio.sampleRateHz as SampleRateHz, startMs: n * FRAME_MS };
  }
}
