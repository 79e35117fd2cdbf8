import { describe, expect, it } from 'vitest';
import { anthropicWire, startFakeAnthropicServer } from '../../../../testkit/src/fakes/anthropic-server.ts';
import { llmConformance } from '../testing/llm-conformance.ts';
import { AiSdkLlm } from './ai-sdk-llm.ts';
import { anthropicVendor } from './vendors.ts';

llmConformance('AI SDK over Anthropic messages', {
  start: () => startFakeAnthropicServer(),
  make: (server, o = {}) => new AiSdkLlm(anthropicVendor({ apiKey: o.apiKey ?? server.apiKey, baseUrl: server.url }), { model: 'claude-haiku-4-5', ...o }),
  wire: anthropicWire,
});

describe('Anthropic adapter specifics', () => {
  it('takes ANTHROPIC_BASE_URL with or without /v1, and sends the key as x-api-key with an anthropic-version', async () => {
    const server = await startFakeAnthropicServer();
    try {
      const host = server.url.replace(/\/v1$/, '');
      for (const baseUrl of [host, server.url]) {
        const llm = new AiSdkLlm(anthropicVendor({ apiKey: server.apiKey, baseUrl }), { model: 'claude-haiku-4-5' });
        server.reply({ text: 'Hi.' });
        for await (const _ of llm.complete({ system: 's', messages: [{ role: 'user', content: 'Hello' }] }, { signal: new AbortController().signal })) void _;
        const req = server.requests[server.requests.length - 1]!;
        expect(req.path).toBe('/v1/messages');
        expect(req.headers['x-api-key']).toBe(server.apiKey);
        expect(req.headers['anthropic-version']).toBeTruthy();
      }
    } finally {
      await server.close();
    }
  });
});
