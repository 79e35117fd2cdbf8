import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '@callingbox/testkit';
import { encodeWav } from '../packages/server/src/core/audio/wav.ts';
import { CLI } from '../packages/testkit/src/server-process.ts';

/** `npx callingbox call` against a running server: a real SIP client on its own socket. */
let server: ServerProcess;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-dialer-'));

beforeAll(async () => {
  server = await startServerProcess({ env: { CALLINGBOX_DEMO: 'true' } });
}, 90_000);
afterAll(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function dial(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'call', ...args], { env: { ...process.env, CALLINGBOX_DATA_DIR: server.dataDir } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function demoNumber(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/v1/numbers`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  return ((await res.json()) as Array<{ e164: string }>)[0]!.e164;
}

describe('callingbox call', () => {
  it('calls the demo number, streams a WAV, sends DTMF, records both sides and prints the call record', async () => {
    // One second of a 440 Hz tone at 16 kHz: the dialer resamples to the line's 8 kHz.
    const tone = Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    const wav = path.join(tmp, 'caller.wav');
    fs.writeFileSync(wav, encodeWav({ samples: tone, sampleRateHz: 16000 }));
    const record = path.join(tmp, 'call.wav');
    const r = await dial([await demoNumber(), '--wav', wav, '--record', record, '--dtmf', '12#']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/answered/);
    expect(r.stdout).toMatch(/agent speaking[\s\S]*agent done[\s\S]*caller: speaking \(WAV\)[\s\S]*caller: DTMF 12#/);
    expect(r.stdout).toMatch(/call call_\w+: completed/);
    // Stereo: the agent's greeting on the left from the start, our tone on the right after it.
    const bytes = fs.readFileSync(record);
    expect(bytes.readUInt16LE(22)).toBe(2);
    const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
    const energy = (channel: 0 | 1, fromS: number, toS: number) => {
      let sum = 0;
      for (let i = fromS * 8000; i < toS * 8000; i++) sum += Math.abs(pcm[i * 2 + channel] ?? 0);
      return sum / ((toS - fromS) * 8000);
    };
    expect(energy(0, 0, 2)).toBeGreaterThan(300);
    const seconds = Math.floor(pcm.length / 2 / 8000);
    expect(seconds).toBeGreaterThan(6);
    // We waited for the agent's turn: silence from us while it greeted, then our one-second tone.
    expect(energy(1, 0, 5)).toBeLessThan(50);
    const loudest = Math.max(...Array.from({ length: seconds }, (_, s) => energy(1, s, s + 1)));
    expect(loudest).toBeGreaterThan(2000);
    const [call] = (await (await fetch(`${server.baseUrl}/v1/calls?limit=1`, { headers: { authorization: `Bearer ${server.apiKey}` } })).json()) as Array<{ id: string; from_number: string }>;
    const events = (await (await fetch(`${server.baseUrl}/v1/calls/${call!.id}/events`, { headers: { authorization: `Bearer ${server.apiKey}` } })).json()) as { data: Array<{ type: string; data: { digits?: string } }> };
    expect(events.data.filter((e) => e.type === 'dtmf').map((e) => e.data.digits).join('')).toBe('12#');
  }, 60_000);

  it('exits non-zero on a rejected call and says why', async () => {
    const r = await dial(['+1 415 555 0188']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/404/);
  }, 30_000);

  it('refuses a bad number before dialling', async () => {
    const r = await dial(['not-a-number']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a phone number/);
  });
});
