/**
 * G.711 μ-law / A-law (ITU-T G.711) through `alawmulaw`, the library STYLE names for it.
 * Phone lines carry 8 kHz; resampling to other rates happens once at the edge, elsewhere.
 */
import alawmulaw from 'alawmulaw';
import type { G711Encoding } from '../sip/sdp-answer.ts';

/** Encodes PCM16 samples to G.711 octets. */
export function encodeG711(encoding: G711Encoding, samples: Int16Array): Uint8Array {
  return encoding === 'PCMU' ? alawmulaw.mulaw.encode(samples) : alawmulaw.alaw.encode(samples);
}

/** Decodes G.711 octets to PCM16 samples. */
export function decodeG711(encoding: G711Encoding, payload: Uint8Array): Int16Array {
  return encoding === 'PCMU' ? alawmulaw.mulaw.decode(payload) : alawmulaw.alaw.decode(payload);
}

/** The code of digital silence: 0xFF in μ-law, 0xD5 in A-law (G.711 tables). */
export function g711SilenceByte(encoding: G711Encoding): number {
  return encoding === 'PCMU' ? 0xff : 0xd5;
}
