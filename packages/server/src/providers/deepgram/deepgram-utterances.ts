/**
 * Turns Deepgram's live messages into the port's utterances (pure; the socket lives in
 * `deepgram-stt.ts`). Deepgram finalises an utterance in spans: each `is_final` result is one span
 * that will not change again, and the utterance is over when a result has `speech_final` (the
 * endpointer heard `endpointing` ms of silence) or an `UtteranceEnd` arrives (a gap after the last
 * word, which also fires in noise where the endpointer never does). Deepgram's own guidance is to
 * join the `is_final` spans up to that point; that joined text is our one `final` per utterance.
 */
import type { SttEvent } from '../stt.ts';
import { normaliseTranscript } from '../cloud/transcript-text.ts';
import type { DeepgramMessage } from './deepgram-messages.ts';

export interface DeepgramUtterancesOptions {
  /** Media time (ms) of the first audio sent on the socket: Deepgram's 0 s. */
  readonly originMs: number;
  /** Emit `partial` events. */
  readonly interimResults: boolean;
  /** Wall time since the audio up to `endSec` was sent (the final's latency), ms. */
  readonly latencyMs: (endSec: number) => number;
}

interface Span {
  readonly text: string;
  readonly confidence: number | undefined;
  readonly endSec: number;
}

export class DeepgramUtterances {
  private utteranceId = 0;
  private open = false;
  private startSec = 0;
  private spans: Span[] = [];
  private lastPartial = '';

  constructor(private readonly opts: DeepgramUtterancesOptions) {}

  /** The events one server message means, in order. */
  accept(msg: DeepgramMessage): SttEvent[] {
    switch (msg.type) {
      case 'SpeechStarted':
        return this.begin(msg.timestamp);
      case 'UtteranceEnd':
        return this.open ? [this.final(msg.lastWordEnd ?? this.spans.at(-1)?.endSec ?? this.startSec)] : [];
      case 'Results': {
        const text = normaliseTranscript(msg.transcript);
        const endSec = msg.start + msg.duration;
        const out = text ? this.begin(msg.start) : [];
        if (msg.isFinal) {
          if (text) this.spans.push({ text, confidence: msg.confidence, endSec });
          if (msg.speechFinal && this.open) out.push(this.final(endSec));
          else if (text) out.push(...this.partial(this.spans.map((s) => s.text).join(' '), endSec));
        } else if (text) {
          out.push(...this.partial([...this.spans.map((s) => s.text), text].join(' '), endSec));
        }
        return out;
      }
      default:
        return [];
    }
  }

  /** The audio ended and the server closed: the final of the utterance still open, if any. */
  finish(): SttEvent[] {
    return this.open ? [this.final(this.spans.at(-1)?.endSec ?? this.startSec)] : [];
  }

  private begin(atSec: number): SttEvent[] {
    if (this.open) return [];
    this.open = true;
    this.utteranceId++;
    this.startSec = atSec;
    return [{ type: 'speech_start', utteranceId: this.utteranceId, atMs: this.ms(atSec) }];
  }

  private partial(text: string, endSec: number): SttEvent[] {
    if (!this.opts.interimResults || text === this.lastPartial) return [];
    this.lastPartial = text;
    return [{ type: 'partial', utteranceId: this.utteranceId, text, atMs: this.ms(endSec) }];
  }

  private final(endSec: number): SttEvent {
    const spans = this.spans;
    const confidences = spans.map((s) => s.confidence).filter((c): c is number => c !== undefined);
    const startMs = this.ms(this.startSec);
    const endMs = Math.max(startMs, this.ms(endSec));
    const latency = Math.max(0, this.opts.latencyMs(endSec));
    const event: SttEvent = {
      type: 'final',
      utteranceId: this.utteranceId,
      text: spans.map((s) => s.text).join(' '),
      ...(confidences.length ? { confidence: confidences.reduce((a, b) => a + b, 0) / confidences.length } : {}),
      startMs,
      endMs,
      // A cloud recogniser works while the audio streams; the only time it adds is after the last audio.
      timings: { audioMs: endMs - startMs, processingMs: latency, finalLatencyMs: latency },
    };
    this.open = false;
    this.spans = [];
    this.lastPartial = '';
    return event;
  }

  private ms(sec: number): number {
    return Math.round(this.opts.originMs + sec * 1000);
  }
}
