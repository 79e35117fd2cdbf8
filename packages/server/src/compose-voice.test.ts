import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '@callingbox/testkit/fake-clock.ts';
import { createVoiceRuntime } from './compose-voice.ts';
import { loadConfig } from './config/config.ts';
import { createLogger } from './core/logger.ts';
import { EnergyVad } from './providers/local/energy-vad.ts';
import { ScriptedTts } from '@callingbox/testkit/scripted-speech.ts';

const server = http.createServer((_req, res) => res.writeHead(404).end());
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function runtime(env: Record<string, string>) {
  return createVoiceRuntime({
    config: loadConfig({ CALLINGBOX_DATA_DIR: '/tmp/unused', ...env }),
    store: null as never,
    clock: new FakeClock(),
    log: createLogger('silent'),
    sender: null as never,
    localSpeech: () => ({
      vad: new EnergyVad(),
      stt: undefined,
      tts: Object.assign(new ScriptedTts(), { close: () => Promise.resolve() }),
      status: [
        { component: 'vad', running: 'energy', ok: false, missing: 'the Silero model', install: 'npm install @ricky0123/vad-web', fallback: 'the energy VAD' },
        { component: 'stt', running: 'none', ok: false, missing: 'the pocketsphinx library (libpocketsphinx.so.3) is not installed', install: 'apt-get update && apt-get install -y pocketsphinx-en-us libpocketsphinx3', fallback: 'agents take keypad (DTMF) answers' },
        { component: 'tts', running: 'flite', ok: true },
      ],
      close: () => Promise.resolve(),
    }),
  });
}

describe('voice runtime health (GET /v1/health components)', () => {
  it('says which offline component is missing, the command that installs it, and the fallback', async () => {
    const h = await runtime({}).health();
    expect(h.vad).toMatchObject({ status: 'degraded', provider: 'energy' });
    expect(h.stt.status).toBe('degraded');
    expect(h.stt.detail).toContain('apt-get install -y pocketsphinx-en-us libpocketsphinx3');
    expect(h.stt.detail).toContain('keypad');
    expect(h.tts).toEqual({ status: 'ok', provider: 'flite' });
    expect(h.llm).toMatchObject({ status: 'ok', provider: 'local' });
  });

  it('reports a cloud provider without a key as unavailable, and a reachable one as ok', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const h = await runtime({ CALLINGBOX_STT: 'deepgram', CALLINGBOX_LLM: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${url}/v1`, CALLINGBOX_TTS: 'elevenlabs', ELEVENLABS_API_KEY: 'xi', ELEVENLABS_BASE_URL: 'http://127.0.0.1:1' }).health();
    expect(h.stt).toMatchObject({ status: 'unavailable', provider: 'deepgram' });
    expect(h.stt.detail).toMatch(/API key is not set/);
    expect(h.llm).toMatchObject({ status: 'ok', provider: 'openai' });
    expect(h.llm.detail).toMatch(/reachable .*HTTP 404/);
    expect(h.tts).toMatchObject({ status: 'degraded', provider: 'elevenlabs' });
    expect(h.tts.detail).toMatch(/not reachable/);
  });
});
