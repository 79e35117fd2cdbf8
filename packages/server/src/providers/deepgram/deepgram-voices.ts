/**
 * Deepgram Aura-2 voices (developers.deepgram.com, "TTS voices and languages"). Deepgram has no
 * voice-list endpoint for Aura, so the catalogue is this static list; any other Aura model name
 * still works as a voice id (Deepgram answers 400 for one that does not exist).
 */
import type { VoiceInfo } from '../capabilities.ts';

const voice = (name: string, gender: 'female' | 'male', language = 'en-US'): VoiceInfo => ({
  id: `aura-2-${name}-en`,
  name: `${name[0]!.toUpperCase()}${name.slice(1)} (Aura 2, ${language}, ${gender})`,
  language,
  gender,
});

export const DEEPGRAM_VOICES: readonly VoiceInfo[] = [
  voice('thalia', 'female'),
  voice('andromeda', 'female'),
  voice('helena', 'female'),
  voice('asteria', 'female'),
  voice('luna', 'female'),
  voice('athena', 'female'),
  voice('apollo', 'male'),
  voice('arcas', 'male'),
  voice('orion', 'male'),
  voice('zeus', 'male'),
  voice('draco', 'male', 'en-GB'),
  voice('pandora', 'female', 'en-GB'),
  voice('hyperion', 'male', 'en-AU'),
  voice('theia', 'female', 'en-AU'),
];

/** Aura's default voice. */
export const DEEPGRAM_DEFAULT_VOICE = 'aura-2-thalia-en';
