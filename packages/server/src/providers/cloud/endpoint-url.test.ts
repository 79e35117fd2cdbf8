import { describe, expect, it } from 'vitest';
import { endpointUrl, webSocketUrl } from './endpoint-url.ts';

describe('endpointUrl', () => {
  it.each([
    ['https://api.deepgram.com', 'https://api.deepgram.com/v1/speak'],
    ['https://api.deepgram.com/', 'https://api.deepgram.com/v1/speak'],
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/speak'],
    ['http://127.0.0.1:1234/proxy/v1/', 'http://127.0.0.1:1234/proxy/v1/speak'],
  ])('joins %s', (base, want) => expect(endpointUrl(base, '/v1/speak').toString()).toBe(want));

  it('adds query parameters, repeating arrays and skipping undefined', () => {
    const u = endpointUrl('https://x', '/v1/listen', { a: 1, b: true, c: undefined, k: ['one two', 'three'] });
    expect(u.search).toBe('?a=1&b=true&k=one+two&k=three');
  });

  it('switches to the WebSocket scheme', () => {
    expect(webSocketUrl(new URL('https://api.deepgram.com/v1/listen?x=1'))).toBe('wss://api.deepgram.com/v1/listen?x=1');
    expect(webSocketUrl(new URL('http://127.0.0.1:5/v1/listen'))).toBe('ws://127.0.0.1:5/v1/listen');
  });
});
