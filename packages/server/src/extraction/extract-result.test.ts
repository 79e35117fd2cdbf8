import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiWire, startFakeOpenAiServer, type FakeLlmServer } from '../../../testkit/src/fakes/openai-server.ts';
import { AiSdkLlm } from '../providers/ai-sdk/ai-sdk-llm.ts';
import { openAiVendor } from '../providers/ai-sdk/vendors.ts';
import { extractResult } from './extract-result.ts';
import type { TranscriptLine } from './outcome.ts';

const RETURNS = { caller_name: 'string', phone: 'phone', party_size: 'integer', visit_date: 'date', mood: ['happy', 'neutral', 'angry'] };
const SEGMENTS: TranscriptLine[] = [
  { sequence_no: 1, role: 'agent', text: 'Front desk, how can I help?' },
  { sequence_no: 2, role: 'caller', text: 'Hi, this is Ada Lovelace, a table for four tomorrow please.' },
  { sequence_no: 3, role: 'agent', text: 'What number can we reach you on?' },
  { sequence_no: 4, role: 'caller', text: 'Four one five, five five five, zero one two three.' },
  { sequence_no: 5, role: 'system', text: '' },
];

let server: FakeLlmServer;
let llm: AiSdkLlm;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
  llm = new AiSdkLlm(openAiVendor({ apiKey: server.apiKey, baseUrl: server.url }), { model: 'gpt-4o-mini', maxRetries: 0 });
});
afterAll(async () => server.close());

const run = (over: Partial<Parameters<typeof extractResult>[0]> = {}) =>
  extractResult({ returns: RETURNS, segments: SEGMENTS, llm, signal: new AbortController().signal, timezone: 'Europe/Paris', endedAt: new Date('2026-11-24T13:05:00Z'), ...over });
const last = () => server.requests[server.requests.length - 1]!;

describe('extractResult against the fake OpenAI server', () => {
  it('sends the numbered transcript and the schema through structured output, and returns values with evidence', async () => {
    server.reply({
      object: {
        values: { caller_name: 'Ada Lovelace', phone: '+14155550123', party_size: 4, visit_date: '2026-11-25', mood: null },
        evidence: { caller_name: [2], phone: [4, 99], party_size: [2], visit_date: [2], mood: [] },
      },
    });
    const o = await run();
    expect(o).toMatchObject({
      status: 'completed', error: null, repaired: false, model: 'gpt-4o-mini',
      result: { caller_name: 'Ada Lovelace', phone: '+14155550123', party_size: 4, visit_date: '2026-11-25', mood: null },
      // Segment 99 does not exist: evidence keeps only real segment numbers.
      evidence: { caller_name: [2], phone: [4], party_size: [2], visit_date: [2], mood: [] },
    });
    expect(o.durationMs).toBeGreaterThanOrEqual(0);
    const req = last();
    expect(openAiWire.structured(req)).toBe(true);
    expect(openAiWire.schema(req)).toMatchObject({ required: ['values', 'evidence'], properties: { values: { required: Object.keys(RETURNS) } } });
    const prompt = openAiWire.userTexts(req).join('\n');
    expect(prompt).toContain('[2] caller: Hi, this is Ada Lovelace');
    expect(prompt).toContain('[4] caller: Four one five');
    expect(prompt).not.toContain('[5]');
    expect(prompt).toContain('Europe/Paris');
  });

  it('treats top-level keys the model left out as undiscussed (null)', async () => {
    server.reply({ object: { values: { caller_name: 'Ada' }, evidence: {} } });
    const o = await run();
    expect(o).toMatchObject({ status: 'completed', result: { caller_name: 'Ada', phone: null, party_size: null, visit_date: null, mood: null } });
  });

  it('repairs once: the validation problems go back to the model, and the repaired answer is kept', async () => {
    const before = server.requests.length;
    server.reply(
      { object: { values: { caller_name: 'Ada', phone: '(415) 555-0123', party_size: 4, visit_date: 'tomorrow', mood: null }, evidence: { phone: [4] } } },
      { object: { values: { caller_name: 'Ada', phone: '+14155550123', party_size: 4, visit_date: '2026-11-25', mood: null }, evidence: { phone: [4] } } },
    );
    const o = await run();
    expect(server.requests.length - before).toBe(2);
    expect(o).toMatchObject({ status: 'completed', repaired: true, result: { phone: '+14155550123', visit_date: '2026-11-25' } });
    const repairPrompt = openAiWire.userTexts(last()).join('\n');
    expect(repairPrompt).toContain('(415) 555-0123');
    expect(repairPrompt).toMatch(/values\.phone: must be an E\.164 phone number/);
    expect(repairPrompt).toMatch(/values\.visit_date: must be a date as YYYY-MM-DD/);
  });

  it('repairs an answer that was not JSON at all', async () => {
    server.reply({ rawContent: 'I think the caller was Ada.' }, { object: { values: { caller_name: 'Ada' }, evidence: { caller_name: [2] } } });
    const o = await run();
    expect(o).toMatchObject({ status: 'completed', repaired: true, result: { caller_name: 'Ada' } });
    expect(openAiWire.userTexts(last()).join('\n')).toContain('I think the caller was Ada.');
  });

  it('fails after one unsuccessful repair, naming the problem, keeping the fields that validated', async () => {
    const before = server.requests.length;
    const bad = { object: { values: { caller_name: 'Ada', phone: 'call me', party_size: 'four', visit_date: null, mood: null }, evidence: {} } };
    server.reply(bad, bad);
    const o = await run();
    expect(server.requests.length - before).toBe(2);
    expect(o.status).toBe('failed');
    expect(o.repaired).toBe(true);
    expect(o.error).toContain('result.phone');
    expect(o.error).toContain('result.party_size');
    expect(o.result).toEqual({ caller_name: 'Ada', phone: null, party_size: null, visit_date: null, mood: null });
  });

  it('fails with the provider error when the model cannot be reached or the key is wrong', async () => {
    const wrong = new AiSdkLlm(openAiVendor({ apiKey: 'nope', baseUrl: server.url }), { maxRetries: 0 });
    const o = await run({ llm: wrong });
    expect(o).toMatchObject({ status: 'failed', repaired: false, result: { caller_name: null, phone: null, party_size: null, visit_date: null, mood: null } });
    expect(o.error).toMatch(/^provider_auth: /);
    server.reply({ status: 500 });
    expect((await run()).error).toMatch(/^provider_unavailable: /);
  });

  it('asks no model when there is no returns schema (result null) or nothing was said (all null)', async () => {
    const before = server.requests.length;
    expect(await run({ returns: null })).toMatchObject({ status: 'completed', result: null });
    expect(await run({ returns: {} })).toMatchObject({ status: 'completed', result: null });
    expect(await run({ segments: [{ sequence_no: 1, role: 'caller', text: '  ' }] })).toMatchObject({ status: 'completed', result: { caller_name: null, mood: null } });
    expect(server.requests.length).toBe(before);
  });

  it('rejects with an AbortError when aborted, instead of reporting a failure', async () => {
    server.reply({ object: { values: {}, evidence: {} }, latencyMs: 3000 });
    const ac = new AbortController();
    const p = run({ signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
