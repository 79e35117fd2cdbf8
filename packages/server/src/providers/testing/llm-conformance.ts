/**
 * The conformance suite every `LlmProvider` adapter runs against its vendor's fake server (STYLE
 * rule 10): what the voice loop and the extraction rely on whatever the vendor — text that streams
 * in pieces, a tool call emitted once with parsed arguments, tool results that reach the next
 * request, a barge-in abort that ends the stream quietly and at once, a bad key that fails fast
 * with `provider_auth`, and structured output for extraction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeLlmServer, RecordedLlmRequest } from '../../../../testkit/src/fakes/fake-llm-server.ts';
import type { LlmDelta, LlmProvider, LlmRequest } from '../llm.ts';
import { ProviderError } from '../provider-error.ts';

/** How to read a vendor's request body (the testkit's `openAiWire`, `anthropicWire`). */
export interface LlmWireReader {
  system(req: RecordedLlmRequest): string | undefined;
  toolNames(req: RecordedLlmRequest): string[];
  assistantToolCalls(req: RecordedLlmRequest): Array<{ id: string; name: string; arguments: unknown }>;
  toolResults(req: RecordedLlmRequest): Array<{ toolCallId: string; content: unknown }>;
  structured(req: RecordedLlmRequest): boolean;
}

/** Adapter knobs the suite turns (short timeouts, fast retries); adapters map them to their own options. */
export interface LlmTestOptions {
  apiKey?: string;
  maxRetries?: number;
  idleTimeoutMs?: number;
}

export interface LlmConformanceSetup {
  /** Starts the vendor's fake server (once per suite). */
  start(): Promise<FakeLlmServer>;
  /** The adapter pointed at the fake (`server.url`, `server.apiKey` unless overridden). */
  make(server: FakeLlmServer, opts?: LlmTestOptions): LlmProvider;
  wire: LlmWireReader;
}

const LOOKUP_TOOL = {
  name: 'lookup_order',
  description: 'Looks an order up by its id.',
  parameters: { type: 'object', properties: { order_id: { type: 'string' }, urgent: { type: 'boolean' } }, required: ['order_id', 'urgent'], additionalProperties: false },
};

const ask = (text: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({ system: 'You are a terse phone agent.', messages: [{ role: 'user', content: text }], ...extra });

async function collect(it: AsyncIterable<LlmDelta>): Promise<Array<LlmDelta & { atMs: number }>> {
  const t0 = performance.now();
  const out: Array<LlmDelta & { atMs: number }> = [];
  for await (const d of it) out.push({ ...d, atMs: performance.now() - t0 });
  return out;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function llmConformance(name: string, setup: LlmConformanceSetup): void {
  describe(`LLM conformance: ${name}`, () => {
    let server: FakeLlmServer;
    const lastRequest = (): RecordedLlmRequest => server.requests[server.requests.length - 1]!;
    beforeAll(async () => {
      server = await setup.start();
    });
    afterAll(async () => server.close());

    it('streams text in pieces that arrive before the stream ends, then finish', async () => {
      server.reply({ text: ['Hello', ', this is', ' the front desk.'], chunkDelayMs: 60 });
      const out = await collect(setup.make(server).complete(ask('Hi'), { signal: new AbortController().signal }));
      const texts = out.filter((d) => d.type === 'text');
      expect(texts.length).toBeGreaterThanOrEqual(2);
      expect(texts.map((d) => d.text).join('')).toBe('Hello, this is the front desk.');
      const finish = out[out.length - 1]!;
      expect(finish).toMatchObject({ type: 'finish', reason: 'stop' });
      // The first piece was usable while the model was still writing.
      expect(finish.atMs - texts[0]!.atMs).toBeGreaterThan(80);
      expect(setup.wire.system(lastRequest())).toContain('terse phone agent');
    });

    it('emits a tool call once, with parsed arguments, and declares the tools it was given', async () => {
      server.reply({ text: 'Let me check.', toolCalls: [{ id: 'call_lookup_1', name: 'lookup_order', arguments: { order_id: 'A-17', urgent: true } }] });
      const out = await collect(setup.make(server).complete(ask('Where is order A-17?', { tools: [LOOKUP_TOOL] }), { signal: new AbortController().signal }));
      const calls = out.filter((d) => d.type === 'tool_call');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ call: { id: 'call_lookup_1', name: 'lookup_order', arguments: { order_id: 'A-17', urgent: true } } });
      expect(out[out.length - 1]).toMatchObject({ type: 'finish', reason: 'tool_calls' });
      expect(setup.wire.toolNames(lastRequest())).toEqual(['lookup_order']);
    });

    it('sends the assistant tool call and its result back in the next request', async () => {
      server.reply({ text: ['It shipped ', 'yesterday.'] });
      const req = ask('Where is order A-17?', { tools: [LOOKUP_TOOL] });
      const out = await collect(
        setup.make(server).complete(
          {
            ...req,
            messages: [
              ...req.messages,
              { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'call_lookup_1', name: 'lookup_order', arguments: { order_id: 'A-17', urgent: true } }] },
              { role: 'tool', toolCallId: 'call_lookup_1', name: 'lookup_order', result: { status: 'shipped', shipped_on: '2026-11-23' } },
            ],
          },
          { signal: new AbortController().signal },
        ),
      );
      expect(out.filter((d) => d.type === 'text').map((d) => d.text).join('')).toBe('It shipped yesterday.');
      const sent = lastRequest();
      expect(setup.wire.assistantToolCalls(sent)).toEqual([{ id: 'call_lookup_1', name: 'lookup_order', arguments: { order_id: 'A-17', urgent: true } }]);
      expect(setup.wire.toolResults(sent)).toEqual([{ toolCallId: 'call_lookup_1', content: { status: 'shipped', shipped_on: '2026-11-23' } }]);
    });

    it('ends quietly and at once when aborted mid-stream, leaving no connection or rejection behind', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown): void => void unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        // Chunks 400 ms apart: a stream that ends well before the next chunk did not wait for the
        // model (a bound in the tens of milliseconds would flake on a loaded machine).
        server.reply({ text: ['One', ' two', ' three', ' four'], chunkDelayMs: 400, hang: true });
        const ac = new AbortController();
        const seen: LlmDelta[] = [];
        let abortedAt = -1;
        for await (const d of setup.make(server).complete(ask('Count'), { signal: ac.signal })) {
          seen.push(d);
          if (abortedAt < 0) {
            abortedAt = performance.now();
            ac.abort();
          }
        }
        expect(abortedAt).toBeGreaterThan(0);
        expect(performance.now() - abortedAt).toBeLessThan(300);
        expect(seen).toEqual([{ type: 'text', text: 'One' }]);
        await until(() => server.openResponses() === 0, 'the aborted response to close');
        await new Promise((r) => setTimeout(r, 50));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('yields nothing and sends nothing with an already aborted signal', async () => {
      const before = server.requests.length;
      expect(await collect(setup.make(server).complete(ask('Hi'), { signal: AbortSignal.abort() }))).toEqual([]);
      expect(server.requests.length).toBe(before);
    });

    it('fails with provider_auth within 3 s on a rejected key, without retrying', async () => {
      const llm = setup.make(server, { apiKey: 'wrong-key', maxRetries: 2 });
      const before = server.requests.length;
      const t0 = performance.now();
      const err = await rejection(collect(llm.complete(ask('Hi'), { signal: new AbortController().signal })));
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ code: 'provider_auth', retryable: false });
      expect(server.requests.length - before).toBe(1);
      const err2 = await rejection(llm.generateObject({ system: 's', prompt: 'p', schema: { type: 'object', properties: {}, required: [], additionalProperties: false } }, { signal: new AbortController().signal }));
      expect(err2).toMatchObject({ code: 'provider_auth' });
    });

    it('retries a 5xx a bounded number of times, then fails with provider_unavailable', async () => {
      server.reply({ status: 500, retryAfterMs: 5 }, { status: 500, retryAfterMs: 5 }, { status: 500, retryAfterMs: 5 });
      const before = server.requests.length;
      const err = await rejection(collect(setup.make(server, { maxRetries: 2 }).complete(ask('Hi'), { signal: new AbortController().signal })));
      expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
      expect(server.requests.length - before).toBe(3);
      server.reply({ status: 503, retryAfterMs: 5 }, { text: 'Recovered.' });
      const out = await collect(setup.make(server, { maxRetries: 2 }).complete(ask('Hi'), { signal: new AbortController().signal }));
      expect(out.filter((d) => d.type === 'text').map((d) => d.text).join('')).toBe('Recovered.');
    });

    it('fails with provider_unavailable when the connection drops mid-stream', async () => {
      server.reply({ text: ['Partial', ' answer', ' never', ' finished'], disconnectAfterChunks: 4 });
      const err = await rejection(collect(setup.make(server, { maxRetries: 0 }).complete(ask('Hi'), { signal: new AbortController().signal })));
      expect(err).toMatchObject({ code: 'provider_unavailable' });
    });

    it('fails with provider_timeout when the model sends nothing', async () => {
      server.reply({ latencyMs: 5000 });
      const t0 = performance.now();
      const err = await rejection(collect(setup.make(server, { idleTimeoutMs: 300, maxRetries: 0 }).complete(ask('Hi'), { signal: new AbortController().signal })));
      expect(err).toMatchObject({ code: 'provider_timeout' });
      expect(performance.now() - t0).toBeLessThan(2000);
      await until(() => server.openResponses() === 0, 'the timed-out response to close');
    });

    it('generateObject asks for structured output and returns the object', async () => {
      const schema = {
        type: 'object',
        properties: { caller_name: { type: ['string', 'null'] }, callback: { type: ['boolean', 'null'] } },
        required: ['caller_name', 'callback'],
        additionalProperties: false,
      };
      server.reply({ object: { caller_name: 'Ada Lovelace', callback: true } });
      const r = await setup.make(server).generateObject({ system: 'Extract fields.', prompt: 'Caller: I am Ada Lovelace, please call me back.', schema, schemaName: 'call_result' }, { signal: new AbortController().signal });
      expect(r.object).toEqual({ caller_name: 'Ada Lovelace', callback: true });
      expect(r.model).toEqual(expect.any(String));
      expect(r.model.length).toBeGreaterThan(0);
      expect(setup.wire.structured(lastRequest())).toBe(true);
    });

    it('generateObject returns the raw text when the model did not answer JSON, and rejects with an AbortError when aborted', async () => {
      server.reply({ rawContent: 'Sorry, I cannot do that.' });
      const schema = { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'], additionalProperties: false };
      const r = await setup.make(server).generateObject({ system: 's', prompt: 'p', schema }, { signal: new AbortController().signal });
      expect(r.object).toBeUndefined();
      expect(r.text).toContain('Sorry');
      server.reply({ object: { a: 'x' }, latencyMs: 2000 });
      const ac = new AbortController();
      const p = setup.make(server).generateObject({ system: 's', prompt: 'p', schema }, { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      const err = await rejection(p);
      expect((err as Error).name).toBe('AbortError');
    });
  });
}
