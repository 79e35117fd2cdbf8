import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import type { AudioFrame, MediaTransport } from '../transport.ts';
import { type DialerEvent, runDialer, stereoRecording } from './dialer.ts';
import { SpeechActivityDetector } from './speech-activity.ts';
import { SipUserAgent } from './user-agent.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tone = (ms: number, level = 6000): AudioFrame[] => Array.from({ length: ms / 20 }, (_, i) => ({ samples: new Int16Array(160).map((_, k) => (k % 8 < 4 ? level : -level)), sampleRateHz: 8000, startMs: i * 20 }));

/** A stand-in agent: greets, answers each caller turn with a short tone, hangs up on '#'. */
async function agent(call: MediaTransport, log: string[]): Promise<void> {
  const speak = (ms: number): Promise<unknown> => call.play({ frames: tone(ms) }, { signal: call.ended });
  void (async () => {
    for await (const e of call.events) {
      if (e.type === 'dtmf') {
        log.push(`dtmf ${e.digit}`);
        if (e.digit === '#') await call.hangup({ cause: 'agent_hangup', by: 'agent' });
      }
    }
  })();
  await speak(300);
  const vad = new SpeechActivityDetector({ endSilenceMs: 200 });
  for await (const f of call.fromCaller) {
    for (const e of vad.push(f)) {
      if (e.type === 'speech-end') {
        log.push('heard caller');
        await speak(200);
      }
    }
  }
}

describe('runDialer', () => {
  it('speaks after each agent turn, sends DTMF, records both sides, and reports who hung up', async () => {
    const log: string[] = [];
    const server = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ accept: (c: MediaTransport) => void agent(c, log) }) });
    cleanups.push(() => server.close());
    const dialerUa = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 403 }) });
    cleanups.push(() => dialerUa.close());
    const events: DialerEvent[] = [];
    const r = await runDialer(dialerUa, {
      to: `sip:+14155550123@127.0.0.1:${server.port}`,
      fromNumber: '+15551234567',
      clock: systemClock,
      turnSilenceMs: 250,
      maxCallMs: 10_000,
      steps: [{ say: tone(300) }, { dtmf: '#' }],
      onEvent: (e) => events.push(e),
    });
    expect(r).toMatchObject({ answered: true, endedBy: 'agent', dtmfSent: '#' });
    expect(r.agentTurns.length).toBe(2); // the greeting, and the answer to our speech
    expect(r.agentTurns.every((t) => t.endMs !== undefined && t.endMs > t.startMs)).toBe(true);
    expect(r.toAgent.length).toBe(15);
    expect(r.fromAgent.length).toBeGreaterThan(25);
    expect(log).toEqual(['heard caller', 'dtmf #']);
    expect(events.map((e) => e.type)).toEqual(['ringing', 'answered', 'agent-speech-start', 'agent-speech-end', 'step', 'agent-speech-start', 'agent-speech-end', 'step', 'ended']);
  });

  it.each([
    ['accept', { transferred: true }, 'transferred'],
    ['decline', { transferred: false, reason: 'rejected', status: 603 }, 'agent_hangup'],
  ] as const)('answers a REFER from the agent (%s): 202 and NOTIFY 100/200, or 603', async (refer, result, cause) => {
    let transfer: Promise<unknown> | undefined;
    let agentCall: MediaTransport | undefined;
    const server = await SipUserAgent.start({
      host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock,
      route: () => Promise.resolve({
        accept: (c: MediaTransport) => {
          agentCall = c;
          // The agent transfers at once; after a declined REFER it hangs up itself
          transfer = c.transfer!('sip:+14155550199@pbx.example', { signal: c.ended }).then(async (r) => {
            if (!r.transferred) await c.hangup({ cause: 'agent_hangup', by: 'agent' });
            return r;
          });
        },
      }),
    });
    cleanups.push(() => server.close());
    const dialerUa = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 403 }) });
    cleanups.push(() => dialerUa.close());
    const events: DialerEvent[] = [];
    const r = await runDialer(dialerUa, { to: `sip:+14155550123@127.0.0.1:${server.port}`, fromNumber: '+1555', clock: systemClock, maxCallMs: 10_000, steps: [{ pauseMs: 5000 }], refer, onEvent: (e) => events.push(e) });
    expect(await transfer).toEqual(result);
    expect(r.endedBy).toBe('agent');
    expect(r.transferredTo).toBe(refer === 'accept' ? 'sip:+14155550199@pbx.example' : undefined);
    expect(events).toContainEqual({ type: 'transfer', target: 'sip:+14155550199@pbx.example', accepted: refer === 'accept' });
    expect((agentCall?.ended.reason as { cause: string }).cause).toBe(cause);
  });

  it('lays both sides on one stereo timeline', () => {
    const frame = (startMs: number, v: number): AudioFrame => ({ samples: new Int16Array(160).fill(v), sampleRateHz: 8000, startMs });
    const st = stereoRecording({ fromAgent: [frame(0, 1), frame(20, 2)], toAgent: [{ atMs: 10, samples: new Int16Array(160).fill(7) }, { atMs: 10, samples: new Int16Array(160).fill(8) }] });
    expect(st.length).toBe((80 + 320) * 2);
    expect([st[0], st[1], st[160 * 2], st[80 * 2 + 1], st[240 * 2 + 1], st[399 * 2 + 1]]).toEqual([1, 0, 2, 7, 8, 8]);
  });

  it('reports a rejected call without audio', async () => {
    const server = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 404 }) });
    cleanups.push(() => server.close());
    const dialerUa = await SipUserAgent.start({ host: '127.0.0.1', port: 0, rtpPorts: { minPort: 0, maxPort: 0 }, clock: systemClock, route: () => Promise.resolve({ reject: 403 }) });
    cleanups.push(() => dialerUa.close());
    const r = await runDialer(dialerUa, { to: `sip:+14155550100@127.0.0.1:${server.port}`, fromNumber: '+1555', clock: systemClock, steps: [{ dtmf: '1' }] });
    expect(r).toMatchObject({ answered: false, outcome: 'failed', status: 404, fromAgent: [] });
  });
});
