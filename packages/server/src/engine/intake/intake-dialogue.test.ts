/**
 * The intake state machine with scripted caller turns: what it says, what it fills, what it
 * expects next, and the `end_call` it requests through a recording fake tool runner.
 */
import { describe, expect, it } from 'vitest';
import type { DialogueInput, ToolInvocation, ToolRunner } from '../dialogue.ts';
import { IntakeDialogue, type IntakeSnapshot } from './intake-dialogue.ts';

const FRONT_DESK: IntakeSnapshot = {
  name: 'Front desk',
  first_message: 'Hello, you have reached the front desk. May I have your name, please?',
  returns: { caller_name: 'string', reason: 'string', callback_number: 'phone' },
  timezone: 'America/Los_Angeles',
};
// Friday 27 November 2026, 10:00 in Los Angeles.
const NOW = Date.parse('2026-11-27T18:00:00Z');

/** A tool runner that records every call and answers ok. */
class RecordingTools implements ToolRunner {
  readonly calls: ToolInvocation[] = [];
  run(call: ToolInvocation): Promise<{ result: unknown; status: 'ok' }> {
    this.calls.push(call);
    return Promise.resolve({ result: { ok: true }, status: 'ok' });
  }
}

function setup(snapshot: IntakeSnapshot = FRONT_DESK, opts: { keypadOnly?: boolean } = {}) {
  const dialogue = new IntakeDialogue({ snapshot, now: () => NOW, newId: () => 'call_test', ...opts });
  const tools = new RecordingTools();
  const turn = async (input: DialogueInput | string, signal = new AbortController().signal): Promise<string> => {
    const i: DialogueInput = typeof input === 'string' ? { type: 'caller_turn', text: input, source: input.startsWith('[DTMF') ? 'dtmf' : 'speech' } : input;
    let out = '';
    for await (const d of dialogue.reply(i, { signal, tools })) out += d.text;
    return out.trim();
  };
  return { dialogue, tools, turn };
}

describe('IntakeDialogue', () => {
  it('without a recogniser asks only what a keypad can answer, and says to use the keypad', async () => {
    const { dialogue, tools, turn } = setup(FRONT_DESK, { keypadOnly: true });
    const greeting = await turn({ type: 'call_start' });
    expect(greeting).toMatch(/please answer with your keypad/);
    expect(greeting).not.toMatch(/your name/);
    expect(greeting).toMatch(/number to call you back/);
    await turn('[DTMF 4155550134]');
    expect(tools.calls.map((c) => c.name)).toEqual(['end_call']);
    expect(dialogue.filledFields()).toMatchObject({ callback_number: '+14155550134', caller_name: null, reason: null });
  });

  it('greets with the first message, echoes each answer in the next question, reads back a summary and ends the call', async () => {
    const { dialogue, tools, turn } = setup();
    expect(await turn({ type: 'call_start' })).toBe('Hello, you have reached the front desk. May I have your name, please?');
    expect(dialogue.expecting()).toMatchObject({ kind: 'grammar' });
    expect(await turn('hi my name is ada lovelace')).toBe("Thanks, Ada Lovelace. What's the reason for your call?");
    expect(await turn("i'd like to move my cleaning to next week")).toBe("Got it: you'd like to move your cleaning to next week. What's the best number to call you back on?");
    const bias = dialogue.expecting();
    expect(bias.kind === 'grammar' && bias.jsgf).toContain('you can reach me at');
    expect(tools.calls).toEqual([]);
    const last = await turn('you can reach me at four one five five five five zero one three four');
    expect(last).toBe(
      "Thanks. Here's what I have. Name: Ada Lovelace. Reason: you'd like to move your cleaning to next week. Callback number: 4 1 5, 5 5 5, 0 1 3 4. I'll pass this on. Thank you for calling. Goodbye.",
    );
    expect(tools.calls).toEqual([{ id: 'call_test', name: 'end_call', arguments: {} }]);
    expect(dialogue.filledFields()).toEqual({ caller_name: 'Ada Lovelace', reason: "I'd like to move my cleaning to next week", callback_number: '+14155550134' });
    expect(dialogue.expecting()).toEqual({ kind: 'general' });
  });

  it('asks the first field after a first message that is not a question, and greets by name without one', async () => {
    expect(await setup({ ...FRONT_DESK, first_message: 'Hello, front desk here.' }).turn({ type: 'call_start' })).toBe("Hello, front desk here. What's your name?");
    expect(await setup({ ...FRONT_DESK, first_message: null }).turn({ type: 'call_start' })).toBe("Hello, you have reached Front desk. What's your name?");
  });

  it('takes a correction of the value it just said back, with or without the new value', async () => {
    const { dialogue, turn } = setup();
    await turn({ type: 'call_start' });
    await turn('this is cheri sullivan');
    expect(await turn("no, it's Ada Lovelace")).toBe("Sorry about that. Thanks, Ada Lovelace. What's the reason for your call?");
    expect(dialogue.filledFields()).toMatchObject({ caller_name: 'Ada Lovelace' });
    // A bare "no" re-opens the previous question, and a name may now be spelled.
    expect(await turn('no')).toBe("Sorry about that. What's your name? You can also spell it.");
    const bias = dialogue.expecting();
    expect(bias.kind === 'grammar' && bias.jsgf).toMatch(/<letter>\+/);
    expect(dialogue.filledFields()).toMatchObject({ caller_name: null });
    expect(await turn('a d a lovelace')).toBe("Thanks, Ada Lovelace. What's the reason for your call?");
  });

  it('expects the answer or a correction of the previous one after an echo', async () => {
    const { dialogue, turn } = setup();
    await turn({ type: 'call_start' });
    await turn('hi my name is ada lovelace');
    const bias = dialogue.expecting();
    expect(bias.kind).toBe('grammar');
    if (bias.kind !== 'grammar') return;
    expect(bias.jsgf).toContain('move');
    expect(bias.jsgf).toMatch(/\( no \| nope/);
    // …or "no, it's <name>": the names grammar comes along as the correction branch.
    expect(bias.jsgf).toContain('| sullivan |');
  });

  it('re-asks a field it could not parse at most twice, offering the keypad, then leaves it null', async () => {
    const { dialogue, turn } = setup({ ...FRONT_DESK, returns: { callback_number: 'phone', caller_name: 'string' }, first_message: 'Hi.' });
    await turn({ type: 'call_start' });
    expect(await turn('five five five')).toBe("Sorry, I didn't catch that. What's the best number to call you back on?");
    expect(await turn('one two')).toBe("Sorry, I still didn't get that. What's the best number to call you back on? You can also type it on your keypad, then press pound.");
    expect(await turn('three')).toBe("Sorry, I didn't catch that. I'll leave that one blank. What's your name?");
    expect(dialogue.filledFields()).toEqual({ callback_number: null, caller_name: null });
  });

  it('takes keypad digits for a phone number in one turn or in pieces, and for numbers, yes/no and enum values', async () => {
    const { dialogue, turn } = setup({ first_message: 'Hi.', returns: { phone: 'phone', party_size: 'integer', new_patient: 'boolean', service: ['cleaning', 'checkup'] }, timezone: 'UTC' });
    await turn({ type: 'call_start' });
    // The caller paused after the area code: nothing is said while the number is incomplete.
    expect(await turn('[DTMF 415]')).toBe('');
    expect(await turn('[DTMF 5550134]')).toMatch(/^Thanks, I have 4 1 5, 5 5 5, 0 1 3 4\. /);
    expect(await turn('[DTMF 4#]')).toMatch(/^4, got it\. /);
    expect(await turn('[DTMF 1]')).toMatch(/^Okay, yes\. /);
    await turn('[DTMF 2]');
    expect(dialogue.filledFields()).toEqual({ phone: '+14155550134', party_size: 4, new_patient: true, service: 'checkup' });
  });

  it('confirms a doubtful value with a yes/no question and accepts a yes, a no, or a corrected value', async () => {
    const { dialogue, turn } = setup({ first_message: 'Hi.', returns: { party_size: 'integer', callback: 'phone' }, timezone: 'UTC' });
    await turn({ type: 'call_start' });
    expect(await turn('three or four')).toBe('I heard 3 for party size. Is that right?');
    expect(dialogue.expecting()).toMatchObject({ kind: 'grammar' });
    expect(await turn('no, four')).toBe("4, got it. What's the best number to call you back on?");
    expect(await turn('one two three four five six seven eight nine zero')).toBe('I heard 1 2 3, 4 5 6, 7 8 9 0 for callback. Is that right?');
    expect(await turn('what do you mean')).toBe("I'm an automated assistant taking a message, so I can't answer that myself, but I'll pass that on. I heard 1 2 3, 4 5 6, 7 8 9 0 for callback. Is that right?");
    expect(await turn('yes')).toMatch(/^Thanks\. Here's what I have\..*1 2 3, 4 5 6, 7 8 9 0/);
    expect(dialogue.filledFields()).toEqual({ party_size: 4, callback: '+11234567890' });
  });

  it('fills every field kind from speech', async () => {
    const returns = {
      party_size: 'integer',
      budget: 'number',
      visit_date: 'date',
      appointment: 'datetime',
      email: 'email',
      new_patient: 'boolean',
      service: { type: 'string', enum: ['a cleaning', 'a checkup', 'whitening'] },
      notes: 'string',
    };
    const { dialogue, turn } = setup({ first_message: 'Hi.', returns, timezone: 'America/Los_Angeles' });
    await turn({ type: 'call_start' });
    for (const said of ['there are four of us', 'about two hundred and fifty dollars', 'next tuesday', 'tomorrow at three thirty', 'ada dot lovelace at gmail dot com', 'yes I am', "I'd like a check up", 'please use the side door']) await turn(said);
    expect(dialogue.filledFields()).toEqual({
      party_size: 4,
      budget: 250,
      visit_date: '2026-12-01',
      appointment: '2026-11-28T15:30:00-08:00',
      email: 'ada.lovelace@gmail.com',
      new_patient: true,
      service: 'a checkup',
      notes: 'Please use the side door',
    });
  });

  it('says "I\'ll pass that on" to a question it cannot answer, and what it is when asked', async () => {
    const { turn } = setup();
    await turn({ type: 'call_start' });
    expect(await turn('what are your opening hours?')).toBe("I'm an automated assistant taking a message, so I can't answer that myself, but I'll pass that on. What's your name?");
    expect(await turn('wait, are you a robot?')).toBe("I'm an automated assistant. I take down a few details and pass them on to the team. What's your name?");
  });

  it('re-prompts after the first silence and says goodbye and ends the call after the second', async () => {
    const { tools, turn } = setup();
    await turn({ type: 'call_start' });
    expect(await turn({ type: 'silence', count: 1 })).toBe("Are you still there? What's your name?");
    expect(tools.calls).toEqual([]);
    expect(await turn({ type: 'silence', count: 2 })).toBe("I haven't heard anything, so I'll end the call now. Goodbye.");
    expect(tools.calls.map((c) => c.name)).toEqual(['end_call']);
  });

  it('ends quietly when aborted mid-reply (barge-in) and never runs end_call for an aborted goodbye', async () => {
    const { dialogue, tools } = setup({ ...FRONT_DESK, returns: { caller_name: 'string' } });
    const ac = new AbortController();
    const said: string[] = [];
    for await (const d of dialogue.reply({ type: 'call_start' }, { signal: new AbortController().signal, tools })) said.push(d.text);
    const it = dialogue.reply({ type: 'caller_turn', text: 'ada lovelace', source: 'speech' }, { signal: ac.signal, tools });
    const first = await it.next();
    // The last answer is not echoed: the summary that follows reads every value back.
    expect(first.value).toEqual({ type: 'text', text: 'Thanks. ' });
    ac.abort();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(tools.calls).toEqual([]);
    dialogue.heard('Thanks.', true);
    expect(dialogue.history.at(-1)).toEqual({ role: 'agent', text: 'Thanks.', interrupted: true });
    // The call goes on: the next turn gets the goodbye again and ends the call.
    const { turn } = { turn: async (text: string) => { let out = ''; for await (const d of dialogue.reply({ type: 'caller_turn', text, source: 'speech' }, { signal: new AbortController().signal, tools })) out += d.text; return out; } };
    expect(await turn('hello?')).toMatch(/Goodbye\.\s*$/);
    expect(tools.calls.map((c) => c.name)).toEqual(['end_call']);
  });

  it('ends quietly when the tool runner rejects with an AbortError', async () => {
    const dialogue = new IntakeDialogue({ snapshot: { returns: {} }, now: () => NOW });
    const ac = new AbortController();
    const tools: ToolRunner = { run: () => (ac.abort(), Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))) };
    const out: string[] = [];
    for await (const d of dialogue.reply({ type: 'call_start' }, { signal: ac.signal, tools })) out.push(d.text);
    expect(out.join('')).toMatch(/Goodbye\./);
  });
});
