export { createTestPlatform, type TestPlatform, type ApiResponse } from './platform.ts';
export { FakeClock } from './fake-clock.ts';
export { startServerProcess, type ServerProcess } from './server-process.ts';
export { eventually } from './eventually.ts';
export { startWebhookReceiver, type ReceivedWebhook } from './webhook-receiver.ts';
export { startFakeOpenAiServer, openAiWire } from './fakes/openai-server.ts';
export { startFakeAnthropicServer, anthropicWire } from './fakes/anthropic-server.ts';
export type { FakeLlmServer, FakeLlmReply, FakeToolCall, RecordedLlmRequest } from './fakes/fake-llm-server.ts';
