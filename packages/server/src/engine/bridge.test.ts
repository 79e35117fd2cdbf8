import { describe, expect, it } from 'vitest';
import { FakeClock } from '@callingbox/testkit/fake-clock.ts';
import { FakeLine, SPEECH_BASE } from '@callingbox/testkit/fake-line.ts';
import { runBridge } from './bridge.ts';

/** Two fake lines, each on its own clock; `tick` runs one 20 ms step of both. */
function lines() {
  const caller = new FakeLine(new FakeClock());
  const leg = new FakeLine(new FakeClock());
  const tick = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 20) await Promise.all([caller.step(), leg.step()]);
  };
  return { caller, leg, tick };
}

const heard = (line: FakeLine, value: number): number => line.sent.filter((f) => f.value === value).length;

describe('runBridge', () => {
  it('plays each side to the other, passes the leg DTMF on, and hangs up the caller when the leg leaves', async () => {
    const { caller, leg, tick } = lines();
    caller.say(0, 0, 200); // the caller speaks utterance 0…
    leg.say(1, 100, 200); // …and the destination utterance 1
    const bridge = runBridge({ caller, callerFrames: caller.fromCaller, leg });
    await tick(400);
    leg.pressDigit('5');
    await tick(40);
    expect(heard(leg, SPEECH_BASE)).toBeGreaterThanOrEqual(9); // 10 frames spoken, the first may still be in the pump
    expect(heard(caller, SPEECH_BASE + 1)).toBeGreaterThanOrEqual(9);
    expect(heard(leg, SPEECH_BASE + 1)).toBe(0); // no echo of a side back to itself
    expect(caller.dtmfSent).toEqual(['5']);
    leg.callerHangup();
    expect(await bridge).toBe('leg');
    expect(caller.hangupReason).toEqual({ cause: 'transferred', by: 'agent' });
  });

  it('hangs up the leg when the caller leaves', async () => {
    const { caller, leg, tick } = lines();
    const bridge = runBridge({ caller, callerFrames: caller.fromCaller, leg });
    await tick(60);
    caller.callerHangup();
    expect(await bridge).toBe('caller');
    expect(leg.hangupReason).toEqual({ cause: 'transferred', by: 'caller' });
    expect(leg.ended.aborted).toBe(true);
  });
});
