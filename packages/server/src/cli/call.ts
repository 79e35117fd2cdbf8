import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { normalizeE164 } from '../core/phone.ts';
import { decodeWav, encodeWav } from '../core/audio/wav.ts';
import { resampleAll } from '../core/audio/resampler.ts';
import type { SampleRateHz } from '../core/audio/audio-frame.ts';
import { framesOf } from '../core/audio/frames.ts';
import { runDialer, stereoRecording, type DialerStep } from '../telephony/sip/dialer.ts';
import { SipUserAgent } from '../telephony/sip/user-agent.ts';
import { FliteTts } from '../providers/local/flite-tts.ts';
import type { AudioFrame } from '../core/audio/audio-frame.ts';

/** The frames of a synthesis, re-timed on a timeline from 0 (the dialer paces them). */
async function collectFrames(frames: AsyncIterable<AudioFrame>): Promise<AudioFrame[]> {
  const out: AudioFrame[] = [];
  for await (const f of frames) out.push(f);
  const samples = new Int16Array(out.reduce((n, f) => n + f.samples.length, 0));
  let at = 0;
  for (const f of out) {
    samples.set(f.samples, at);
    at += f.samples.length;
  }
  return [...framesOf({ samples, sampleRateHz: 8000 })];
}

const USAGE = `Usage: callingbox call <number> [--say "words"]… [--wav caller.wav]… [--dtmf 1#]… [--record call.wav] [--to sip:…] [--from +1…] [--max-seconds 120] [--decline-transfer]

Places a real SIP call (its own UDP socket) to the local server's sandbox number, or to --to.
Each --say, --wav and --dtmf is one caller turn, played after the agent finishes speaking
(--say is spoken by the offline TTS). When the agent transfers the call (SIP REFER) the dialer
prints the target and accepts; --decline-transfer refuses it (603), so the agent bridges instead.`;

/** Where the local server listens, from credentials.json and /v1/health. */
async function localServer(dataDir: string): Promise<{ baseUrl: string; apiKey: string; sipPort: number } | null> {
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { base_url: string; api_key: string };
    const health = (await (await fetch(`${creds.base_url}/v1/health`, { signal: AbortSignal.timeout(3000) })).json()) as { ports?: { sip?: number | null } };
    if (!health.ports?.sip) return null;
    return { baseUrl: creds.base_url, apiKey: creds.api_key, sipPort: health.ports.sip };
  } catch {
    return null;
  }
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** `callingbox call`: dial, play the caller's turns, print what happens, exit non-zero on rejection or failure. */
export async function runCall(argv: string[], env: { dataDir: string; sipPortFallback: number }): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: {
      wav: { type: 'string', multiple: true }, dtmf: { type: 'string', multiple: true }, say: { type: 'string', multiple: true },
      record: { type: 'string' }, to: { type: 'string' }, from: { type: 'string', default: '+15555550100' }, 'max-seconds': { type: 'string', default: '120' },
      'decline-transfer': { type: 'boolean', default: false },
    },
  });
  const number = positionals[0] ? normalizeE164(positionals[0]) : null;
  const maxMs = Number(values['max-seconds']) * 1000;
  if ((!values.to && !number) || !Number.isFinite(maxMs) || maxMs <= 0) {
    process.stderr.write(`${positionals[0] && !number ? `'${positionals[0]}' is not a phone number.\n` : ''}${USAGE}\n`);
    return 2;
  }
  // The caller's turns in the order given on the command line.
  const steps: DialerStep[] = [];
  const tts = values.say?.length ? new FliteTts() : null;
  const sayTexts = new Map<number, string>();
  try {
    for (const tok of tokens) {
      if (tok.kind !== 'option' || tok.value === undefined) continue;
      if (tok.name === 'dtmf') steps.push({ dtmf: tok.value });
      // --say: the caller's words spoken by the offline TTS (Flite), 8 kHz like the line.
      if (tok.name === 'say' && tts) sayTexts.set(steps.length, tok.value);
      if (tok.name === 'say' && tts) steps.push({ say: await collectFrames(tts.synthesize(tok.value, { sampleRateHz: 8000, signal: AbortSignal.timeout(30_000) })) });
      if (tok.name === 'wav') {
        const wav = decodeWav(fs.readFileSync(tok.value));
        const samples = wav.sampleRateHz === 8000 ? wav.samples : await resampleAll(wav.samples, wav.sampleRateHz as SampleRateHz, 8000);
        steps.push({ say: [...framesOf({ samples, sampleRateHz: 8000 })] });
      }
    }
  } finally {
    await tts?.close();
  }
  const server = await localServer(env.dataDir);
  const target = values.to ?? `sip:${number}@127.0.0.1:${server?.sipPort ?? env.sipPortFallback}`;
  const ua = await SipUserAgent.start({
    host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock,
    // The dialer places calls; it answers none.
    route: async () => ({ reject: 603, reason: 'the CLI dialer takes no calls' }),
  });
  const t0 = Date.now();
  const stamp = (): string => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
  try {
    say(`${stamp()}  dialing ${target}`);
    const r = await runDialer(ua, {
      to: target, fromNumber: values.from!, steps, clock: systemClock, maxCallMs: maxMs, refer: values['decline-transfer'] ? 'decline' : 'accept',
      onEvent: (e) => {
        if (e.type === 'ringing' || e.type === 'answered') say(`${stamp()}  ${e.type}`);
        else if (e.type === 'agent-speech-start') say(`${stamp()}  agent speaking`);
        else if (e.type === 'agent-speech-end') say(`${stamp()}  agent done`);
        else if (e.type === 'step') {
          const s = steps[e.index]!;
          say(`${stamp()}  caller: ${'dtmf' in s ? `DTMF ${s.dtmf}` : 'say' in s ? `speaking${sayTexts.has(e.index) ? ` "${sayTexts.get(e.index)}"` : ' (WAV)'}` : 'pause'}`);
        } else if (e.type === 'transfer') say(`${stamp()}  ${e.accepted ? 'transferred to' : 'declined a transfer to'} ${e.target}`);
        else if (e.type === 'ended') say(`${stamp()}  hung up by ${e.by === 'caller' ? 'us' : 'the agent'}`);
      },
    });
    if (!r.answered) {
      say(`${stamp()}  ${r.outcome}${r.status ? ` (${r.status})` : ''}`);
      return 1;
    }
    if (values.record) {
      fs.writeFileSync(values.record, encodeWav({ samples: stereoRecording(r), sampleRateHz: 8000, channels: 2 }));
      say(`${stamp()}  recorded both sides to ${values.record} (left: agent, right: caller)`);
    }
    return await printCallRecord(server, values.from!, number);
  } finally {
    await ua.close();
  }
}

/** Prints the server's record of the call we just made; non-zero when it failed. */
async function printCallRecord(server: { baseUrl: string; apiKey: string } | null, from: string, to: string | null): Promise<number> {
  if (!server || !to) return 0;
  const q = new URLSearchParams({ from_number: from, to_number: to, limit: '1' });
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${server.baseUrl}/v1/calls?${q}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const [call] = (await res.json()) as Array<{ id: string; status: string; result: unknown; latency: unknown; duration_seconds: number | null; error_code: string | null }>;
    if (call && !['ringing', 'in_progress', 'queued'].includes(call.status)) {
      say(`call ${call.id}: ${call.status}, ${call.duration_seconds ?? 0} s${call.error_code ? ` (${call.error_code})` : ''}`);
      say(`result: ${JSON.stringify(call.result)}`);
      say(`latency: ${JSON.stringify(call.latency)}`);
      return call.status === 'failed' ? 1 : 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return 0;
}
