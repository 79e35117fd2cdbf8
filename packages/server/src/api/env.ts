import type { Clock } from '../core/clock.ts';
import type { Config } from '../config/config.ts';
import type { CallResults } from '../calls/call-results.ts';
import type { Store } from '../store/store.ts';
import type { VoiceCatalog } from '../providers/voice-catalog.ts';

/** What the API needs from the rest of the platform (built in main.ts). */
export interface ApiDeps {
  store: Store;
  clock: Clock;
  config: Config;
  version: string;
  startedAtMs: number;
  /** Ports actually bound (0 in config means "picked at start"). */
  ports: () => { http: number | null; sip: number | null };
  /** The database answers; health reports `down` otherwise. */
  pingDatabase: () => Promise<boolean>;
  log: { error(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
  /** Re-runs extraction for `POST /v1/calls/{id}/extract` (absent where no calls run, e.g. the OpenAPI export). */
  callResults?: Pick<CallResults, 'rerun'>;
  /** The voice runtime's health lines and voice list (absent where no calls run, e.g. the OpenAPI export). */
  voice?: {
    health(): Promise<Record<'vad' | 'stt' | 'llm' | 'tts', { status: string; provider?: string; detail?: string }>>;
    voices(signal: AbortSignal): Promise<VoiceCatalog>;
  };
}

/** Hono's per-request variables. */
export interface ApiEnv {
  Variables: {
    orgId: string;
    keyId: string;
    rawBody: string;
  };
}
