/**
 * The one place the speech adapters are built (STYLE rule 8; the composition root calls it once).
 * Given the installation's provider keys, it hands a call the STT and TTS its snapshot asks for:
 * `stt: 'local' | 'deepgram' | 'openai'`, `tts: 'local' | 'elevenlabs' | 'openai' | 'deepgram'`,
 * and a `voice` that is bare (`rms`: a voice of the default TTS) or qualified
 * (`elevenlabs:21m00Tcm4TlvDq8ikWAM`, `providers.md`). A provider without a key is a clear
 * `provider_auth` error naming the variable to set, never a hang later in the call.
 *
 * Cloud adapters hold no per-call state, so one instance per provider serves every call.
 */
import type { Clock } from '../core/clock.ts';
import type { Config } from '../config/config.ts';
import { DeepgramStt } from './deepgram/deepgram-stt.ts';
import { DeepgramTts } from './deepgram/deepgram-tts.ts';
import { ElevenLabsTts } from './elevenlabs/elevenlabs-tts.ts';
import { OpenAiStt } from './openai/openai-stt.ts';
import { OpenAiTts } from './openai/openai-tts.ts';
import { ProviderError } from './provider-error.ts';
import type { SttProvider } from './stt.ts';
import type { TtsProvider } from './tts.ts';

export const STT_PROVIDERS = ['local', 'deepgram', 'openai'] as const;
export const TTS_PROVIDERS = ['local', 'elevenlabs', 'openai', 'deepgram'] as const;
export type SttProviderId = (typeof STT_PROVIDERS)[number];
export type TtsProviderId = (typeof TTS_PROVIDERS)[number];

/** The environment variable holding each cloud provider's key (for messages). */
const KEY_ENV = { deepgram: 'DEEPGRAM_API_KEY', elevenlabs: 'ELEVENLABS_API_KEY', openai: 'OPENAI_API_KEY' } as const;
type CloudId = keyof typeof KEY_ENV;

export interface SpeechFactoryDeps {
  /** `config.providers`: keys and base URLs. */
  readonly providers: Pick<Config['providers'], CloudId>;
  /** The offline adapters (`createLocalSpeech()`); absent when their component is missing. */
  readonly local: { readonly stt?: SttProvider | undefined; readonly tts?: TtsProvider | undefined };
  /** Drives the adapters' timers (KeepAlive, deadlines). */
  readonly clock?: Clock;
}

/** A voice setting split into its provider and the provider's own voice id. */
export interface ResolvedVoice {
  readonly provider: TtsProviderId;
  /** Undefined: the provider's default voice. */
  readonly voiceId: string | undefined;
}

/**
 * Splits `voice` (`elevenlabs:abc`, `local:slt`, or a bare id) against the call's default TTS.
 * A prefix that is not a TTS provider is part of a bare id.
 */
export function resolveVoice(voice: string | null | undefined, defaultTts: string): ResolvedVoice {
  const v = voice?.trim() ?? '';
  const colon = v.indexOf(':');
  const prefix = colon > 0 ? v.slice(0, colon) : '';
  if (isTtsProvider(prefix)) return { provider: prefix, voiceId: v.slice(colon + 1) || undefined };
  if (!isTtsProvider(defaultTts)) throw unknownProvider('tts', defaultTts);
  return { provider: defaultTts, voiceId: v || undefined };
}

export class SpeechFactory {
  private readonly made = new Map<string, SttProvider | TtsProvider>();

  constructor(private readonly deps: SpeechFactoryDeps) {}

  /** The STT adapter for a call's `stt` setting. */
  stt(id: string): SttProvider {
    switch (id) {
      case 'local':
        if (!this.deps.local.stt) throw new ProviderError('The offline recogniser (pocketsphinx) is not installed; see GET /v1/health for the command that installs it.', 'provider_unavailable', 'local');
        return this.deps.local.stt;
      case 'deepgram':
        return this.once('stt:deepgram', () => new DeepgramStt({ ...this.endpoint('deepgram', 'speech-to-text'), ...this.clock() }));
      case 'openai':
        return this.once('stt:openai', () => new OpenAiStt({ ...this.endpoint('openai', 'speech-to-text'), ...this.clock() }));
      default:
        throw unknownProvider('stt', id);
    }
  }

  /** The TTS adapter and its voice id for a call's `tts` setting and `voice` (bare or qualified). */
  tts(defaultTts: string, voice?: string | null): { tts: TtsProvider; voiceId: string | undefined } {
    const { provider, voiceId } = resolveVoice(voice, defaultTts);
    return { tts: this.ttsProvider(provider), voiceId };
  }

  /** The TTS adapter of one provider. */
  ttsProvider(id: TtsProviderId): TtsProvider {
    switch (id) {
      case 'local':
        if (!this.deps.local.tts) throw new ProviderError('The offline synthesiser (Flite) is not installed; see GET /v1/health for the command that installs it.', 'provider_unavailable', 'local');
        return this.deps.local.tts;
      case 'elevenlabs':
        return this.once('tts:elevenlabs', () => new ElevenLabsTts(this.endpoint('elevenlabs', 'text-to-speech')));
      case 'openai':
        return this.once('tts:openai', () => new OpenAiTts(this.endpoint('openai', 'text-to-speech')));
      case 'deepgram':
        return this.once('tts:deepgram', () => new DeepgramTts(this.endpoint('deepgram', 'text-to-speech')));
    }
  }

  /** TTS providers a call can use here: `local` when installed, and every cloud provider with a key. */
  configuredTts(): TtsProviderId[] {
    return TTS_PROVIDERS.filter((p) => (p === 'local' ? this.deps.local.tts !== undefined : Boolean(this.deps.providers[p].apiKey)));
  }

  private endpoint(id: CloudId, role: string): { apiKey: string; baseUrl?: string } {
    const { apiKey, baseUrl } = this.deps.providers[id];
    if (!apiKey) throw new ProviderError(`${id} is selected for ${role} but ${KEY_ENV[id]} is not set. Set it, or choose another provider.`, 'provider_auth', id);
    return baseUrl ? { apiKey, baseUrl } : { apiKey };
  }

  private clock(): { clock?: Clock } {
    return this.deps.clock ? { clock: this.deps.clock } : {};
  }

  private once<T extends SttProvider | TtsProvider>(key: string, make: () => T): T {
    const existing = this.made.get(key);
    if (existing) return existing as T;
    const made = make();
    this.made.set(key, made);
    return made;
  }
}

function isTtsProvider(id: string): id is TtsProviderId {
  return (TTS_PROVIDERS as readonly string[]).includes(id);
}

function unknownProvider(kind: 'stt' | 'tts', id: string): ProviderError {
  const known = kind === 'stt' ? STT_PROVIDERS : TTS_PROVIDERS;
  return new ProviderError(`Unknown ${kind.toUpperCase()} provider '${id}'; choose one of ${known.join(', ')}.`, 'provider_unavailable', id);
}
