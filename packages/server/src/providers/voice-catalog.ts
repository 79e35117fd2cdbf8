/**
 * The data of `GET /v1/voices` (`api.md`): every voice of every TTS provider configured here,
 * with the qualified id (`<provider>:<voice>`) that an agent's `voice` accepts. ElevenLabs is
 * asked for the account's voices; Deepgram and OpenAI have no list endpoint for their speech
 * voices, so their adapters' static lists are used. A provider that cannot be listed falls back to
 * its static voices and is named in `problems`, so one vendor's outage does not empty the page.
 */
import type { VoiceInfo } from './capabilities.ts';
import { fetchElevenLabsVoices } from './elevenlabs/elevenlabs-voices.ts';
import { ProviderError } from './provider-error.ts';
import type { SpeechFactory, TtsProviderId } from './speech-factory.ts';

/** One entry of the list; camelCase here, snake_case at the API edge. */
export interface CatalogVoice {
  /** Qualified: `elevenlabs:21m00Tcm4TlvDq8ikWAM`. */
  readonly id: string;
  readonly provider: TtsProviderId;
  readonly name: string;
  readonly language: string;
  readonly gender?: 'female' | 'male' | 'neutral';
  readonly previewUrl?: string;
}

export interface VoiceCatalog {
  readonly voices: CatalogVoice[];
  /** Providers whose live list could not be read (their static voices are listed instead). */
  readonly problems: Array<{ readonly provider: TtsProviderId; readonly message: string; readonly code: string }>;
}

export interface VoiceCatalogDeps {
  readonly speech: SpeechFactory;
  /** ElevenLabs' key and base URL (`config.providers.elevenlabs`). */
  readonly elevenlabs: { readonly apiKey: string | undefined; readonly baseUrl: string | undefined };
  /** Test seam: how the ElevenLabs account's voices are read. */
  readonly fetchElevenLabs?: typeof fetchElevenLabsVoices;
}

/** Lists the voices of every configured TTS provider, `local` first. */
export async function listVoices(deps: VoiceCatalogDeps, signal: AbortSignal): Promise<VoiceCatalog> {
  const problems: VoiceCatalog['problems'] = [];
  const lists = await Promise.all(
    deps.speech.configuredTts().map(async (provider): Promise<CatalogVoice[]> => {
      const fallback = deps.speech.ttsProvider(provider).capabilities.voices;
      let voices: readonly VoiceInfo[] = fallback;
      if (provider === 'elevenlabs' && deps.elevenlabs.apiKey) {
        try {
          voices = await (deps.fetchElevenLabs ?? fetchElevenLabsVoices)({ apiKey: deps.elevenlabs.apiKey, signal, ...(deps.elevenlabs.baseUrl ? { baseUrl: deps.elevenlabs.baseUrl } : {}) });
        } catch (e) {
          if (!(e instanceof ProviderError)) throw e;
          problems.push({ provider, message: e.message, code: e.code });
        }
      }
      return voices.map((v) => ({
        id: `${provider}:${v.id}`,
        provider,
        name: v.name,
        language: v.language,
        ...(v.gender ? { gender: v.gender } : {}),
        ...(v.previewUrl ? { previewUrl: v.previewUrl } : {}),
      }));
    }),
  );
  return { voices: lists.flat(), problems };
}
