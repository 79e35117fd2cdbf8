import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeElevenLabs, type FakeElevenLabs } from '../../../../testkit/src/fakes/elevenlabs-server.ts';
import { fetchElevenLabsVoices, parseElevenLabsVoices } from './elevenlabs-voices.ts';

let fake: FakeElevenLabs;
beforeAll(async () => {
  fake = await startFakeElevenLabs();
});
afterAll(() => fake.close());

describe('ElevenLabs voices', () => {
  it('parses the voice list as ElevenLabs documents it, skipping malformed entries', () => {
    expect(
      parseElevenLabsVoices({
        voices: [
          { voice_id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', category: 'premade', labels: { accent: 'american', gender: 'female' }, preview_url: 'https://x/preview.mp3' },
          { voice_id: 'v2', name: 'Clone', labels: { gender: 'other' }, verified_languages: [{ language: 'de', locale: 'de-DE' }] },
          { name: 'no id' },
          'junk',
        ],
      }),
    ).toEqual([
      { id: '21m00Tcm4TlvDq8ikWAM', name: 'Rachel', language: 'en', gender: 'female', previewUrl: 'https://x/preview.mp3' },
      { id: 'v2', name: 'Clone', language: 'de-DE' },
    ]);
    expect(parseElevenLabsVoices({ detail: 'x' })).toEqual([]);
  });

  it('fetches the account voices with the key in xi-api-key', async () => {
    const voices = await fetchElevenLabsVoices({ apiKey: fake.apiKey, baseUrl: fake.url, signal: new AbortController().signal });
    expect(voices.map((v) => v.id)).toEqual(['21m00Tcm4TlvDq8ikWAM', 'cl0nedV01ce']);
    expect(fake.voiceRequests.at(-1)!['xi-api-key']).toBe(fake.apiKey);
  });

  it('fails with provider_auth for a rejected key', async () => {
    await expect(fetchElevenLabsVoices({ apiKey: 'nope', baseUrl: fake.url, signal: new AbortController().signal })).rejects.toMatchObject({ code: 'provider_auth' });
  });
});
