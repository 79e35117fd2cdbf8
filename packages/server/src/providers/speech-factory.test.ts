import { describe, expect, it } from 'vitest';
import { DeepgramStt } from './deepgram/deepgram-stt.ts';
import { DeepgramTts } from './deepgram/deepgram-tts.ts';
import { ElevenLabsTts } from './elevenlabs/elevenlabs-tts.ts';
import { FLITE_VOICES } from './local/flite-tts.ts';
import { OpenAiStt } from './openai/openai-stt.ts';
import { OpenAiTts } from './openai/openai-tts.ts';
import { ProviderError } from './provider-error.ts';
import { resolveVoice, SpeechFactory } from './speech-factory.ts';
import type { TtsProvider } from './tts.ts';

/** The offline TTS as the factory sees it (only its identity and voices matter here). */
const localTts: TtsProvider = {
  id: 'local',
  capabilities: { streamingInput: true, streamingOutput: true, sampleRateHz: 16000, voices: FLITE_VOICES, defaultVoice: 'rms', offline: true },
  synthesize: async function* () {},
};
const none = { apiKey: undefined, baseUrl: undefined };
const keyed = { apiKey: 'k', baseUrl: 'http://127.0.0.1:1' };

describe('resolveVoice', () => {
  it.each([
    ['elevenlabs:21m00Tcm4TlvDq8ikWAM', 'local', { provider: 'elevenlabs', voiceId: '21m00Tcm4TlvDq8ikWAM' }],
    ['local:slt', 'deepgram', { provider: 'local', voiceId: 'slt' }],
    ['slt', 'local', { provider: 'local', voiceId: 'slt' }],
    ['aura-2-thalia-en', 'deepgram', { provider: 'deepgram', voiceId: 'aura-2-thalia-en' }],
    ['custom:thing', 'openai', { provider: 'openai', voiceId: 'custom:thing' }],
    ['', 'openai', { provider: 'openai', voiceId: undefined }],
    [null, 'local', { provider: 'local', voiceId: undefined }],
    ['openai:', 'local', { provider: 'openai', voiceId: undefined }],
  ] as const)('%j with default %s', (voice, def, want) => expect(resolveVoice(voice, def)).toEqual(want));

  it('refuses an unknown default provider', () => {
    expect(() => resolveVoice('x', 'acme')).toThrow(ProviderError);
  });
});

describe('SpeechFactory', () => {
  const factory = new SpeechFactory({ providers: { deepgram: keyed, elevenlabs: keyed, openai: keyed }, local: { tts: localTts } });

  it('builds each cloud adapter once and hands back the offline ones', () => {
    expect(factory.stt('deepgram')).toBeInstanceOf(DeepgramStt);
    expect(factory.stt('deepgram')).toBe(factory.stt('deepgram'));
    expect(factory.stt('openai')).toBeInstanceOf(OpenAiStt);
    expect(factory.tts('local', 'elevenlabs:abc')).toEqual({ tts: expect.any(ElevenLabsTts), voiceId: 'abc' });
    expect(factory.tts('openai', 'coral').tts).toBeInstanceOf(OpenAiTts);
    expect(factory.tts('deepgram').tts).toBeInstanceOf(DeepgramTts);
    expect(factory.tts('local', 'kal16')).toEqual({ tts: localTts, voiceId: 'kal16' });
  });

  it('fails with provider_auth naming the variable when a selected provider has no key', () => {
    const bare = new SpeechFactory({ providers: { deepgram: none, elevenlabs: none, openai: none }, local: {} });
    for (const [run, env] of [
      [() => bare.stt('deepgram'), 'DEEPGRAM_API_KEY'],
      [() => bare.tts('elevenlabs'), 'ELEVENLABS_API_KEY'],
      [() => bare.tts('local', 'openai:alloy'), 'OPENAI_API_KEY'],
    ] as const) {
      const e = (() => {
        try {
          run();
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(ProviderError);
      expect(e).toMatchObject({ code: 'provider_auth' });
      expect((e as Error).message).toContain(env);
    }
  });

  it('says when an offline component is missing or a provider id is unknown', () => {
    const bare = new SpeechFactory({ providers: { deepgram: none, elevenlabs: none, openai: none }, local: {} });
    expect(() => bare.stt('local')).toThrow(/pocketsphinx/);
    expect(() => bare.tts('local')).toThrow(/Flite/);
    expect(() => bare.stt('acme')).toThrow(/Unknown STT provider 'acme'/);
  });

  it('lists the TTS providers a call can use', () => {
    expect(factory.configuredTts()).toEqual(['local', 'elevenlabs', 'openai', 'deepgram']);
    expect(new SpeechFactory({ providers: { deepgram: keyed, elevenlabs: none, openai: none }, local: {} }).configuredTts()).toEqual(['deepgram']);
  });
});
