/**
 * The per-turn timeline (`calls.md` → Per-turn timeline): when the caller stopped, when the
 * endpoint was decided, the STT final, the LLM's first token, the first TTS audio and the first
 * audio on the wire — as the `turn` call event, with parts that add up to `gap_ms`. Pure.
 */

/** The caller's side of a turn, in wall-clock ms. */
export interface TurnTimeline {
  readonly turnNo: number;
  readonly callerSpeechEndAt: number;
  readonly endpointAt: number;
  readonly sttFinalAt: number;
}

/** The `turn` call event: each part from the moment the previous one ended, so they add up to `gap_ms`. */
export function turnEvent(t: TurnTimeline, llmFirstTokenAt: number | undefined, ttsFirstAudioAt: number | undefined, firstAudioSentAt: number, interrupted: boolean): Record<string, unknown> & { gap_ms: number } {
  const endpoint = Math.max(t.endpointAt, t.callerSpeechEndAt);
  const stt = Math.max(t.sttFinalAt, endpoint);
  const llm = Math.max(llmFirstTokenAt ?? stt, stt);
  const tts = Math.max(ttsFirstAudioAt ?? llm, llm);
  const sent = Math.max(firstAudioSentAt, tts);
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    turn_no: t.turnNo,
    caller_speech_end_at: iso(t.callerSpeechEndAt),
    endpoint_at: iso(t.endpointAt),
    stt_final_at: iso(t.sttFinalAt),
    llm_first_token_at: iso(llmFirstTokenAt),
    tts_first_audio_at: iso(ttsFirstAudioAt),
    first_audio_sent_at: iso(firstAudioSentAt),
    gap_ms: sent - t.callerSpeechEndAt,
    parts_ms: { endpointing: endpoint - t.callerSpeechEndAt, stt: stt - endpoint, llm: llm - stt, tts: tts - llm, transport: sent - tts },
    interrupted,
  };
}
