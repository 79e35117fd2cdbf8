/**
 * The URL of one Deepgram live transcription socket (`GET /v1/listen`, upgraded to WebSocket).
 * Every feature the adapter relies on is asked for explicitly: raw `linear16` at the call's rate,
 * interim results, the endpointer (`speech_final`), VAD events (`SpeechStarted`) and `UtteranceEnd`.
 */
import { endpointUrl, webSocketUrl } from '../cloud/endpoint-url.ts';
import type { RecognitionBias } from '../stt.ts';

/** Where Deepgram's hosted API lives; `DEEPGRAM_BASE_URL` points elsewhere (on-prem, a fake server). */
export const DEEPGRAM_BASE_URL = 'https://api.deepgram.com';

export interface ListenParams {
  readonly model: string;
  readonly sampleRateHz: number;
  /** Silence (ms) after which a result is `speech_final`. */
  readonly endpointingMs: number;
  /** Gap (ms) after the last word that sends `UtteranceEnd`; Deepgram's minimum is 1000. */
  readonly utteranceEndMs: number;
  readonly language?: string | undefined;
  readonly bias?: RecognitionBias | undefined;
}

/** The `wss://…/v1/listen?…` URL for these parameters. */
export function deepgramListenUrl(baseUrl: string, p: ListenParams): string {
  const terms = p.bias?.kind === 'keywords' ? p.bias.keywords.map((k) => k.phrase) : [];
  // Nova-3 takes key terms (`keyterm`); earlier models take boosted `keywords`.
  const nova3 = p.model.startsWith('nova-3');
  return webSocketUrl(
    endpointUrl(baseUrl, '/v1/listen', {
      model: p.model,
      encoding: 'linear16',
      sample_rate: p.sampleRateHz,
      channels: 1,
      interim_results: true,
      endpointing: p.endpointingMs,
      vad_events: true,
      utterance_end_ms: Math.max(1000, p.utteranceEndMs),
      language: p.language,
      keyterm: nova3 && terms.length ? terms : undefined,
      keywords: !nova3 && terms.length ? terms : undefined,
    }),
  );
}
