import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, WavFormatError } from './wav.ts';

describe('WAV codec', () => {
  it('writes the canonical 44-byte header (golden bytes)', () => {
    const bytes = encodeWav({ samples: Int16Array.from([1, -2]), sampleRateHz: 8000 });
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '52494646' + '28000000' + '57415645' + '666d7420' + '10000000' + '0100' + '0100' + '401f0000' + '803e0000' + '0200' + '1000' + '64617461' + '04000000' + '0100' + 'feff',
    );
  });

  it('round-trips any PCM16 mono audio', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 500 }), fc.constantFrom(8000, 16000, 48000), (s, rate) => {
        const back = decodeWav(encodeWav({ samples: Int16Array.from(s), sampleRateHz: rate }));
        expect(back.sampleRateHz).toBe(rate);
        expect([...back.samples]).toEqual(s);
      }),
    );
  });

  it('writes interleaved stereo, and reads back its first channel', () => {
    const bytes = encodeWav({ samples: Int16Array.from([1, 2, 3, 4]), sampleRateHz: 8000, channels: 2 });
    expect(Buffer.from(bytes.subarray(22, 24)).readUInt16LE(0)).toBe(2);
    expect(Buffer.from(bytes.subarray(32, 34)).readUInt16LE(0)).toBe(4);
    expect([...decodeWav(bytes).samples]).toEqual([1, 3]);
  });

  it('reads μ-law WAV and skips unknown chunks', () => {
    const header = Buffer.from('52494646' + '00000000' + '57415645' + '4c495354' + '02000000' + 'abcd' + '666d7420' + '10000000' + '0700' + '0100' + '401f0000' + '401f0000' + '0100' + '0800' + '64617461' + '02000000' + 'ff00', 'hex');
    const { samples, sampleRateHz } = decodeWav(header);
    expect(sampleRateHz).toBe(8000);
    expect([...samples]).toEqual([0, -32124]);
  });

  it('rejects garbage with a WavFormatError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeWav(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WavFormatError);
        }
      }),
    );
    expect(() => decodeWav(new TextEncoder().encode('RIFF....WAVEdata\u0004\u0000\u0000\u0000'))).toThrow(WavFormatError);
  });
});
