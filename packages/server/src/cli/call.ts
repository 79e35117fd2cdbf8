import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { normalizeE164 } from '../core/phone.ts';
import { decodeWav, encodeWav } from '../core/audio/wav.ts';
import { resampleAll } from '../core/audio/resampler.ts';
import type { SampleRateHz } from '../core/audio/audio-frame.ts';
import { framesOf } from '../calls/standin-session.ts';
import { SipUserAgent } from '../telephony/sip/user-agent.ts';
import type { AudioFrame } from '../telephony/transport.ts';
import { mixTimelines } from './dialer/mix.ts';

const USAGE = `Usage: callingbox call <number> [--wav caller.wav] [--record call.wav] [--dtmf 1#] [--to sip:…] [--from +1…] [--max-seconds 60]

Places a real SIP call (its own UDP socket) to the local server's sandbox number, or to --to.`;

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
const elapsed = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;

/** `callingbox call`: dial, stream the caller side, print what happens, exit non-zero on rejection or failure. */
export async function runCall(argv: string[], env: { dataDir: string; sipPortFallback: number }): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      wav: { type: 'string' }, record: { type: 'string' }, dtmf: { type: 'string' }, to: { type: 'string' },
      from: { type: 'string', default: '+15555550100' }, 'max-seconds': { type: 'string', default: '60' }, say: { type: 'string', multiple: true },
    },
  });
  if (values.say?.length) {
    process.stderr.write('callingbox call: --say needs the offline TTS of the voice engine, which this build does not have yet; use --wav.\n');
    return 2;
  }
  const number = positionals[0] ? normalizeE164(positionals[0]) : null;
  if (!values.to && !number) {
    process.stderr.write(`${positionals[0] ? `'${positionals[0]}' is not a phone number.\n` : ''}${USAGE}\n`);
    return 2;
  }
  const maxMs = Number(values['max-seconds']) * 1000;
  if (!Number.isFinite(maxMs) || maxMs <= 0) {
    process.stderr.write('callingbox call: --max-seconds must be a positive number\n');
    return 2;
  }
  let caller: AudioFrame[] = [];
  if (values.wav) {
    const wav = decodeWav(fs.readFileSync(values.wav));
    const samples = wav.sampleRateHz === 8000 ? wav.samples : await resampleAll(wav.samples, wav.sampleRateHz as SampleRateHz, 8000);
    caller = [...framesOf({ samples, sampleRateHz: 8000 })];
  }
  const server = await localServer(env.dataDir);
  const target = values.to ?? `sip:${number}@127.0.0.1:${server?.sipPort ?? env.sipPortFallback}`;

  const ua = await SipUserAgent.start({
    host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock,
    // The dialer places calls; it answers none.
    route: async () => ({ reject: 603, reason: 'the CLI dialer takes no calls' }),
  });
  const t0 = Date.now();
  try {
    say(`${elapsed(t0)}  dialing ${target}`);
    const result = await ua.call({ to: target, fromNumber: values.from!, ringTimeoutMs: 30_000, onRinging: () => say(`${elapsed(t0)}  ringing`) });
    if (!result.answered) {
      say(`${elapsed(t0)}  ${result.outcome}${result.status ? ` (${result.status})` : ''}: ${result.reason}`);
      return 1;
    }
    const call = result.call;
    const answeredAt = Date.now();
    say(`${elapsed(t0)}  answered`);
    const heard: AudioFrame[] = [];
    const sent: AudioFrame[] = [];
    const listening = (async () => {
      for await (const f of call.fromCaller) heard.push({ ...f, startMs: Date.now() - answeredAt - 20 });
    })();
    const events = (async () => {
      for await (const e of call.events) {
        if (e.type === 'dtmf') say(`${elapsed(t0)}  dtmf from agent: ${e.digit}`);
        if (e.type === 'hangup') say(`${elapsed(t0)}  hung up by ${e.by === 'caller' ? 'the agent' : 'us'} (${e.cause})`);
      }
    })();
    const timeout = setTimeout(() => void call.hangup({ cause: 'max_duration', by: 'system' }), maxMs);
    if (caller.length) {
      const startMs = Date.now() - answeredAt;
      const played = await call.play({ frames: caller }, { signal: call.ended });
      for (const f of caller.slice(0, Math.round(played.playedMs / 20))) sent.push({ ...f, startMs: startMs + f.startMs });
      say(`${elapsed(t0)}  played ${(played.playedMs / 1000).toFixed(1)} s of ${values.wav}`);
    }
    if (values.dtmf) {
      await call.sendDtmf(values.dtmf, { signal: call.ended });
      say(`${elapsed(t0)}  sent DTMF ${values.dtmf}`);
    }
    // With a script, hang up after it and a short pause for the agent's answer; else wait for the far end.
    if (caller.length || values.dtmf) {
      await systemClock.sleep(2000, call.ended).catch(() => {});
      if (!call.ended.aborted) await call.hangup({ cause: 'caller_hangup', by: 'caller' });
    }
    await Promise.all([listening, events]);
    clearTimeout(timeout);
    if (values.record) {
      fs.writeFileSync(values.record, encodeWav({ samples: mixTimelines(sent, heard), sampleRateHz: 8000 }));
      say(`${elapsed(t0)}  recorded both sides to ${values.record}`);
    }
    await printCallRecord(server, values.from!, number);
    return 0;
  } finally {
    await ua.close();
  }
}

/** Prints the server's record of the call we just made (when dialling the local server). */
async function printCallRecord(server: { baseUrl: string; apiKey: string } | null, from: string, to: string | null): Promise<void> {
  if (!server || !to) return;
  const q = new URLSearchParams({ from_number: from, to_number: to, limit: '1' });
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${server.baseUrl}/v1/calls?${q}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const [call] = (await res.json()) as Array<{ id: string; status: string; result: unknown; latency: unknown; duration_seconds: number | null }>;
    if (call && !['ringing', 'in_progress', 'queued'].includes(call.status)) {
      say(`call ${call.id}: ${call.status}, ${call.duration_seconds ?? 0} s`);
      say(`result: ${JSON.stringify(call.result)}`);
      say(`latency: ${JSON.stringify(call.latency)}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
