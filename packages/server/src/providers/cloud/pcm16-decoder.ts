/**
 * Raw PCM16 little-endian bytes (Deepgram `linear16` without a container, OpenAI `pcm`, ElevenLabs
 * `pcm_*`) to samples. HTTP chunks split wherever they like, so an odd byte is carried over to the
 * next chunk instead of shifting every later sample.
 */
export class Pcm16Decoder {
  private carry: number | undefined;

  /** Decodes the whole samples in `bytes` (with the byte carried from the last call). */
  decode(bytes: Uint8Array): Int16Array {
    const total = bytes.length + (this.carry === undefined ? 0 : 1);
    const out = new Int16Array(total >> 1);
    let i = 0;
    let o = 0;
    if (this.carry !== undefined && bytes.length > 0) {
      out[o++] = ((bytes[0] as number) << 8) | this.carry;
      i = 1;
      this.carry = undefined;
    }
    for (; i + 1 < bytes.length; i += 2) out[o++] = ((bytes[i + 1] as number) << 8) | (bytes[i] as number);
    if (i < bytes.length) this.carry = bytes[i];
    return out;
  }

  /** True when half a sample is waiting (a body that ends here was cut mid-sample). */
  get pending(): boolean {
    return this.carry !== undefined;
  }
}
