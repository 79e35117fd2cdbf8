/**
 * Part of the composition root (with `main.ts`): builds the voice loop's concrete parts — the
 * offline speech stack, the cloud adapters a snapshot selects, the dialogue, the tool runner —
 * and hands `calls/` one function that runs a call's voice loop. Nothing else constructs them.
 */
import type { Clock } from './core/clock.ts';
import type { Logger } from './core/logger.ts';
import type { Config } from './config/config.ts';
import type { Dialogue } from './engine/dialogue.ts';
import { IntakeDialogue, type IntakeSnapshot } from './engine/intake/intake-dialogue.ts';
import { LlmDialogue } from './engine/llm-dialogue.ts';
import { createToolRunner, type CallControl } from './engine/tool-runner.ts';
import { runVoiceCall, type VoiceCallEnd, type VoiceStack } from './calls/voice-call.ts';
import { SignedHttpToolClient } from './calls/http-tool-client.ts';
import { AiSdkLlm } from './providers/ai-sdk/ai-sdk-llm.ts';
import { anthropicVendor, openAiCompatibleVendor, openAiVendor } from './providers/ai-sdk/vendors.ts';
import type { LlmProvider } from './providers/llm.ts';
import { createLocalSpeech, type LocalComponentStatus, type LocalSpeech } from './providers/local/local-speech.ts';
import { ProviderError } from './providers/provider-error.ts';
import { CachingTts } from './providers/tts-cache.ts';
import { SpeechFactory } from './providers/speech-factory.ts';
import { listVoices, type VoiceCatalog } from './providers/voice-catalog.ts';
import type { TtsProvider } from './providers/tts.ts';
import type { CallsTable, Json } from './store/schema.ts';
import type { Store } from './store/store.ts';
import type { TransferRoutes } from './telephony/transfer-routes.ts';
import type { MediaTransport } from './telephony/transport.ts';
import type { HttpSender } from './webhooks/http-sender.ts';

/** One line of `GET /v1/health` → `components` (api.md). */
export interface ComponentHealth {
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly provider?: string;
  readonly detail?: string;
}

export interface VoiceHealth {
  readonly vad: ComponentHealth;
  readonly stt: ComponentHealth;
  readonly llm: ComponentHealth;
  readonly tts: ComponentHealth;
}

export interface VoiceRuntime {
  /** The speech and language components as health reports them: what runs, what is missing and what the agent does meanwhile. */
  health(): Promise<VoiceHealth>;
  /** `GET /v1/voices`: every voice of every configured TTS provider. */
  voices(signal: AbortSignal): Promise<VoiceCatalog>;
  /** Runs the voice loop of an answered call until it ends. */
  runSession(call: CallsTable, transport: MediaTransport, transfers?: TransferRoutes): Promise<VoiceCallEnd>;
  /** A call is ringing: synthesise its fixed first message ahead, so the first audio follows the answer at once. */
  prepare(call: CallsTable): void;
  /** Loads the offline recogniser and starts the synthesiser ahead of the first call. */
  warmUp(): Promise<void>;
  /** The offline components: what runs, what is missing and what the agent falls back to. */
  status(): readonly LocalComponentStatus[];
  /** The LLM of a provider id (`openai`, `anthropic`, `openai-compatible`), for the dialogue and extraction. */
  llm(id: string): LlmProvider;
  close(): Promise<void>;
}

export function createVoiceRuntime(d: { config: Config; store: Store; clock: Clock; log: Logger; sender: HttpSender; localSpeech?: () => LocalSpeech }): VoiceRuntime {
  const { config, store, clock, log } = d;
  let local: LocalSpeech | undefined;
  const speech = (): LocalSpeech => (local ??= (d.localSpeech ?? (() => createLocalSpeech()))());
  // One sentence cache per TTS adapter: greetings and fixed prompts repeat call after call.
  const caches = new Map<TtsProvider, CachingTts>();
  const cached = (tts: TtsProvider): CachingTts => {
    let c = caches.get(tts);
    if (!c) caches.set(tts, (c = new CachingTts(tts)));
    return c;
  };
  let factory: SpeechFactory | undefined;
  const speechFactory = (): SpeechFactory => (factory ??= new SpeechFactory({ providers: config.providers, local: { stt: speech().stt, tts: speech().tts }, clock }));
  const llms = new Map<string, LlmProvider>();

  const llm = (id: string): LlmProvider => {
    let made = llms.get(id);
    if (made) return made;
    const p = config.providers;
    const opts = { model: config.defaults.llmModel };
    if (id === 'openai') {
      if (!p.openai.apiKey) throw new ProviderError('The OpenAI LLM is selected but OPENAI_API_KEY is not set.', 'provider_auth', 'openai');
      made = new AiSdkLlm(openAiVendor(p.openai), opts);
    } else if (id === 'openai-compatible') made = new AiSdkLlm(openAiCompatibleVendor(p.openai), opts);
    else if (id === 'anthropic') {
      if (!p.anthropic.apiKey) throw new ProviderError('The Anthropic LLM is selected but ANTHROPIC_API_KEY is not set.', 'provider_auth', 'anthropic');
      made = new AiSdkLlm(anthropicVendor(p.anthropic), opts);
    } else throw new ProviderError(`Unknown LLM provider '${id}'; use local, openai, openai-compatible or anthropic.`, 'provider_unavailable', id);
    llms.set(id, made);
    return made;
  };

  const speechFor = async (snapshot: Record<string, Json>): Promise<VoiceStack> => {
    const s = (snapshot.settings ?? {}) as Record<string, Json>;
    const sttId = typeof s.stt === 'string' ? s.stt : config.defaults.stt;
    const defaultTts = typeof s.tts === 'string' ? s.tts : config.defaults.tts;
    // Without the offline recogniser the call still runs: the caller answers with the keypad.
    const stt = sttId === 'local' ? speech().stt : speechFactory().stt(sttId);
    const { tts, voiceId } = speechFactory().tts(defaultTts, typeof snapshot.voice === 'string' ? snapshot.voice : null);
    return { vad: speech().vad, stt, tts: cached(tts), ...(voiceId ? { voice: voiceId } : {}) };
  };

  const dialogueFor = (call: CallsTable, o: { keypadOnly: boolean }): Dialogue => {
    const s = (call.snapshot.settings ?? {}) as Record<string, Json>;
    const id = typeof s.llm === 'string' ? s.llm : config.defaults.llm;
    // `local`: no model weights ship in any package, so the offline dialogue is the intake form-filler (providers.md).
    if (id === 'local') return new IntakeDialogue({ snapshot: call.snapshot as IntakeSnapshot, now: () => clock.now(), keypadOnly: o.keypadOnly });
    return new LlmDialogue({ llm: llm(id), snapshot: call.snapshot, clock, callerNumber: call.direction === 'outbound' ? call.to_number : call.from_number, direction: call.direction });
  };

  // Reachability of a cloud provider: any HTTP answer from its base URL (even 401/404) means the
  // network path works; checked at most every 30 s so health stays cheap.
  const reach = new Map<string, { at: number; ok: boolean; detail: string }>();
  const BASE: Record<string, string | undefined> = {
    openai: config.providers.openai.baseUrl ?? 'https://api.openai.com/v1',
    'openai-compatible': config.providers.openai.baseUrl ?? 'http://localhost:11434/v1',
    anthropic: config.providers.anthropic.baseUrl ?? 'https://api.anthropic.com',
    deepgram: config.providers.deepgram.baseUrl ?? 'https://api.deepgram.com',
    elevenlabs: config.providers.elevenlabs.baseUrl ?? 'https://api.elevenlabs.io',
  };
  const KEY: Record<string, string | undefined> = {
    openai: config.providers.openai.apiKey, 'openai-compatible': 'optional', anthropic: config.providers.anthropic.apiKey,
    deepgram: config.providers.deepgram.apiKey, elevenlabs: config.providers.elevenlabs.apiKey,
  };
  const cloudHealth = async (provider: string, role: string): Promise<ComponentHealth> => {
    const base = BASE[provider];
    if (!base) return { status: 'unavailable', provider, detail: `unknown ${role} provider` };
    if (!KEY[provider]) return { status: 'unavailable', provider, detail: `${provider} is selected for ${role} but its API key is not set; calls fail with provider_auth` };
    const cached = reach.get(provider);
    if (cached && clock.now() - cached.at < 30_000) return { status: cached.ok ? 'ok' : 'degraded', provider, detail: cached.detail };
    let ok = false;
    let detail = '';
    try {
      const res = await fetch(base, { method: 'GET', signal: AbortSignal.timeout(2000) });
      ok = true;
      detail = `reachable at ${base} (HTTP ${res.status})`;
      await res.body?.cancel();
    } catch (e) {
      detail = `not reachable at ${base}: ${e instanceof Error ? e.message : String(e)}; calls using it fail with provider_unavailable`;
    }
    reach.set(provider, { at: clock.now(), ok, detail });
    return { status: ok ? 'ok' : 'degraded', provider, detail };
  };

  return {
    async runSession(call, transport, transfers) {
      const org = await store.orgs.get(call.org_id);
      if (!org) throw new Error(`call ${call.id} belongs to no organisation`);
      const http = new SignedHttpToolClient({ sender: d.sender, secret: org.webhook_secret });
      return runVoiceCall(
        {
          store, clock, log, dataDir: config.dataDir, speechFor,
          dialogueFor,
          toolsFor: (c, control: CallControl) =>
            createToolRunner({ tools: c.snapshot.tools, callId: c.id, agentId: c.agent_id ?? '', clock, control, http, journal: (e) => store.calls.addEvent(c, 'tool_call', { ...e }).then(() => undefined), log }),
        },
        call,
        transport,
        transfers,
      );
    },
    prepare(call) {
      const text = call.snapshot.first_message;
      if (typeof text !== 'string' || !text) return;
      speechFor(call.snapshot)
        .then((stack) => (stack.tts as CachingTts).warm(text, { signal: AbortSignal.timeout(10_000), ...(stack.voice ? { voice: stack.voice } : {}) }))
        .catch((e: unknown) => log.debug({ err: String(e), call: call.id }, 'first message not synthesised ahead'));
    },
    async warmUp() {
      const { stt, tts } = speech();
      const warm = (x: unknown): Promise<void> | undefined => (x as { warmUp?: () => Promise<void> } | undefined)?.warmUp?.();
      await Promise.all([warm(stt), warm(tts)]);
    },
    health: async () => {
      const local = speech().status;
      const line = (component: 'vad' | 'stt' | 'tts', provider: string): Promise<ComponentHealth> => {
        if (provider !== 'local') return cloudHealth(provider, component);
        const st = local.find((x) => x.component === component);
        if (!st) return Promise.resolve({ status: 'unavailable', provider });
        return Promise.resolve(st.ok ? { status: 'ok', provider: st.running } : { status: 'degraded', provider: st.running, detail: `${st.missing}. Install: ${st.install}. Until then: ${st.fallback}.` });
      };
      const llmId = config.defaults.llm;
      const [vad, stt, tts, llmLine] = await Promise.all([
        line('vad', 'local'),
        line('stt', config.defaults.stt),
        line('tts', config.defaults.tts),
        llmId === 'local'
          ? Promise.resolve<ComponentHealth>({ status: 'ok', provider: 'local', detail: 'the intake dialogue (a form-filler: no model weights ship in any package); point OPENAI_BASE_URL at a local OpenAI-compatible server for a model' })
          : cloudHealth(llmId, 'llm'),
      ]);
      return { vad, stt, tts, llm: llmLine };
    },
    voices: (signal) => listVoices({ speech: speechFactory(), elevenlabs: config.providers.elevenlabs }, signal),
    status: () => speech().status,
    llm,
    close: async () => {
      await local?.close();
    },
  };
}
