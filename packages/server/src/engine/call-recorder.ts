/**
 * Where the voice loop writes what happened (the port; `calls/` implements it over the store):
 * transcript segments with roles, timings and sources, and call events (`calls.md` → Call events).
 */

export interface TranscriptEntry {
  readonly role: 'agent' | 'caller' | 'tool' | 'system';
  readonly text: string;
  /** Wall-clock times, ms since the epoch. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly source: 'stt' | 'llm' | 'tts' | 'dtmf' | 'tool';
  readonly interrupted?: boolean;
}

export interface CallRecorder {
  /** Appends a transcript segment; returns its `sequence_no`. */
  segment(entry: TranscriptEntry): Promise<number>;
  /** Appends a call event (`turn`, `barge_in`, `dtmf`, `tool_call`, `transfer`, `error`). */
  event(type: string, data: Record<string, unknown>): Promise<void>;
}
