import { describe, expect, it } from 'vitest';
import { FakeClock } from '@callingbox/testkit/fake-clock.ts';
import { FakeLine, SPEECH_BASE } from '@callingbox/testkit/fake-line.ts';
import { ScriptedStt, ScriptedTts, ScriptedVad } from '@callingbox/testkit/scripted-speech.ts';
import { ProviderError } from '../providers/provider-error.ts';
import type { RecognitionBias } from '../providers/stt.ts';
import type { CallRecorder, TranscriptEntry } from './call-recorder.ts';
import type { Dialogue, DialogueDelta, DialogueInput, ToolRunner } from './dialogue.ts';
import type { TransferRoutes } from '../telephony/transfer-routes.ts';
import type { CallControl } from './tool-runner.ts';
import { VoiceSession, type VoiceSettings } from './voice-session.ts';

const SETTINGS: VoiceSettings = { minEndpointingMs: 300, maxEndpointingMs: 1200, interruptionMinMs: 250, ignoreBackchannels: true, silenceTimeoutMs: 10_000, maxCallMs: 600_000 };

/** A dialogue that answers from a script and records what it was told. */
class ScriptedDialogue implements Dialogue {
  readonly id = 'scripted';
  readonly inputs: DialogueInput[] = [];
  readonly heardLog: { text: string; interrupted: boolean }[] = [];
  constructor(private readonly answer: (input: DialogueInput, tools: ToolRunner, signal: AbortSignal) => AsyncIterable<DialogueDelta> | Iterable<DialogueDelta>) {}
  expecting(): RecognitionBias {
    return { kind: 'grammar', name: `after-${this.inputs.length}`, jsgf: '#JSGF V1.0;' };
  }
  async *reply(input: DialogueInput, opts: { signal: AbortSignal; tools: ToolRunner }): AsyncGenerator<DialogueDelta> {
    this.inputs.push(input);
    yield* this.answer(input, opts.tools, opts.signal);
  }
  heard(text: string, interrupted: boolean): void {
    this.heardLog.push({ text, interrupted });
  }
  filledFields(): null {
    return null;
  }
}

const say = (text: string): DialogueDelta[] => [{ type: 'text', text }];

class MemoryRecorder implements CallRecorder {
  readonly segments: TranscriptEntry[] = [];
  readonly events: { type: string; data: Record<string, unknown> }[] = [];
  segment(entry: TranscriptEntry): Promise<number> {
    this.segments.push(entry);
    return Promise.resolve(this.segments.length - 1);
  }
  event(type: string, data: Record<string, unknown>): Promise<void> {
    this.events.push({ type, data });
    return Promise.resolve();
  }
  of(type: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.type === type).map((e) => e.data);
  }
}

function setup(opts: { utterances?: string[]; answer: ConstructorParameters<typeof ScriptedDialogue>[0]; settings?: Partial<VoiceSettings>; tools?: (control: CallControl) => ToolRunner; transferRoutes?: TransferRoutes }) {
  const clock = new FakeClock();
  const line = new FakeLine(clock);
  const stt = new ScriptedStt(opts.utterances ?? []);
  const tts = new ScriptedTts();
  const dialogue = new ScriptedDialogue(opts.answer);
  const recorder = new MemoryRecorder();
  const toolCalls: string[] = [];
  const session = new VoiceSession({
    transport: line, dialogue, vad: new ScriptedVad(), stt, tts, recorder, clock,
    settings: { ...SETTINGS, ...opts.settings },
    ...(opts.transferRoutes ? { transferRoutes: opts.transferRoutes } : {}),
    makeTools: (control) =>
      opts.tools?.(control) ?? {
        run: (call) => {
          toolCalls.push(call.name);
          if (call.name === 'end_call') control.endAfterReply();
          return Promise.resolve({ result: { ok: true }, status: 'ok' });
        },
      },
  });
  const outcome = session.run();
  return { clock, line, stt, tts, dialogue, recorder, outcome, toolCalls };
}

describe('voice session', () => {
  it('greets, hears a turn, answers it, and times the turn in parts that add up', async () => {
    const t = setup({
      utterances: ['hi my name is ada lovelace'],
      answer: (input) => say(input.type === 'call_start' ? 'Hello, this is the front desk.' : 'Thanks Ada. How can I help?'),
    });
    await t.line.run(1500); // greeting: 6 words × 200 ms
    t.line.say(0, 1600, 1200);
    expect(await t.line.runUntil(() => t.recorder.of('turn').length > 0, 5000)).toBe(true);
    t.line.callerHangup();
    const out = await t.outcome;
    expect(out).toMatchObject({ hangupCause: 'caller_hangup', endedBy: 'caller', callerTurns: 1 });
    expect(t.dialogue.inputs[1]).toEqual({ type: 'caller_turn', text: 'hi my name is ada lovelace', source: 'speech', confidence: 0.9 });
    // The recogniser was biased to what the dialogue expected after the greeting.
    expect(t.stt.biases[0]).toMatchObject({ kind: 'grammar', name: 'after-1' });
    expect(t.recorder.segments.map((s) => [s.role, s.text, s.source])).toEqual([
      ['agent', 'Hello, this is the front desk.', 'tts'],
      ['caller', 'hi my name is ada lovelace', 'stt'],
      ['agent', 'Thanks Ada. How can I help?', 'tts'],
    ]);
    const turn = t.recorder.of('turn')[0]!;
    const parts = turn.parts_ms as Record<string, number>;
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(turn.gap_ms);
    // A finished phrase: the endpoint waited min_endpointing_ms of silence (the VAD's 200 ms included).
    expect(parts.endpointing).toBe(300);
    expect(turn.interrupted).toBe(false);
  });

  it('waits max_endpointing_ms after a trailing "and" or a half-spoken number', async () => {
    const t = setup({ utterances: ['i need a cleaning and', 'my number is four one five five'], answer: (i) => say(i.type === 'call_start' ? 'Hi.' : 'Okay.') });
    await t.line.run(400);
    t.line.say(0, 500, 1000);
    await t.line.runUntil(() => t.recorder.of('turn').length === 1, 5000);
    expect((t.recorder.of('turn')[0]!.parts_ms as Record<string, number>).endpointing).toBe(1200);
    // …and the caller who continues inside that window stays in the same turn.
    const at = t.line.nowMs + 200;
    t.line.say(1, at, 1000);
    t.line.say(1, at + 1000 + 700, 600);
    await t.line.runUntil(() => t.recorder.of('turn').length === 2, 8000);
    expect(t.dialogue.inputs.filter((i) => i.type === 'caller_turn')).toHaveLength(2);
    t.line.callerHangup();
    await t.outcome;
  });

  it('barge-in: speech over the agent stops its audio within one frame and keeps only what was played', async () => {
    const long = 'One two three four five six seven eight nine ten. Eleven twelve thirteen fourteen fifteen sixteen.';
    const t = setup({ utterances: ['wait stop please'], answer: (i) => say(i.type === 'call_start' ? long : 'Sure, go ahead.') });
    await t.line.run(1000); // 1 s into a 3.2 s reply
    const speechAt = t.line.nowMs;
    t.line.say(0, speechAt, 900);
    await t.line.runUntil(() => t.line.clears.length > 0, 2000);
    const clearAt = t.line.clears[0]!;
    // Decided interruption_min_ms after the speech began (plus the frame being decided on).
    expect(clearAt - speechAt).toBeGreaterThanOrEqual(250);
    expect(clearAt - speechAt).toBeLessThanOrEqual(250 + 20);
    const afterClear = t.line.sent.filter((f) => f.atMs >= clearAt && f.value === 1);
    expect(afterClear.length).toBeLessThanOrEqual(1);
    await t.line.runUntil(() => t.dialogue.inputs.length === 2, 5000);
    const first = t.recorder.segments[0]!;
    expect(first).toMatchObject({ role: 'agent', interrupted: true });
    expect(long.startsWith(first.text)).toBe(true);
    // 1.25 s of a 10-word, 2 s sentence: six words heard.
    expect(first.text).toBe('One two three four five six');
    expect(t.dialogue.heardLog[0]).toEqual({ text: 'One two three four five six', interrupted: true });
    expect(t.recorder.of('barge_in')[0]).toMatchObject({ played_text: 'One two three four five six' });
    expect(t.dialogue.inputs[1]).toMatchObject({ type: 'caller_turn', text: 'wait stop please' });
    t.line.callerHangup();
    await t.outcome;
  });

  it('a backchannel or a short noise over the agent interrupts nothing', async () => {
    const reply = 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.';
    const t = setup({ utterances: ['okay', 'xx'], answer: () => say(reply) });
    await t.line.run(600);
    t.line.say(0, t.line.nowMs, 500); // "okay": long enough to count, but a backchannel
    t.line.say(1, t.line.nowMs + 1200, 140); // a click under interruption_min_ms
    await t.line.run(3000);
    expect(t.line.clears).toEqual([]);
    expect(t.recorder.segments).toEqual([expect.objectContaining({ role: 'agent', text: reply, interrupted: false })]);
    expect(t.dialogue.inputs).toHaveLength(1);
    t.line.callerHangup();
    await t.outcome;
  });

  it('with ignore_backchannels off, "okay" over the agent interrupts', async () => {
    const t = setup({ utterances: ['okay'], answer: () => say('One two three four five six seven eight nine ten.'), settings: { ignoreBackchannels: false } });
    await t.line.run(400);
    t.line.say(0, t.line.nowMs, 500);
    await t.line.run(800);
    expect(t.line.clears).toHaveLength(1);
    t.line.callerHangup();
    await t.outcome;
  });

  it('prompts once after silence, then ends the call as silence_timeout', async () => {
    const t = setup({
      answer: (i, tools) =>
        (async function* () {
          if (i.type === 'silence' && i.count === 2) {
            await tools.run({ id: 't1', name: 'end_call', arguments: {} }, { signal: new AbortController().signal, callerLastTurn: '' });
            yield { type: 'text', text: 'Goodbye.' } as DialogueDelta;
          } else yield { type: 'text', text: i.type === 'silence' ? 'Are you still there?' : 'Hello.' } as DialogueDelta;
        })(),
      settings: { silenceTimeoutMs: 2000 },
    });
    await t.line.run(10_000);
    const out = await t.outcome;
    expect(t.dialogue.inputs.map((i) => (i.type === 'silence' ? `silence ${i.count}` : i.type))).toEqual(['call_start', 'silence 1', 'silence 2']);
    expect(out).toMatchObject({ hangupCause: 'silence_timeout', endedBy: 'agent' });
    // The goodbye was played in full before the hang-up.
    expect(t.recorder.segments.at(-1)).toMatchObject({ text: 'Goodbye.', interrupted: false });
  });

  it('DTMF reaches the dialogue as [DTMF …], ended by # or a pause, and interrupts the agent', async () => {
    const t = setup({ answer: (i) => say(i.type === 'call_start' ? 'Please type your number now, followed by the pound key.' : 'Got it.') });
    await t.line.run(300);
    for (const d of '415#') t.line.pressDigit(d);
    await t.line.runUntil(() => t.dialogue.inputs.length === 2, 2000);
    expect(t.line.clears.length).toBeGreaterThanOrEqual(1);
    expect(t.dialogue.inputs[1]).toEqual({ type: 'caller_turn', text: '[DTMF 415]', source: 'dtmf' });
    await t.line.run(800);
    t.line.pressDigit('7');
    await t.line.run(2600);
    expect(t.dialogue.inputs[2]).toEqual({ type: 'caller_turn', text: '[DTMF 7]', source: 'dtmf' });
    expect(t.recorder.of('dtmf').map((e) => e.digits).join('')).toBe('415#7');
    expect(t.recorder.segments.filter((s) => s.source === 'dtmf').map((s) => s.text)).toEqual(['[DTMF 415]', '[DTMF 7]']);
    t.line.callerHangup();
    await t.outcome;
  });

  it('end_call hangs up after the goodbye was played in full', async () => {
    const t = setup({
      utterances: ['that is all thanks'],
      answer: (i, tools) =>
        (async function* () {
          if (i.type === 'call_start') {
            yield { type: 'text', text: 'Hi.' } as DialogueDelta;
            return;
          }
          yield { type: 'text', text: 'Thanks for calling, goodbye.' } as DialogueDelta;
          await tools.run({ id: 'c1', name: 'end_call', arguments: {} }, { signal: new AbortController().signal, callerLastTurn: '' });
        })(),
    });
    await t.line.run(300);
    t.line.say(0, 400, 800);
    await t.line.run(5000);
    const out = await t.outcome;
    expect(out).toMatchObject({ hangupCause: 'agent_hangup', endedBy: 'agent' });
    expect(t.line.agentAudioMs).toBe(200 + 4 * 200);
  });

  it('a bridged transfer: the agent leaves the call, audio flows both ways, the leg hanging up ends it as transferred', async () => {
    const leg = new FakeLine(new FakeClock());
    const dialled: string[] = [];
    const t = setup({
      utterances: ['hello'],
      transferRoutes: { referTarget: (n) => Promise.resolve(n), dial: (n) => (dialled.push(n), Promise.resolve({ answered: true, leg })) },
      tools: (control) => ({ run: async () => ({ result: await control.bridge!('+14155550199', new AbortController().signal), status: 'ok' }) }),
      answer: (i, tools) =>
        (async function* () {
          yield { type: 'text', text: 'Connecting you now.' } as DialogueDelta;
          await tools.run({ id: 't1', name: 'transfer_call', arguments: { destination: 'front desk' } }, { signal: new AbortController().signal, callerLastTurn: '' });
          yield { type: 'text', text: 'The agent must not say this.' } as DialogueDelta;
        })(),
    });
    const both = async (ms: number): Promise<void> => {
      for (let at = 0; at < ms; at += 20) await Promise.all([t.line.step(), leg.step()]);
    };
    t.line.say(0, 200, 400); // the caller talks to the destination…
    leg.say(3, 100, 400); // …and the destination answers
    await both(800);
    expect(dialled).toEqual(['+14155550199']);
    expect(leg.sent.filter((f) => f.value === SPEECH_BASE).length).toBeGreaterThanOrEqual(19);
    expect(t.line.sent.filter((f) => f.value === SPEECH_BASE + 3).length).toBeGreaterThanOrEqual(19);
    expect(t.tts.spoken).not.toContain('The agent must not say this.');
    expect(t.dialogue.inputs.map((i) => i.type)).toEqual(['call_start']); // the caller's speech went to the leg, not the agent
    t.line.pressDigit('2');
    await both(40);
    expect(leg.dtmfSent).toEqual(['2']);
    leg.callerHangup();
    await both(40);
    expect(await t.outcome).toMatchObject({ hangupCause: 'transferred', endedBy: 'agent' });
    expect(t.line.hangupReason).toEqual({ cause: 'transferred', by: 'agent' });
    expect(t.recorder.of('barge_in')).toEqual([]);
    expect(t.clock.pending).toBe(0);
  });

  it('a provider failure ends the call with its error code, never a hang', async () => {
    const t = setup({ utterances: ['hello'], answer: () => say('Hi.') });
    t.stt.failWith = new ProviderError('Deepgram rejected the API key (401).', 'provider_auth', 'deepgram');
    await t.line.run(300);
    t.line.say(0, 400, 600);
    await t.line.run(2000);
    const out = await t.outcome;
    expect(out.error?.code).toBe('provider_auth');
    expect(out.hangupCause).toBe('provider_error');
    expect(t.recorder.of('error')[0]).toMatchObject({ code: 'provider_auth', recoverable: false });
  });

  it('leaves no timer behind when the call ends', async () => {
    const t = setup({ utterances: ['hello there'], answer: () => say('Hi.') });
    await t.line.run(300);
    t.line.say(0, 400, 500);
    await t.line.run(500); // hang up inside the endpointing wait
    t.line.callerHangup();
    await t.outcome;
    expect(t.clock.pending).toBe(0);
  });
});
