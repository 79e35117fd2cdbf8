import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeElevenLabs, type FakeElevenLabs } from '../../../testkit/src/fakes/elevenlabs-server.ts';
import { FLITE_VOICES } from './local/flite-tts.ts';
import { SpeechFactory } from './speech-factory.ts';
import type { TtsProvider } from './tts.ts';
import { listVoices } from './voice-catalog.ts';

let fake: FakeElevenLabs;
beforeAll(async () => {
  fake = await startFakeElevenLabs();
});
afterAll(() => fake.close());

const localTts: TtsProvider = {
  id: 'local',
  capabilities: { streamingInput: true, streamingOutput: true, sampleRateHz: 16000, voices: FLITE_VOICES, defaultVoice: 'rms', offline: true },
  synthesize: async function* () {},
};

describe('listVoices', () => {
  it('lists the local voices and every configured cloud provider, ElevenLabs from the account', async () => {
    fake.settings.rejectStatus = undefined;
    const elevenlabs = { apiKey: fake.apiKey, baseUrl: fake.url };
    const speech = new SpeechFactory({ providers: { deepgram: { apiKey: 'dg', baseUrl: undefined }, elevenlabs, openai: { apiKey: undefined, baseUrl: undefined } }, local: { tts: localTts } });
    const { voices, problems } = await listVoices({ speech, elevenlabs }, new AbortController().signal);
    expect(problems).toEqual([]);
    expect(voices.filter((v) => v.provider === 'local').map((v) => v.id)).toEqual(['local:rms', 'local:slt', 'local:awb', 'local:kal16', 'local:kal']);
    expect(voices.filter((v) => v.provider === 'elevenlabs')).toEqual([
      { id: 'elevenlabs:21m00Tcm4TlvDq8ikWAM', provider: 'elevenlabs', name: 'Rachel', language: 'en', gender: 'female', previewUrl: expect.stringContaining('preview.mp3') },
      { id: 'elevenlabs:cl0nedV01ce', provider: 'elevenlabs', name: 'Front desk (cloned)', language: 'en-GB' },
    ]);
    expect(voices.find((v) => v.id === 'deepgram:aura-2-thalia-en')).toMatchObject({ provider: 'deepgram', language: 'en-US', gender: 'female' });
    expect(voices.some((v) => v.provider === 'openai')).toBe(false);
  });

  it('falls back to the premade ElevenLabs voices and names the problem when the account list fails', async () => {
    fake.settings.rejectStatus = 500;
    const elevenlabs = { apiKey: fake.apiKey, baseUrl: fake.url };
    const none = { apiKey: undefined, baseUrl: undefined };
    const speech = new SpeechFactory({ providers: { deepgram: none, elevenlabs, openai: none }, local: {} });
    const { voices, problems } = await listVoices({ speech, elevenlabs }, new AbortController().signal);
    expect(problems).toMatchObject([{ provider: 'elevenlabs', code: 'provider_unavailable' }]);
    expect(voices[0]).toMatchObject({ id: 'elevenlabs:21m00Tcm4TlvDq8ikWAM', name: 'Rachel' });
    fake.settings.rejectStatus = undefined;
  });
});
