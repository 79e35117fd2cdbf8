/**
 * Builds the offline speech stack and says plainly what is missing (`providers.md`: "when a
 * component is missing, `npm start` and `GET /v1/health` say which one and what the agent falls
 * back to"). The composition root calls this once; nothing here is a singleton.
 */
import { ComponentMissingError } from '../provider-error.ts';
import type { SttProvider } from '../stt.ts';
import type { TtsProvider } from '../tts.ts';
import type { VadProvider } from '../vad.ts';
import { EnergyVad } from './energy-vad.ts';
import { FliteTts } from './flite-tts.ts';
import { PocketsphinxStt, type PocketsphinxSttOptions } from './pocketsphinx-stt.ts';
import { SileroVad } from './silero-vad.ts';

/** One line of the health report per component. */
export interface LocalComponentStatus {
  readonly component: 'vad' | 'stt' | 'tts';
  /** What runs: `silero-v5`, `energy`, `pocketsphinx`, `flite`, or `none`. */
  readonly running: string;
  readonly ok: boolean;
  /** When not ok: what is missing, the command that installs it, and what the platform does meanwhile. */
  readonly missing?: string;
  readonly install?: string;
  readonly fallback?: string;
}

export interface LocalSpeech {
  /** Always present: Silero, or the energy fallback (reported in `status`). */
  readonly vad: VadProvider;
  readonly stt: (SttProvider & { close(): Promise<void> }) | undefined;
  readonly tts: (TtsProvider & { close(): Promise<void> }) | undefined;
  readonly status: readonly LocalComponentStatus[];
  /** Frees decoders and the TTS worker. */
  close(): Promise<void>;
}

export interface LocalSpeechOptions {
  readonly stt?: PocketsphinxSttOptions;
  /** Test seams: build an adapter differently (e.g. point it at a missing model). */
  readonly makeVad?: () => VadProvider;
  readonly makeStt?: () => SttProvider & { close(): Promise<void> };
  readonly makeTts?: () => TtsProvider & { close(): Promise<void> };
}

/** Creates what can be created; a missing piece becomes a status line, any other error is thrown. */
export function createLocalSpeech(opts: LocalSpeechOptions = {}): LocalSpeech {
  const status: LocalComponentStatus[] = [];
  const attempt = <T>(component: 'vad' | 'stt' | 'tts', running: string, make: () => T): T | undefined => {
    try {
      const made = make();
      status.push({ component, running, ok: true });
      return made;
    } catch (e) {
      if (!(e instanceof ComponentMissingError)) throw e;
      status.push({ component, running: component === 'vad' ? 'energy' : 'none', ok: false, missing: e.missing, install: e.command, fallback: e.fallback });
      return undefined;
    }
  };
  const vad = attempt('vad', 'silero-v5', opts.makeVad ?? (() => new SileroVad())) ?? new EnergyVad();
  const stt = attempt('stt', 'pocketsphinx', opts.makeStt ?? (() => new PocketsphinxStt(opts.stt)));
  const tts = attempt('tts', 'flite', opts.makeTts ?? (() => new FliteTts()));
  return {
    vad,
    stt,
    tts,
    status,
    async close() {
      await Promise.all([stt?.close(), tts?.close()]);
      if (vad instanceof SileroVad) vad.close();
    },
  };
}
