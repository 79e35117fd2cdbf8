/**
 * Text-to-speech over plain HTTP, sentence by sentence (Deepgram Aura, OpenAI speech): each
 * sentence of the reply is one request whose streamed PCM body is resampled to the call's rate and
 * cut into 20 ms frames tagged with that sentence. The next sentence's request is sent while the
 * current one plays, so there is no gap between sentences for a round trip.
 */
import type { SampleRateHz } from '../../core/audio/audio-frame.ts';
import { createResampler } from '../../core/audio/resampler.ts';
import { sentences } from '../sentence-chunker.ts';
import type { TtsFrame } from '../tts.ts';
import { Pcm16Decoder } from './pcm16-decoder.ts';
import { ABORTED, raceAbort } from '../race-abort.ts';
import { TtsFramer } from './tts-framer.ts';

/** The audio of one sentence as it streams: raw PCM16 little-endian at `sampleRateHz`. */
export interface SentenceAudio {
  readonly sampleRateHz: SampleRateHz;
  readonly body: AsyncIterable<Uint8Array>;
}

/** Starts synthesising one sentence; resolves once its audio starts (`undefined` when aborted). */
export type SentenceRequest = (sentence: string, signal: AbortSignal) => Promise<SentenceAudio | undefined>;

interface Pending {
  readonly index: number;
  readonly sentence: string;
  readonly audio: Promise<SentenceAudio | undefined>;
}

/** Synthesises `text` sentence by sentence through `request`; ends quietly, at once, when `signal` aborts. */
export async function* synthesizeSentences(text: AsyncIterable<string> | string, opts: { signal: AbortSignal; sampleRateHz: SampleRateHz }, request: SentenceRequest): AsyncGenerator<TtsFrame> {
  const { signal, sampleRateHz } = opts;
  if (signal.aborted) return;
  // Owns every request of this synthesis: aborted when the caller aborts or stops reading.
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const chunker = sentences(typeof text === 'string' ? [text] : text);
  const framer = new TtsFramer(sampleRateHz);
  let nextIndex = 0;
  const pull = async (): Promise<Pending | undefined> => {
    const r = await chunker.next();
    if (r.done) return undefined;
    const audio = request(r.value, inner.signal);
    audio.catch(() => undefined); // observed when its turn comes, or abandoned on abort
    return { index: nextIndex++, sentence: r.value, audio };
  };
  try {
    let upcoming = pull();
    for (;;) {
      const cur = await raceAbort(upcoming, inner.signal);
      if (cur === ABORTED || cur === undefined) return;
      upcoming = pull();
      upcoming.catch(() => undefined);
      const audio = await raceAbort(cur.audio, inner.signal);
      if (audio === ABORTED || audio === undefined) return;
      const resampler = await createResampler(audio.sampleRateHz, sampleRateHz);
      const pcm = new Pcm16Decoder();
      try {
        for await (const bytes of audio.body) {
          for (const f of framer.push(resampler.process(pcm.decode(bytes)), cur.index, cur.sentence)) {
            if (signal.aborted) return;
            yield f;
          }
        }
        if (signal.aborted) return;
        for (const f of [...framer.push(resampler.flush(), cur.index, cur.sentence), ...framer.endSentence()]) {
          if (signal.aborted) return;
          yield f;
        }
      } finally {
        resampler.close();
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    inner.abort();
    void chunker.return(undefined).catch(() => undefined);
  }
}
