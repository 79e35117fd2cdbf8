/**
 * A loopback load run for the SIP/RTP stack: N concurrent calls between two user agents in this
 * process (so 2·N RTP sessions, each sending and receiving 50 packets/s), audio both ways for S
 * seconds; prints set-up time, playout wall time against real time, CPU and event-loop delay.
 *
 * usage: node --import tsx load.ts [N=50] [S=8]
 * Measured on the 2-core dev machine (100 calls = 200 sessions, 20,000 packets/s in and out of
 * one process): set-up 0.7-0.8 s, playout 6.3-9.1 s for 6-8 s of audio, 50-70 % of one core.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../../../core/clock.ts';
import { SipUserAgent } from '../user-agent.ts';
import type { AudioFrame, MediaTransport } from '../../transport.ts';

const N = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 8);
const frames = function* (n: number): Generator<AudioFrame> {
  for (let i = 0; i < n; i++) yield { samples: new Int16Array(160).fill(3000), sampleRateHz: 8000, startMs: i * 20 };
};
const answered: MediaTransport[] = [];
const callee = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ accept: (c) => void answered.push(c) }) });
const caller = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 403 }) });
const t0 = Date.now();
const results = await Promise.all(Array.from({ length: N }, () => caller.call({ to: `sip:+14155550123@127.0.0.1:${callee.port}`, fromNumber: '+1555' })));
const setupMs = Date.now() - t0;
const calls = results.flatMap((r) => (r.answered ? [r.call] : []));
let received = 0;
for (const c of [...calls, ...answered]) {
  void (async () => {
    for await (const _frame of c.fromCaller) received++;
  })();
}
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const cpu0 = process.cpuUsage();
const w0 = Date.now();
const plays = [...calls, ...answered].map((c) => c.play({ frames: frames(SECONDS * 50) }, { signal: new AbortController().signal }));
const res = await Promise.all(plays);
const wall = Date.now() - w0;
const cpu = process.cpuUsage(cpu0);
h.disable();
const expectedFrames = 2 * N * SECONDS * 50;
console.log(JSON.stringify({ calls: N, answered: calls.length, setupMs, playWallMs: wall, expectedWallMs: SECONDS * 1000, cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100), framesReceived: received, framesExpected: expectedFrames, allCompleted: res.every((r) => r.completed), loopDelayP50ms: h.percentile(50) / 1e6, loopDelayP99ms: Math.round(h.percentile(99) / 1e4) / 100, loopDelayMaxMs: Math.round(h.max / 1e4) / 100 }));
await Promise.all(calls.map((c) => c.hangup({ cause: 'agent_hangup', by: 'agent' })));
await caller.close();
await callee.close();
