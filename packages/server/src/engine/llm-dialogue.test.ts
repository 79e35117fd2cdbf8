import { describe, expect, it } from 'vitest';
import type { GenerateObjectResult, LlmDelta, LlmProvider, LlmRequest } from '../providers/llm.ts';
import { FakeClock } from '../telephony/testing/fake-clock.ts';
import type { DialogueDelta, ToolInvocation, ToolOutcome, ToolRunner } from './dialogue.ts';
import { LlmDialogue, MAX_REQUESTS_PER_REPLY } from './llm-dialogue.ts';

/** One scripted model turn: deltas in order; `gate` runs (and is awaited) before the delta at that index. */
interface Script {
  deltas: LlmDelta[];
  gate?: { at: number; wait: () => Promise<void> };
}

/** A scripted LlmProvider: each `complete()` plays the next script and records the request. */
class ScriptedLlm implements LlmProvider {
  readonly id = 'scripted';
  readonly model = 'scripted-1';
  readonly requests: LlmRequest[] = [];
  constructor(private readonly scripts: Script[] | ((n: number) => Script)) {}
  async *complete(req: LlmRequest, opts: { signal: AbortSignal }): AsyncGenerator<LlmDelta> {
    // The dialogue must not mutate what it sent: keep a copy.
    this.requests.push(structuredClone(req) as LlmRequest);
    const n = this.requests.length - 1;
    const script = typeof this.scripts === 'function' ? this.scripts(n) : this.scripts[n];
    if (!script) throw new Error(`no script for request ${n + 1}`);
    for (const [i, d] of script.deltas.entries()) {
      if (script.gate?.at === i) await script.gate.wait();
      if (opts.signal.aborted) return;
      yield d;
    }
  }
  generateObject(): Promise<GenerateObjectResult> {
    return Promise.reject(new Error('not used'));
  }
}

class FakeTools implements ToolRunner {
  readonly runs: { call: ToolInvocation; callerLastTurn: string }[] = [];
  constructor(private readonly answer: (call: ToolInvocation) => ToolOutcome = () => ({ result: { ok: true }, status: 'ok' })) {}
  run(call: ToolInvocation, opts: { signal: AbortSignal; callerLastTurn: string }): Promise<ToolOutcome> {
    // Recorded before the signal check: "never runs" means the dialogue never even asked.
    this.runs.push({ call, callerLastTurn: opts.callerLastTurn });
    opts.signal.throwIfAborted();
    return Promise.resolve(this.answer(call));
  }
}

const text = (t: string): LlmDelta => ({ type: 'text', text: t });
const stop: LlmDelta = { type: 'finish', reason: 'stop' };
const toolCall = (id: string, name: string, args: unknown = {}): LlmDelta => ({ type: 'tool_call', call: { id, name, arguments: args } });
const toolsFinish: LlmDelta = { type: 'finish', reason: 'tool_calls' };

const SNAPSHOT = {
  persona: 'You are Robin, the front desk of Bright Smile Dental.',
  instructions: 'Help callers move appointments.',
  first_message: null as string | null,
  language: 'en-US',
  timezone: 'America/New_York',
  settings: { model: 'gpt-test' },
  tools: [
    { type: 'http', name: 'find_slots', description: 'Free slots on a day', url: 'https://x.example/slots', policy: 'read', parameters: { type: 'object', properties: { day: { type: 'string' } } } },
    { type: 'builtin', name: 'transfer_call', destinations: [{ name: 'front desk', number: '+14155550100' }, { name: 'billing', number: '+14155550101' }] },
    { type: 'builtin', name: 'send_dtmf' },
  ],
};

function make(llm: ScriptedLlm, snapshot: Record<string, unknown> = SNAPSHOT): LlmDialogue {
  // 2026-05-05T18:03:00Z is 2:03 PM in New York.
  return new LlmDialogue({ llm, snapshot, clock: new FakeClock(Date.UTC(2026, 4, 5, 18, 3)), callerNumber: '+14155550134', direction: 'inbound' });
}

async function collect(it: AsyncIterable<DialogueDelta>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of it) out.push(d.text);
  return out;
}

const live = (): AbortSignal => new AbortController().signal;
const turn = (t: string) => ({ type: 'caller_turn', text: t, source: 'speech' }) as const;

describe('LlmDialogue', () => {
  it('speaks first_message verbatim without a model request', async () => {
    const llm = new ScriptedLlm([]);
    const d = make(llm, { ...SNAPSHOT, first_message: 'Bright Smile Dental, this is Robin. How can I help?' });
    expect(await collect(d.reply({ type: 'call_start' }, { signal: live(), tools: new FakeTools() }))).toEqual(['Bright Smile Dental, this is Robin. How can I help?']);
    expect(llm.requests).toHaveLength(0);
    expect(d.messages()).toEqual([{ role: 'assistant', content: 'Bright Smile Dental, this is Robin. How can I help?' }]);
    expect(d.expecting()).toEqual({ kind: 'general' });
    expect(d.filledFields()).toBeNull();
    expect(d.id).toBe('scripted');
  });

  it('asks the model for a greeting when there is no first message; the stage direction is not kept', async () => {
    const llm = new ScriptedLlm([{ deltas: [text('Hello, '), text('how can I help?'), stop] }]);
    const d = make(llm);
    expect(await collect(d.reply({ type: 'call_start' }, { signal: live(), tools: new FakeTools() }))).toEqual(['Hello, ', 'how can I help?']);
    expect(llm.requests[0]!.messages).toEqual([{ role: 'user', content: expect.stringMatching(/^\[The call has just been answered/) }]);
    expect(d.messages()).toEqual([{ role: 'assistant', content: 'Hello, how can I help?' }]);
  });

  it('builds the system prompt from persona, instructions and the call context, and declares the tools', async () => {
    const llm = new ScriptedLlm([{ deltas: [text('Sure.'), stop] }]);
    const d = make(llm);
    await collect(d.reply(turn('Hi'), { signal: live(), tools: new FakeTools() }));
    const req = llm.requests[0]!;
    expect(req.model).toBe('gpt-test');
    expect(req.system).toMatch(/^You are Robin, the front desk of Bright Smile Dental\.\n\nHelp callers move appointments\.\n\nCall context:/);
    expect(req.system).toContain('Tuesday, May 5, 2026 at 2:03 PM (America/New_York)');
    expect(req.system).toContain('+14155550134');
    expect(req.system).toMatch(/No markdown/);
    expect(req.system).toMatch(/end_call/);
    expect(req.tools!.map((t) => t.name)).toEqual(['find_slots', 'end_call', 'send_dtmf', 'transfer_call']);
    expect(req.tools!.find((t) => t.name === 'transfer_call')!.parameters).toMatchObject({ properties: { destination: { enum: ['front desk', 'billing'] } } });
    expect(req.tools!.find((t) => t.name === 'send_dtmf')!.parameters).toMatchObject({ properties: { digits: { type: 'string', pattern: '^[0-9*#A-D]+$' } } });
  });

  it('streams the model text as it arrives and keeps the turn in the history', async () => {
    const llm = new ScriptedLlm([{ deltas: [text('We '), text('have '), text('Tuesday.'), stop] }]);
    const d = make(llm);
    expect(await collect(d.reply(turn('When are you open?'), { signal: live(), tools: new FakeTools() }))).toEqual(['We ', 'have ', 'Tuesday.']);
    expect(d.messages()).toEqual([{ role: 'user', content: 'When are you open?' }, { role: 'assistant', content: 'We have Tuesday.' }]);
  });

  it('runs tool calls in order and sends their results in the next request', async () => {
    const llm = new ScriptedLlm([
      { deltas: [text('Let me check. '), toolCall('call_1', 'find_slots', { day: 'Tuesday' }), toolCall('call_2', 'find_slots', { day: 'Wednesday' }), toolsFinish] },
      { deltas: [text('Tuesday at nine is free.'), stop] },
    ]);
    const tools = new FakeTools((c) => ({ result: { slots: [(c.arguments as { day: string }).day] }, status: 'ok' }));
    const d = make(llm);
    expect(await collect(d.reply(turn('Anything next week?'), { signal: live(), tools }))).toEqual(['Let me check. ', 'Tuesday at nine is free.']);
    expect(tools.runs.map((r) => [r.call.id, r.callerLastTurn])).toEqual([['call_1', 'Anything next week?'], ['call_2', 'Anything next week?']]);
    expect(llm.requests[1]!.messages).toEqual([
      { role: 'user', content: 'Anything next week?' },
      { role: 'assistant', content: 'Let me check. ', toolCalls: [{ id: 'call_1', name: 'find_slots', arguments: { day: 'Tuesday' } }, { id: 'call_2', name: 'find_slots', arguments: { day: 'Wednesday' } }] },
      { role: 'tool', toolCallId: 'call_1', name: 'find_slots', result: { slots: ['Tuesday'] } },
      { role: 'tool', toolCallId: 'call_2', name: 'find_slots', result: { slots: ['Wednesday'] } },
    ]);
  });

  it('a tool call of a generation aborted before it finished never runs', async () => {
    // The regression this pins: a barge-in during the model's answer must not book anything.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const llm = new ScriptedLlm([{ deltas: [text('Booking it now.'), toolCall('call_b', 'find_slots', {}), toolsFinish], gate: { at: 1, wait: () => gate } }]);
    const tools = new FakeTools();
    const d = make(llm);
    const ac = new AbortController();
    const got: string[] = [];
    for await (const delta of d.reply(turn('Yes book it'), { signal: ac.signal, tools })) {
      got.push(delta.text);
      ac.abort();
      release();
    }
    expect(got).toEqual(['Booking it now.']);
    expect(tools.runs).toHaveLength(0);
    expect(d.messages().some((m) => m.role === 'tool' || (m.role === 'assistant' && m.toolCalls))).toBe(false);
  });

  it('a tool call that arrived but whose generation was aborted before it finished never runs', async () => {
    const ac = new AbortController();
    // The model has written the whole tool call; the caller cuts in before the stream finishes.
    const llm = new ScriptedLlm([{ deltas: [toolCall('call_c', 'find_slots', {}), toolsFinish], gate: { at: 1, wait: () => Promise.resolve(ac.abort()) } }]);
    const tools = new FakeTools();
    const d = make(llm);
    expect(await collect(d.reply(turn('Yes'), { signal: ac.signal, tools }))).toEqual([]);
    expect(llm.requests).toHaveLength(1);
    expect(tools.runs).toHaveLength(0);
    expect(d.messages()).toEqual([{ role: 'user', content: 'Yes' }]);
  });

  it('after a barge-in the history keeps only the played prefix of the reply (pipecat #4996)', async () => {
    const llm = new ScriptedLlm([
      { deltas: [text('Let me look. '), toolCall('call_1', 'find_slots', {}), toolsFinish] },
      { deltas: [text('Tuesday at nine is free. '), text('Wednesday at two is also free. Which one?'), stop] },
      { deltas: [text('Great.'), stop] },
    ]);
    const d = make(llm);
    await collect(d.reply(turn('Anything next week?'), { signal: live(), tools: new FakeTools() }));
    // The chunker trims and joins sentences: whitespace differs from the model's.
    d.heard('Let me look.\nTuesday at nine is free.\nWednesday', true);
    expect(d.messages().slice(1)).toEqual([
      { role: 'assistant', content: 'Let me look.', toolCalls: [{ id: 'call_1', name: 'find_slots', arguments: {} }] },
      { role: 'tool', toolCallId: 'call_1', name: 'find_slots', result: { ok: true } },
      { role: 'assistant', content: 'Tuesday at nine is free. Wednesday' },
    ]);
    await collect(d.reply(turn('Tuesday'), { signal: live(), tools: new FakeTools() }));
    expect(JSON.stringify(llm.requests[2]!.messages)).not.toContain('Which one?');
  });

  it('an aborted reply keeps only what was played; an uninterrupted one keeps everything', async () => {
    const llm = new ScriptedLlm([{ deltas: [text('Our address is 12 Main Street. '), text('We open at nine.'), stop] }, { deltas: [text('Sure thing.'), stop] }]);
    const d = make(llm);
    const ac = new AbortController();
    for await (const delta of d.reply(turn('Where are you?'), { signal: ac.signal, tools: new FakeTools() })) if (delta.text.startsWith('Our')) ac.abort();
    d.heard('Our address is', true);
    expect(d.messages()).toEqual([{ role: 'user', content: 'Where are you?' }, { role: 'assistant', content: 'Our address is' }]);
    await collect(d.reply(turn('ok'), { signal: live(), tools: new FakeTools() }));
    d.heard('Sure thing.', false);
    expect(d.messages().at(-1)).toEqual({ role: 'assistant', content: 'Sure thing.' });
    d.heard('', true);
    expect(d.messages().at(-1)).toEqual({ role: 'user', content: 'ok' });
  });

  it(`makes at most ${MAX_REQUESTS_PER_REPLY} model requests per reply and never runs the last request's tools`, async () => {
    const llm = new ScriptedLlm((n) => ({ deltas: [toolCall(`call_${n}`, 'find_slots', {}), toolsFinish] }));
    const tools = new FakeTools();
    const d = make(llm);
    const said = await collect(d.reply(turn('Loop'), { signal: live(), tools }));
    expect(llm.requests).toHaveLength(MAX_REQUESTS_PER_REPLY);
    expect(tools.runs.map((r) => r.call.id)).toEqual(['call_0', 'call_1', 'call_2', 'call_3']);
    // Never silent without a reason.
    expect(said).toEqual(["I'm sorry, I couldn't get that done just now."]);
    const history = d.messages();
    const ids = history.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []));
    const results = history.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : []));
    expect(results).toEqual(ids);
  });

  it('silence: the first prompt asks whether the caller is there; the second says goodbye and ends the call', async () => {
    const llm = new ScriptedLlm([]);
    const tools = new FakeTools();
    const d = make(llm);
    expect(await collect(d.reply({ type: 'silence', count: 1 }, { signal: live(), tools }))).toEqual(['Are you still there?']);
    expect(tools.runs).toHaveLength(0);
    const bye = await collect(d.reply({ type: 'silence', count: 2 }, { signal: live(), tools }));
    expect(bye.join('')).toMatch(/Goodbye/);
    expect(tools.runs.map((r) => r.call.name)).toEqual(['end_call']);
    expect(llm.requests).toHaveLength(0);
  });

  it('silence in another language asks the model, without tools, and still ends the call', async () => {
    const llm = new ScriptedLlm([{ deltas: [text('¿Sigue ahí?'), stop] }, { deltas: [text('Adiós.'), stop] }]);
    const tools = new FakeTools();
    const d = make(llm, { ...SNAPSHOT, language: 'es-ES' });
    expect(await collect(d.reply({ type: 'silence', count: 1 }, { signal: live(), tools }))).toEqual(['¿Sigue ahí?']);
    expect(await collect(d.reply({ type: 'silence', count: 2 }, { signal: live(), tools }))).toEqual(['Adiós.']);
    expect(llm.requests[1]!.tools).toBeUndefined();
    expect(llm.requests[0]!.system).toContain('Speak es-ES.');
    expect(tools.runs.map((r) => r.call.name)).toEqual(['end_call']);
  });
});
