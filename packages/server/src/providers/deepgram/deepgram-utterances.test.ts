import { describe, expect, it } from 'vitest';
import type { DeepgramMessage } from './deepgram-messages.ts';
import { DeepgramUtterances } from './deepgram-utterances.ts';

const results = (start: number, duration: number, transcript: string, isFinal = false, speechFinal = false, confidence = 0.9): DeepgramMessage => ({
  type: 'Results',
  start,
  duration,
  transcript,
  isFinal,
  speechFinal,
  fromFinalize: false,
  confidence,
});

const make = (interimResults = true): DeepgramUtterances => new DeepgramUtterances({ originMs: 1000, interimResults, latencyMs: () => 42 });

describe('DeepgramUtterances', () => {
  it('turns SpeechStarted, interim results and a speech_final result into speech_start, partials and one final on the media timeline', () => {
    const u = make();
    const ev = [
      ...u.accept({ type: 'SpeechStarted', timestamp: 0.5 }),
      ...u.accept(results(0, 1, 'Hello')),
      ...u.accept(results(0, 1.5, 'Hello there')),
      ...u.accept(results(0, 1.6, 'Hello there.', true, true, 0.8)),
    ];
    expect(ev).toEqual([
      { type: 'speech_start', utteranceId: 1, atMs: 1500 },
      { type: 'partial', utteranceId: 1, text: 'hello', atMs: 2000 },
      { type: 'partial', utteranceId: 1, text: 'hello there', atMs: 2500 },
      { type: 'final', utteranceId: 1, text: 'hello there', confidence: 0.8, startMs: 1500, endMs: 2600, timings: { audioMs: 1100, processingMs: 42, finalLatencyMs: 42 } },
    ]);
  });

  it('joins is_final spans until speech_final (Deepgram finalises long utterances in pieces)', () => {
    const u = make(false);
    const ev = [...u.accept(results(0, 2, 'my number is', true)), ...u.accept(results(2, 1, 'four one five', true)), ...u.accept(results(3, 0.5, '', true, true))];
    expect(ev.map((e) => e.type)).toEqual(['speech_start', 'final']);
    expect(ev[1]).toMatchObject({ text: 'my number is four one five', confidence: 0.9, startMs: 1000, endMs: 4500 });
  });

  it('closes an utterance on UtteranceEnd when the endpointer never fired (noise)', () => {
    const u = make();
    u.accept(results(0, 1, 'yes', true));
    expect(u.accept({ type: 'UtteranceEnd', lastWordEnd: 0.9 })).toMatchObject([{ type: 'final', text: 'yes', endMs: 1900 }]);
    // The UtteranceEnd that follows a speech_final result adds nothing.
    expect(u.accept({ type: 'UtteranceEnd', lastWordEnd: 0.9 })).toEqual([]);
  });

  it('numbers utterances and emits an empty final for speech that had no words', () => {
    const u = make();
    u.accept({ type: 'SpeechStarted', timestamp: 0.1 });
    const first = u.accept(results(0, 0.8, '', true, true));
    expect(first).toMatchObject([{ type: 'final', utteranceId: 1, text: '' }]);
    const second = [...u.accept(results(1, 1, 'no', true)), ...u.finish()];
    expect(second).toMatchObject([{ type: 'speech_start', utteranceId: 2 }, { type: 'partial', utteranceId: 2 }, { type: 'final', utteranceId: 2, text: 'no' }]);
  });

  it('says nothing for silence, metadata and unknown messages, and finishes with nothing open', () => {
    const u = make();
    expect([...u.accept(results(0, 1, '')), ...u.accept(results(0, 1, '', true, true)), ...u.accept({ type: 'Metadata', requestId: 'x', duration: 1 }), ...u.accept({ type: 'Unknown', raw: '?' }), ...u.finish()]).toEqual([]);
  });
});
