/**
 * Cuts synthesised PCM into the 20 ms frames every carrier sends, tagged with the sentence they
 * belong to. A frame never mixes two sentences: the last frame of a sentence is padded with
 * silence, so a barge-in records exactly the sentences whose frames were played.
 */
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import type { TtsFrame } from '../tts.ts';

/** Frame length of the yielded audio: the 20 ms of every carrier (G.711 RTP, Twilio media). */
export const TTS_FRAME_MS = 20;

export class TtsFramer {
  private readonly frameLen: number;
  private pending: Int16Array;
  private filled = 0;
  private sentenceIndex = -1;
  private sentence = '';
  private startMs = 0;

  constructor(readonly sampleRateHz: SampleRateHz) {
    this.frameLen = (sampleRateHz * TTS_FRAME_MS) / 1000;
    this.pending = new Int16Array(this.frameLen);
  }

  /** Adds samples of sentence `sentenceIndex`; returns the whole frames now ready. A new index closes the previous sentence. */
  push(samples: Int16Array, sentenceIndex: number, sentence: string): TtsFrame[] {
    const out = sentenceIndex !== this.sentenceIndex ? this.endSentence() : [];
    this.sentenceIndex = sentenceIndex;
    this.sentence = sentence;
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(this.frameLen - this.filled, samples.length - at);
      this.pending.set(samples.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.frameLen) out.push(this.emit());
    }
    return out;
  }

  /** Pads and returns the last partial frame of the current sentence (none when it ended on a frame boundary). */
  endSentence(): TtsFrame[] {
    if (this.filled === 0) return [];
    this.pending.fill(0, this.filled);
    return [this.emit()];
  }

  /** Milliseconds of audio framed so far (the next frame's `startMs`). */
  get durationMs(): number {
    return this.startMs;
  }

  private emit(): TtsFrame {
    const frame: TtsFrame = { samples: this.pending, sampleRateHz: this.sampleRateHz, startMs: this.startMs, sentenceIndex: this.sentenceIndex, sentence: this.sentence };
    this.pending = new Int16Array(this.frameLen);
    this.filled = 0;
    this.startMs += TTS_FRAME_MS;
    return frame;
  }
}
