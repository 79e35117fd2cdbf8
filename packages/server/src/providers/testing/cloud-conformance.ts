/**
 * What every cloud adapter must do besides the port's conformance (`conformance.ts`): fail fast and
 * clearly when the vendor refuses it (`providers.md`: "a missing or rejected key is … a clear call
 * failure (`error_code: "provider_auth"`), never a hang"), and say `provider_unavailable` when
 * the vendor cannot be reached. Each adapter's test runs these against its fake server.
 */
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../core/audio/audio-frame.ts';
import { ProviderError } from '../provider-error.ts';
import type { SttProvider } from '../stt.ts';
import type { TtsProvider } from '../tts.ts';
import { collect, frames, stream, tone } from './audio-fixtures.ts';

/** How a suite builds the adapter in each situation. */
export interface CloudAdapterFactories<P> {
  /** Pointed at a fake that rejects its key. */
  readonly withRejectedKey: () => P;
  /** Pointed at a port where nothing listens. */
  readonly unreachable: () => P;
}

/** The deadline for a refusal to reach the caller: no retry loop, no hang. */
const REFUSAL_DEADLINE_MS = 3000;

async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
  throw new Error('expected the adapter to fail');
}

export function cloudSttConformance(name: string, f: CloudAdapterFactories<SttProvider>): void {
  const speech = (): AsyncIterable<AudioFrame> => stream(frames(tone(440, 8000, 300), 8000));
  describe(`cloud STT conformance: ${name}`, () => {
    it(`fails with provider_auth within ${REFUSAL_DEADLINE_MS} ms when the key is rejected`, async () => {
      const { error, ms } = await failure(() => collect(f.withRejectedKey().transcribe(speech(), { signal: new AbortController().signal })));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('provider_auth');
      expect((error as ProviderError).retryable).toBe(false);
      expect(ms).toBeLessThan(REFUSAL_DEADLINE_MS);
    });

    it('fails with provider_unavailable (retryable) when the service cannot be reached', async () => {
      const { error } = await failure(() => collect(f.unreachable().transcribe(speech(), { signal: new AbortController().signal })));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('provider_unavailable');
      expect((error as ProviderError).retryable).toBe(true);
    });
  });
}

export function cloudTtsConformance(name: string, f: CloudAdapterFactories<TtsProvider>): void {
  describe(`cloud TTS conformance: ${name}`, () => {
    it(`fails with provider_auth within ${REFUSAL_DEADLINE_MS} ms when the key is rejected`, async () => {
      const { error, ms } = await failure(() => collect(f.withRejectedKey().synthesize('Hello there.', { signal: new AbortController().signal, sampleRateHz: 8000 })));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('provider_auth');
      expect(ms).toBeLessThan(REFUSAL_DEADLINE_MS);
    });

    it('fails with provider_unavailable (retryable) when the service cannot be reached', async () => {
      const { error } = await failure(() => collect(f.unreachable().synthesize('Hello there.', { signal: new AbortController().signal, sampleRateHz: 8000 })));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('provider_unavailable');
      expect((error as ProviderError).retryable).toBe(true);
    });
  });
}

/** A loopback URL where nothing listens (port 9 is "discard", closed on test machines). */
export const UNREACHABLE_BASE_URL = 'http://127.0.0.1:9';
