/**
 * PCM helpers of the browser call protocol (telephony.md → Browser calls): binary messages are
 * PCM16 little-endian mono at 16 kHz, 20 ms (320 samples, 640 bytes) each, both ways.
 */

/** Sample rate of the wire format. */
export const WIRE_RATE_HZ = 16_000;
/** Samples per 20 ms frame at 16 kHz. */
export const FRAME_SAMPLES = 320;

/**
 * Turns microphone audio (Float32 at the AudioContext's rate, any chunk size) into 20 ms PCM16 LE
 * frames at 16 kHz. Resampling is linear interpolation with the fractional read position kept
 * across chunks, so chunk boundaries add no clicks.
 */
export class Pcm16Encoder {
  private readonly step: number;
  private position = 0; // read position into `pending`, in input samples
  private pending: Float32Array = new Float32Array(0);
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private filled = 0;

  constructor(readonly inputRateHz: number) {
    if (!(inputRateHz > 0)) throw new RangeError(`Invalid input rate ${inputRateHz}`);
    this.step = inputRateHz / WIRE_RATE_HZ;
  }

  /** Adds input samples; returns the complete frames (640 bytes each) they finished. */
  push(samples: Float32Array): Uint8Array[] {
    const input = new Float32Array(this.pending.length + samples.length);
    input.set(this.pending);
    input.set(samples, this.pending.length);
    const frames: Uint8Array[] = [];
    let pos = this.position;
    // Interpolation reads sample i + 1, so the last input sample waits for the next chunk.
    while (Math.floor(pos) + 1 < input.length) {
      const i = Math.floor(pos);
      const frac = pos - i;
      const a = input[i]!;
      const b = input[i + 1]!;
      this.frame[this.filled++] = floatToInt16(a + (b - a) * frac);
      if (this.filled === FRAME_SAMPLES) {
        frames.push(new Uint8Array(int16ToLeBytes(this.frame)));
        this.filled = 0;
      }
      pos += this.step;
    }
    const keepFrom = Math.min(Math.floor(pos), input.length);
    this.pending = input.slice(keepFrom);
    this.position = pos - keepFrom;
    return frames;
  }
}

function floatToInt16(x: number): number {
  const clamped = Math.max(-1, Math.min(1, x));
  return clamped < 0 ? Math.round(clamped * 0x8000) : Math.round(clamped * 0x7fff);
}

function int16ToLeBytes(samples: Int16Array): ArrayBuffer {
  const out = new ArrayBuffer(samples.length * 2);
  const view = new DataView(out);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/** PCM16 little-endian bytes to Float32 samples in [-1, 1). */
export function pcm16LeToFloat32(bytes: ArrayBuffer | Uint8Array): Float32Array {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const out = new Float32Array(Math.floor(u8.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 0x8000;
  return out;
}
