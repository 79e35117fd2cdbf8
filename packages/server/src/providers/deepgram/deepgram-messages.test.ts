import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSE_STREAM, FINALIZE, KEEP_ALIVE, parseDeepgramMessage } from './deepgram-messages.ts';

// The server messages exactly as Deepgram's "Live Audio" API reference prints them.
const GOLDEN_RESULTS = `{
  "type": "Results",
  "channel_index": [0, 1],
  "duration": 1.98,
  "start": 5.99,
  "is_final": true,
  "speech_final": true,
  "channel": {
    "alternatives": [
      {
        "transcript": "Tell me more about this.",
        "confidence": 0.99964225,
        "words": [
          { "word": "tell", "start": 6.0699997, "end": 6.3499999, "confidence": 0.99782443, "punctuated_word": "Tell" },
          { "word": "me", "start": 6.3499999, "end": 6.6299996, "confidence": 0.9998324, "punctuated_word": "me" },
          { "word": "more", "start": 6.6299996, "end": 6.9899998, "confidence": 0.9995466, "punctuated_word": "more" },
          { "word": "about", "start": 6.9899998, "end": 7.3099995, "confidence": 0.99964225, "punctuated_word": "about" },
          { "word": "this", "start": 7.3099995, "end": 7.9699998, "confidence": 0.9977218, "punctuated_word": "this." }
        ]
      }
    ]
  },
  "metadata": {
    "request_id": "52cc0efe-fa77-4aa7-b79c-0dda09de2f14",
    "model_info": { "name": "2-general-nova", "version": "2024-01-18.26916", "arch": "nova-2" },
    "model_uuid": "c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c"
  },
  "from_finalize": false
}`;
const GOLDEN_INTERIM = `{"type":"Results","channel_index":[0,1],"duration":1.02,"start":0.0,"is_final":false,"speech_final":false,"channel":{"alternatives":[{"transcript":"another big","confidence":0.8,"words":[]}]},"metadata":{"request_id":"52cc0efe-fa77-4aa7-b79c-0dda09de2f14","model_info":{"name":"2-general-nova","version":"2024-01-18.26916","arch":"nova-2"},"model_uuid":"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c"},"from_finalize":false}`;
const GOLDEN_SPEECH_STARTED = `{ "type": "SpeechStarted", "channel": [0, 1], "timestamp": 9.54 }`;
const GOLDEN_UTTERANCE_END = `{ "type": "UtteranceEnd", "channel": [0, 1], "last_word_end": 2.395 }`;
const GOLDEN_METADATA = `{
  "type": "Metadata",
  "transaction_key": "deprecated",
  "request_id": "8c8ebea9-dbec-45fa-a035-e4632cb05b5f",
  "sha256": "5324da68ede209a16ac69a38e8cd29cee4d754434a041166cda3a1f5e0b24566",
  "created": "2024-08-29T22:37:55.202Z",
  "duration": 0.0,
  "channels": 0,
  "models": ["30089e05-99d1-4376-b32e-c263170674af"],
  "model_info": { "30089e05-99d1-4376-b32e-c263170674af": { "name": "2-general-nova", "version": "2024-01-09.29447", "arch": "nova-2" } }
}`;
const GOLDEN_REFUSAL = `{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"f86f2ad6-0d2a-4f1d-9e5c-0b0d4c5b6a7e"}`;

describe('parseDeepgramMessage (golden messages)', () => {
  it('reads a final Results message', () => {
    expect(parseDeepgramMessage(GOLDEN_RESULTS)).toEqual({
      type: 'Results',
      start: 5.99,
      duration: 1.98,
      isFinal: true,
      speechFinal: true,
      fromFinalize: false,
      transcript: 'Tell me more about this.',
      confidence: 0.99964225,
    });
  });

  it('reads an interim Results message', () => {
    expect(parseDeepgramMessage(GOLDEN_INTERIM)).toMatchObject({ type: 'Results', isFinal: false, speechFinal: false, transcript: 'another big', start: 0, duration: 1.02 });
  });

  it('reads SpeechStarted, UtteranceEnd and Metadata', () => {
    expect(parseDeepgramMessage(GOLDEN_SPEECH_STARTED)).toEqual({ type: 'SpeechStarted', timestamp: 9.54 });
    expect(parseDeepgramMessage(GOLDEN_UTTERANCE_END)).toEqual({ type: 'UtteranceEnd', lastWordEnd: 2.395 });
    expect(parseDeepgramMessage(GOLDEN_METADATA)).toEqual({ type: 'Metadata', requestId: '8c8ebea9-dbec-45fa-a035-e4632cb05b5f', duration: 0 });
  });

  it('reads an error body and an Error message', () => {
    expect(parseDeepgramMessage(GOLDEN_REFUSAL)).toEqual({ type: 'Error', description: 'INVALID_AUTH: Invalid credentials.' });
    expect(parseDeepgramMessage('{"type":"Error","description":"Failed to decode audio."}')).toEqual({ type: 'Error', description: 'Failed to decode audio.' });
  });

  it('keeps unknown types and non-JSON as Unknown', () => {
    expect(parseDeepgramMessage('{"type":"TurnInfo","x":1}').type).toBe('Unknown');
    expect(parseDeepgramMessage('not json').type).toBe('Unknown');
    expect(parseDeepgramMessage('[1,2]').type).toBe('Unknown');
  });

  it('tolerates a Results message with missing or ill-typed fields', () => {
    expect(parseDeepgramMessage('{"type":"Results","channel":{"alternatives":[]},"start":"x"}')).toEqual({
      type: 'Results',
      start: 0,
      duration: 0,
      isFinal: false,
      speechFinal: false,
      fromFinalize: false,
      transcript: '',
      confidence: undefined,
    });
  });

  it('encodes the control messages as Deepgram documents them', () => {
    expect(KEEP_ALIVE).toBe('{"type":"KeepAlive"}');
    expect(CLOSE_STREAM).toBe('{"type":"CloseStream"}');
    expect(FINALIZE).toBe('{"type":"Finalize"}');
  });
});

describe('parseDeepgramMessage (fuzz)', () => {
  const TYPES = new Set(['Results', 'SpeechStarted', 'UtteranceEnd', 'Metadata', 'Error', 'Unknown']);
  const valid = (m: ReturnType<typeof parseDeepgramMessage>): boolean =>
    TYPES.has(m.type) && (m.type !== 'Results' || (Number.isFinite(m.start) && Number.isFinite(m.duration) && typeof m.transcript === 'string'));

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => valid(parseDeepgramMessage(s))), { numRuns: 2000 });
  });

  it('never throws on arbitrary JSON, nor on documented messages with fields replaced by garbage', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => valid(parseDeepgramMessage(JSON.stringify(v)))), { numRuns: 500 });
    const golden = [GOLDEN_RESULTS, GOLDEN_SPEECH_STARTED, GOLDEN_UTTERANCE_END, GOLDEN_METADATA].map((g) => JSON.parse(g) as Record<string, unknown>);
    fc.assert(
      fc.property(fc.constantFrom(...golden), fc.dictionary(fc.constantFrom('start', 'duration', 'channel', 'is_final', 'timestamp', 'last_word_end', 'request_id', 'type'), fc.jsonValue({ maxDepth: 2 })), (g, patch) =>
        valid(parseDeepgramMessage(JSON.stringify({ ...g, ...patch, type: patch.type === undefined ? g.type : patch.type }))),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on truncated documented messages', () => {
    for (let n = 0; n < GOLDEN_RESULTS.length; n++) expect(valid(parseDeepgramMessage(GOLDEN_RESULTS.slice(0, n)))).toBe(true);
  });
});
