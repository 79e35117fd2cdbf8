import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeLlmServer } from '@callingbox/testkit/fakes/fake-llm-server.ts';
import { startFakeOpenAiServer } from '@callingbox/testkit/fakes/openai-server.ts';
import { systemClock } from '../packages/server/src/core/clock.ts';
import { LlmDialogue } from '../packages/server/src/engine/llm-dialogue.ts';
import { createToolRunner, type HttpToolRequest, type ToolCallEvent } from '../packages/server/src/engine/tool-runner.ts';
import { AiSdkLlm } from '../packages/server/src/providers/ai-sdk/ai-sdk-llm.ts';
import { openAiVendor } from '../packages/server/src/providers/ai-sdk/vendors.ts';

/**
 * The LLM dialogue through the real AI SDK adapter against the fake OpenAI server (the real
 * chat-completions wire format): a tool call streamed in pieces is executed once by the tool
 * runner, and its result goes back in the next request as a `tool` message with the same id.
 */
let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(() => server.close());

describe('LlmDialogue over the AI SDK and the OpenAI wire protocol', () => {
  it('streams text, runs a tool call and answers with its result', async () => {
    const llm = new AiSdkLlm(openAiVendor({ apiKey: server.apiKey, baseUrl: server.url }), { model: 'gpt-4o-mini', maxRetries: 0 });
    const tools = [{
      type: 'http', name: 'find_slots', description: 'Free appointment slots on a day', url: 'https://tools.example/slots', policy: 'read',
      parameters: { type: 'object', properties: { day: { type: 'string' } }, required: ['day'] },
    }];
    const posted: HttpToolRequest[] = [];
    const journal: ToolCallEvent[] = [];
    const runner = createToolRunner({
      tools, callId: 'call_1', agentId: 'agt_1', clock: systemClock,
      control: { endAfterReply: () => undefined, sendDtmf: () => Promise.resolve(), recordEvent: () => Promise.resolve() },
      http: { post: (req) => (posted.push(req), Promise.resolve({ status: 200, body: { slots: ['9:00 AM'] } })) },
      journal: (e) => (journal.push(e), Promise.resolve()),
    });
    const dialogue = new LlmDialogue({ llm, snapshot: { persona: 'You are Robin.', instructions: '', language: 'en-US', timezone: 'UTC', tools, settings: { model: null } }, clock: systemClock, callerNumber: '+14155550134' });

    server.reply(
      { text: ['Let me ', 'check. '], toolCalls: [{ id: 'call_slots_1', name: 'find_slots', arguments: { day: 'Tuesday' } }] },
      { text: ['Tuesday at ', 'nine is free.'] },
    );
    let said = '';
    for await (const d of dialogue.reply({ type: 'caller_turn', text: 'Anything on Tuesday?', source: 'speech' }, { signal: new AbortController().signal, tools: runner })) said += d.text;

    expect(said).toBe('Let me check. Tuesday at nine is free.');
    expect(posted.map((p) => [p.body, p.headers['Idempotency-Key']])).toEqual([[{ day: 'Tuesday' }, 'call_slots_1']]);
    expect(journal).toEqual([expect.objectContaining({ tool_call_id: 'call_slots_1', name: 'find_slots', status: 'ok' })]);
    expect(server.requests).toHaveLength(2);
    const first = server.requests[0]!.body as { tools: { function: { name: string } }[]; messages: { role: string; content: unknown }[] };
    expect(first.tools.map((t) => t.function.name)).toEqual(['find_slots', 'end_call']);
    expect(first.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('You are Robin.') });
    const second = (server.requests[1]!.body as { messages: { role: string; tool_calls?: { id: string }[]; tool_call_id?: string; content: unknown }[] }).messages;
    const assistant = second.find((m) => m.role === 'assistant')!;
    expect(assistant.tool_calls!.map((c) => c.id)).toEqual(['call_slots_1']);
    const tool = second.find((m) => m.role === 'tool')!;
    expect(tool.tool_call_id).toBe('call_slots_1');
    expect(JSON.stringify(tool.content)).toContain('9:00 AM');
    expect(dialogue.messages().at(-1)).toEqual({ role: 'assistant', content: 'Tuesday at nine is free.' });
  });
});
