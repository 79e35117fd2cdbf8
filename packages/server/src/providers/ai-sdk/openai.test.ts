import { describe, expect, it } from 'vitest';
import { openAiWire, startFakeOpenAiServer } from '../../../../testkit/src/fakes/openai-server.ts';
import { llmConformance } from '../testing/llm-conformance.ts';
import { AiSdkLlm } from './ai-sdk-llm.ts';
import { openAiCompatibleVendor, openAiVendor } from './vendors.ts';

llmConformance('AI SDK over OpenAI chat completions', {
  start: () => startFakeOpenAiServer(),
  make: (server, o = {}) => new AiSdkLlm(openAiVendor({ apiKey: o.apiKey ?? server.apiKey, baseUrl: server.url }), { model: 'gpt-4o-mini', ...o }),
  wire: openAiWire,
});

llmConformance('AI SDK over an OpenAI-compatible server (Ollama, vLLM, llama.cpp)', {
  start: () => startFakeOpenAiServer({ apiKey: 'ollama' }),
  make: (server, o = {}) => new AiSdkLlm(openAiCompatibleVendor({ apiKey: o.apiKey ?? server.apiKey, baseUrl: server.url }), { model: 'llama3.1', ...o }),
  wire: openAiWire,
});

describe('OpenAI adapter specifics', () => {
  it('uses the chat completions endpoint with the configured model, and the JSON schema as response_format', async () => {
    const server = await startFakeOpenAiServer();
    try {
      const llm = new AiSdkLlm(openAiVendor({ apiKey: server.apiKey, baseUrl: server.url }), { model: 'gpt-test-1' });
      const schema = { type: 'object', properties: { n: { type: ['integer', 'null'] } }, required: ['n'], additionalProperties: false };
      server.reply({ object: { n: 3 } });
      await llm.generateObject({ system: 's', prompt: 'p', schema, schemaName: 'result' }, { signal: new AbortController().signal });
      const req = server.requests[0]!;
      expect(req.path).toBe('/v1/chat/completions');
      expect(req.body).toMatchObject({ model: 'gpt-test-1', response_format: { type: 'json_schema', json_schema: { name: 'result', schema } } });
      expect(openAiWire.schema(req)).toEqual(schema);
    } finally {
      await server.close();
    }
  });
});
