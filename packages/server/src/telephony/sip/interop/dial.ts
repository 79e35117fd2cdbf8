/**
 * A minimal SIP dialer for interoperability runs (the seed of `callingbox call`): places one call
 * through `SipUserAgent.call`, plays a 660 Hz tone, sends DTMF, hangs up after `--seconds`, and
 * prints a JSON summary (answered, outcome, what it heard) on stdout.
 *
 * usage: node --import tsx dial.ts --to sip:+15557654321@127.0.0.1:5080 [--from +14155550123]
 *        [--seconds 4] [--dtmf 1#] [--port 0]
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../../../core/clock.ts';
import type { AudioFrame } from '../../transport.ts';
import { SipUserAgent } from '../user-agent.ts';

const { values } = parseArgs({
  options: {
    to: { type: 'string' },
    from: { type: 'string', default: '+14155550123' },
    seconds: { type: 'string', default: '4' },
    dtmf: { type: 'string', default: '' },
    port: { type: 'string', default: '0' },
  },
});
const print = (o: Record<string, unknown>): void => console.log(JSON.stringify(o));
if (!values.to) {
  console.error('--to sip:user@host:port is required');
  process.exit(2);
}

function tone(ms: number, hz: number): AudioFrame[] {
  return Array.from({ length: ms / 20 }, (_, f) => {
    const s = new Int16Array(160);
    for (let i = 0; i < 160; i++) s[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * (f * 160 + i)) / 8000));
    return { samples: s, sampleRateHz: 8000 as const, startMs: f * 20 };
  });
}

const ua = await SipUserAgent.start({
  host: '127.0.0.1',
  port: Number(values.port),
  rtpPorts: { minPort: 0, maxPort: 0 },
  clock: systemClock,
  route: () => Promise.resolve({ reject: 403 }),
  log: (event, fields) => print({ event, ...fields }),
});
const result = await ua.call({ to: values.to, fromNumber: values.from, onRinging: () => print({ event: 'ringing' }) });
if (!result.answered) {
  print({ event: 'summary', answered: false, outcome: result.outcome, status: result.status, reason: result.reason });
  await ua.close();
  process.exit(1);
}
const call = result.call;
print({ event: 'answered', ...call.metadata });
const heard = { frames: 0, loud: 0, zeroCrossingsPerS: 0 };
let crossings = 0;
let last = 0;
const listening = (async () => {
  for await (const f of call.fromCaller) {
    heard.frames++;
    if (f.samples.some((v) => Math.abs(v) > 1000)) heard.loud++;
    for (const v of f.samples) {
      if ((v >= 0) !== (last >= 0)) crossings++;
      last = v;
    }
  }
})();
const events = (async () => {
  for await (const e of call.events) print({ event: e.type, ...e });
})();
void call.play({ frames: tone(Number(values.seconds) * 1000, 660) }, { signal: call.ended });
await systemClock.sleep(1000);
if (values.dtmf) await call.sendDtmf(values.dtmf);
await systemClock.sleep(Math.max(0, Number(values.seconds) * 1000 - 1000), call.ended).catch(() => {});
await call.hangup({ cause: 'agent_hangup', by: 'agent' });
await Promise.all([listening, events]);
// a sine of f Hz crosses zero 2·f times a second
heard.zeroCrossingsPerS = Math.round(crossings / (heard.frames * 0.02) / 2);
print({ event: 'summary', answered: true, heard, ended: call.ended.reason as unknown });
await ua.close();
