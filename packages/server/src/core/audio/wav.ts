/**
 * RIFF/WAVE PCM16 mono codec: the recording format of calls and the CLI dialer's `--wav`/`--record`.
 * Pure functions over bytes (STYLE rule 4). Reads 16-bit PCM and G.711 (μ-law/A-law) files;
 * writes 16-bit PCM.
 */
import alawmulaw from 'alawmulaw';

export interface PcmAudio {
  samples: Int16Array;
  sampleRateHz: number;
  /** Interleaved channels when writing; 1 unless given (reading always yields mono). */
  channels?: 1 | 2;
}

export class WavFormatError extends Error {}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;

/** Parses a WAV file into mono PCM16 (the first channel of multi-channel files). */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (body + size > bytes.length && id !== 'data') throw new WavFormatError(`chunk '${id}' runs past the end of the file`);
    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk too short');
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 40) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      const data = bytes.subarray(body, Math.min(bytes.length, body + size));
      return { samples: toPcm16(data, fmt), sampleRateHz: fmt.rate };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError('no data chunk');
}

function toPcm16(data: Uint8Array, fmt: { format: number; channels: number; bits: number }): Int16Array {
  if (fmt.channels < 1) throw new WavFormatError('no channels');
  if (fmt.format === FORMAT_PCM && fmt.bits === 16) {
    const frames = Math.floor(data.length / (2 * fmt.channels));
    const out = new Int16Array(frames);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < frames; i++) out[i] = view.getInt16(i * 2 * fmt.channels, true);
    return out;
  }
  if ((fmt.format === FORMAT_MULAW || fmt.format === FORMAT_ALAW) && fmt.bits === 8) {
    const mono = new Uint8Array(Math.floor(data.length / fmt.channels));
    for (let i = 0; i < mono.length; i++) mono[i] = data[i * fmt.channels]!;
    return fmt.format === FORMAT_MULAW ? alawmulaw.mulaw.decode(mono) : alawmulaw.alaw.decode(mono);
  }
  throw new WavFormatError(`unsupported WAV format ${fmt.format} with ${fmt.bits} bits; use 16-bit PCM or G.711`);
}

/** Writes PCM16 (mono, or interleaved stereo with `channels: 2`) as a WAV file. */
export function encodeWav(audio: PcmAudio): Uint8Array {
  const channels = audio.channels ?? 1;
  const dataBytes = audio.samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, audio.sampleRateHz, true);
  view.setUint32(28, audio.sampleRateHz * 2 * channels, true);
  view.setUint16(32, 2 * channels, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < audio.samples.length; i++) view.setInt16(44 + i * 2, audio.samples[i]!, true);
  return out;
}
