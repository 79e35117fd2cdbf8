/**
 * The pacer stage's accounting (STYLE rule 5: playout is observed, not guessed): TTS frames go to
 * the transport one segment per sentence, each `play()` resolves with what was really sent, and
 * the text the caller heard is built from those results — whole sentences, and for the sentence
 * cut by a barge-in the share of its words that were played.
 */
import { AsyncQueue } from '../telephony/async-queue.ts';
import type { MediaTransport, PlayoutResult } from '../telephony/transport.ts';
import type { TtsFrame } from '../providers/tts.ts';
import { isAbortError } from '../core/errors.ts';

/** What an agent reply put on the line. */
export interface Spoken {
  /** The text the caller heard (a prefix of `fullText` when interrupted). */
  readonly playedText: string;
  /** Everything that was synthesised. */
  readonly fullText: string;
  readonly playedMs: number;
  /** Playout stopped before the end (barge-in, hang-up). */
  readonly interrupted: boolean;
}

interface SentencePlayout {
  readonly text: string;
  samples: number;
  readonly rateHz: number;
  readonly result: Promise<PlayoutResult>;
  readonly frames: AsyncQueue<TtsFrame>;
}

/**
 * Plays `frames` (one TTS stream, tagged by sentence) until they end or `signal` aborts.
 * `onFirstFrame` runs when the transport takes the first frame (first audio on the wire, for the
 * turn timeline). Resolves after the last segment settled; never rejects for an abort.
 */
export async function speak(
  frames: AsyncIterable<TtsFrame>,
  transport: MediaTransport,
  opts: { signal: AbortSignal; onFirstFrame?: () => void; onFirstAudio?: () => void },
): Promise<Spoken> {
  const sentences: SentencePlayout[] = [];
  let current: SentencePlayout | undefined;
  let firstTaken = false;
  let error: unknown;
  let cut = false;
  let index = -1;
  const tap = async function* (q: AsyncQueue<TtsFrame>): AsyncGenerator<TtsFrame> {
    for await (const f of q) {
      if (!firstTaken) {
        firstTaken = true;
        opts.onFirstFrame?.();
      }
      yield f;
    }
  };
  try {
    let first = true;
    for await (const f of frames) {
      if (opts.signal.aborted) {
        cut = true;
        break;
      }
      if (first) {
        first = false;
        opts.onFirstAudio?.();
      }
      if (!current || f.sentenceIndex !== index) {
        current?.frames.close();
        index = f.sentenceIndex;
        const q = new AsyncQueue<TtsFrame>();
        current = { text: f.sentence, samples: 0, rateHz: f.sampleRateHz, frames: q, result: transport.play({ frames: tap(q) }, { signal: opts.signal }) };
        sentences.push(current);
      }
      current.samples += f.samples.length;
      current.frames.push(f);
    }
  } catch (e) {
    if (isAbortError(e) || opts.signal.aborted) cut = true;
    else error = e;
  } finally {
    current?.frames.close();
  }
  const results = await Promise.all(sentences.map((s) => s.result));
  if (error) throw error;
  let playedMs = 0;
  let interrupted = false;
  const heard: string[] = [];
  for (const [i, s] of sentences.entries()) {
    const r = results[i] as PlayoutResult;
    playedMs += r.playedMs;
    if (interrupted) continue;
    if (r.completed) {
      if (s.text) heard.push(s.text);
      continue;
    }
    interrupted = true;
    const totalMs = (s.samples * 1000) / s.rateHz;
    heard.push(playedPrefix(s.text, totalMs > 0 ? r.playedMs / totalMs : 0));
  }
  return {
    playedText: heard.filter(Boolean).join(' '),
    fullText: sentences.map((s) => s.text).filter(Boolean).join(' '),
    playedMs,
    interrupted: interrupted || cut,
  };
}

/** The words of `sentence` heard when `share` (0…1) of its audio was played; a word counts once half of it was played. */
export function playedPrefix(sentence: string, share: number): string {
  const words = sentence.split(/\s+/).filter(Boolean);
  const n = Math.min(words.length, Math.max(0, Math.round(words.length * share)));
  return words.slice(0, n).join(' ');
}
