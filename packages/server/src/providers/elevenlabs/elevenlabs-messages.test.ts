import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { END_OF_INPUT, initMessage, parseElevenLabsMessage, sentenceMessage } from './elevenlabs-messages.ts';

// The server message exactly as ElevenLabs' WebSocket reference prints it.
const GOLDEN_AUDIO = `{
  "audio": "Y3VyaW91c2x5IGRvbmc=",
  "isFinal": false,
  "normalizedAlignment": {
    "charStartTimesMs": [0, 3, 7, 9, 11, 12, 13, 15, 17, 19, 21],
    "charsDurationsMs": [3, 4, 2, 2, 1, 1, 2, 2, 2, 2, 3],
    "chars": ["H", "e", "l", "l", "o", " ", "w", "o", "r", "l", "d"]
  },
  "alignment": {
    "charStartTimesMs": [0, 3, 7, 9, 11, 12, 13, 15, 17, 19, 21],
    "charsDurationsMs": [3, 4, 2, 2, 1, 1, 2, 2, 2, 2, 3],
    "chars": ["H", "e", "l", "l", "o", " ", "w", "o", "r", "l", "d"]
  }
}`;
const GOLDEN_FINAL = '{"isFinal": true}';

describe('ElevenLabs stream-input messages', () => {
  it('encodes the first message, a sentence with flush, and the end of input', () => {
    expect(JSON.parse(initMessage({ apiKey: 'xi-key', voiceSettings: { stability: 0.5, similarity_boost: 0.8 }, chunkLengthSchedule: [50, 120] }))).toEqual({
      text: ' ',
      voice_settings: { stability: 0.5, similarity_boost: 0.8 },
      generation_config: { chunk_length_schedule: [50, 120] },
      xi_api_key: 'xi-key',
    });
    expect(sentenceMessage('Hello there.')).toBe('{"text":"Hello there. ","try_trigger_generation":true,"flush":true}');
    expect(END_OF_INPUT).toBe('{"text":""}');
  });

  it('reads an audio chunk with its alignment, and the final message', () => {
    const m = parseElevenLabsMessage(GOLDEN_AUDIO);
    expect(m).toMatchObject({ type: 'audio', isFinal: false, chars: ['H', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'] });
    expect(Buffer.from((m as { audio: Uint8Array }).audio).toString('latin1')).toBe('curiously dong');
    expect(parseElevenLabsMessage(GOLDEN_FINAL)).toEqual({ type: 'final' });
    expect(parseElevenLabsMessage('{"audio": null, "isFinal": null, "normalizedAlignment": null}')).toEqual({ type: 'audio', audio: new Uint8Array(0), chars: undefined, isFinal: false });
  });

  it('reads errors and tells a refused key apart', () => {
    expect(parseElevenLabsMessage('{"message":"Invalid API key","error":"invalid_api_key","code":1008}')).toEqual({ type: 'error', message: 'invalid_api_key: Invalid API key', auth: true });
    expect(parseElevenLabsMessage('{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}')).toMatchObject({ type: 'error', auth: true });
    expect(parseElevenLabsMessage('{"error":"quota_exceeded","message":"This request exceeds your quota."}')).toMatchObject({ type: 'error', auth: false });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))), (s) => ['audio', 'final', 'error', 'unknown'].includes(parseElevenLabsMessage(s).type)),
      { numRuns: 400 },
    );
    for (let n = 0; n < GOLDEN_AUDIO.length; n++) expect(() => parseElevenLabsMessage(GOLDEN_AUDIO.slice(0, n))).not.toThrow();
  });
});
