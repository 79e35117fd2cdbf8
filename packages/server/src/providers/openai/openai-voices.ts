/**
 * OpenAI's built-in speech voices (platform.openai.com, "Text to speech"). OpenAI has no voice-list
 * endpoint, so the catalogue is static; `marin` and `cedar` need `gpt-4o-mini-tts` or later.
 */
import type { VoiceInfo } from '../capabilities.ts';

const NAMES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

/** Every voice speaks the languages of the model; `en-US` is what OpenAI tunes them for. */
export const OPENAI_VOICES: readonly VoiceInfo[] = NAMES.map((id) => ({ id, name: `${id[0]!.toUpperCase()}${id.slice(1)} (OpenAI)`, language: 'en-US' }));

export const OPENAI_DEFAULT_VOICE = 'alloy';

/** Where OpenAI's API lives, written as its SDK writes `OPENAI_BASE_URL` (with `/v1`). */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
