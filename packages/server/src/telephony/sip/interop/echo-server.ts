/**
 * A stand-alone SIP endpoint for interoperability runs with independent softphones (baresip,
 * linphonec; see `interop/README.md`): answers every INVITE, plays a 440 Hz greeting, echoes the
 * caller's audio back, prints DTMF and a JSON summary per call on stdout. Not used by the server.
 *
 * usage: node --import tsx echo-server.ts [--host 127.0.0.1] [--port 5070] [--seconds 60] [--calls N]
 *        [--reject 480] [--hangup-after-s N] [--transfer-on 9 --transfer-to sip:…]
 *        (exits after --seconds, or once N calls ended)
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../../../core/clock.ts';
import type { AudioFrame, MediaTransport } from '../../transport.ts';
import { SipUserAgent } from '../user-agent.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5070' },
    seconds: { type: 'string', default: '60' },
    reject: { type: 'string' },
    calls: { type: 'string' },
    'hangup-after-s': { type: 'string' },
    'transfer-on': { type: 'string' },
    'transfer-to': { type: 'string' },
  },
});

const done = new AbortController();
let callsEnded = 0;
const callEnded = (): void => {
  if (values.calls && ++callsEnded >= Number(values.calls)) done.abort();
};

const print = (o: Record<string, unknown>): void => console.log(JSON.stringify(o));

function tone(ms: number, hz = 440): AudioFrame[] {
  const frames: AudioFrame[] = [];
  for (let t = 0; t < ms; t += 20) {
    const s = new Int16Array(160);
    for (let i = 0; i < 160; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * ((t / 1000) * 8000 + i)) / 8000));
    frames.push({ samples: s, sampleRateHz: 8000, startMs: t });
  }
  return frames;
}

async function handle(call: MediaTransport): Promise<void> {
  print({ event: 'answered', ...call.metadata });
  const summary = { framesIn: 0, loudFramesIn: 0, digits: '', playedMs: 0, hangup: undefined as unknown };
  const echo = (async function* () {
    for await (const f of call.fromCaller) {
      summary.framesIn++;
      if (f.samples.some((v) => Math.abs(v) > 1000)) summary.loudFramesIn++;
      yield f;
    }
  })();
  const events = (async () => {
    for await (const e of call.events) {
      print({ event: e.type, ...e });
      if (e.type === 'dtmf') summary.digits += e.digit;
      if (e.type === 'dtmf' && e.digit === values['transfer-on'] && values['transfer-to'] && call.transfer) {
        void call.transfer(values['transfer-to'], { signal: call.ended }).then((r) => print({ event: 'transfer', ...r }));
      }
      if (e.type === 'hangup') summary.hangup = e;
    }
  })();
  const hangupAfter = values['hangup-after-s'];
  if (hangupAfter) {
    void systemClock
      .sleep(Number(hangupAfter) * 1000, call.ended)
      .then(() => call.hangup({ cause: 'agent_hangup', by: 'agent' }))
      .catch(() => {});
  }
  const greeting = await call.play({ frames: tone(1000) }, { signal: call.ended });
  const echoed = await call.play({ frames: echo }, { signal: call.ended });
  summary.playedMs = greeting.playedMs + echoed.playedMs;
  await events;
  print({ event: 'summary', callId: call.metadata.carrierCallId, ...summary });
}

const ua = await SipUserAgent.start({
  host: values.host,
  port: Number(values.port),
  rtpPorts: { minPort: 20000, maxPort: 20998 },
  clock: systemClock,
  log: (event, fields) => print({ event, ...fields }),
  route: (invite) => {
    print({ event: 'invite', dialled: invite.dialledNumber, caller: invite.callerNumber });
    if (values.reject) {
      setTimeout(callEnded, 500);
      return Promise.resolve({ reject: Number(values.reject), retryAfterS: 5 });
    }
    return Promise.resolve({
      accept: (call) =>
        void handle(call)
          .catch((e: unknown) => print({ event: 'error', error: String(e) }))
          .finally(callEnded),
    });
  },
});
print({ event: 'listening', port: ua.port });
await systemClock.sleep(Number(values.seconds) * 1000, done.signal).catch(() => {});
await ua.close();
print({ event: 'closed' });
