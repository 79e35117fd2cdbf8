import type { Config } from '../config/config.ts';
import type { AgentsTable, Json } from '../store/schema.ts';

/** The persona a call gets when its agent has none (api.md: "null ⇒ the platform's default persona"). */
export const DEFAULT_PERSONA =
  'You are a helpful, concise phone assistant. You speak in short sentences, never invent facts, and never ask for passwords or card numbers.';

/**
 * The agent's effective configuration frozen onto a call (calls.md → Config snapshot): the voice
 * loop reads only this, so edits to the agent apply to the next call.
 */
export function snapshotOf(agent: AgentsTable, defaults: Config['defaults']): Record<string, Json> {
  const s = agent.settings as Record<string, Json>;
  return {
    agent_id: agent.id,
    agent_version: agent.version,
    name: agent.name,
    persona: agent.persona ?? DEFAULT_PERSONA,
    instructions: agent.instructions,
    voice: agent.voice,
    language: agent.language,
    returns: agent.returns,
    tools: agent.tools,
    voicemail_action: agent.voicemail_action,
    voicemail_message: agent.voicemail_message,
    first_message: agent.first_message,
    webhook_url: agent.webhook_url,
    timezone: agent.timezone,
    settings: {
      stt: s.stt ?? defaults.stt,
      llm: s.llm ?? defaults.llm,
      model: s.model ?? defaults.llmModel ?? null,
      tts: s.tts ?? defaults.tts,
      min_endpointing_ms: s.min_endpointing_ms ?? 300,
      max_endpointing_ms: s.max_endpointing_ms ?? 1200,
      interruption_min_ms: s.interruption_min_ms ?? 250,
      ignore_backchannels: s.ignore_backchannels ?? true,
      silence_timeout_ms: s.silence_timeout_ms ?? 10_000,
      max_call_seconds: s.max_call_seconds ?? defaults.maxCallSeconds,
      ring_timeout_s: s.ring_timeout_s ?? 30,
      amd_timeout_ms: s.amd_timeout_ms ?? 3000,
      recording: s.recording ?? defaults.recording,
    },
  };
}
