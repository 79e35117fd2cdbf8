import { afterEach, describe, expect, it } from 'vitest';
import { CallingBox } from '../src/index.js';
import { SseParser } from '../src/internal/sse-parser.js';
import { type FakeServer, startFakeServer } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const STREAM = [
  ': keep-alive\n\n',
  'retry: 10\n',
  'id: cev_1\nevent: call.ringing\ndata: {"type":"call.ringing","created":1,"api_version":"2026-04","data":{"call":{"id":"call_1"}}}\n\n',
  'id: cev_2\r\nevent: call.turn\r\ndata: {"type":"call.turn",\r\ndata: "created":2,"api_version":"2026-04","data":{"call":{"id":"call_1"}}}\r\n\r\n',
].join('');

describe('SSE parser', () => {
  it('parses the same messages however the input is split, CRLF included', () => {
    const whole = new SseParser().push(STREAM);
    expect(whole.map((m) => [m.id, m.event])).toEqual([['cev_1', 'call.ringing'], ['cev_2', 'call.turn']]);
    expect(JSON.parse(whole[1]!.data)).toMatchObject({ type: 'call.turn', created: 2 });
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const out = [];
      for (let i = 0; i < STREAM.length; i += size) out.push(...parser.push(STREAM.slice(i, i + size)));
      expect(out).toEqual(whole);
      expect(parser.retryMs).toBe(10);
    }
  });

  it('drops an unterminated last message and ignores comments and unknown fields', () => {
    const parser = new SseParser();
    expect(parser.push(':c\nfoo: bar\ndata: x\n\ndata: y')).toEqual([{ id: undefined, event: 'message', data: 'x' }]);
    expect(parser.end()).toEqual([]);
  });
});

describe('client.events.stream()', () => {
  it('yields typed events and resumes with Last-Event-ID after the connection drops', async () => {
    server = await startFakeServer((_req, n, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (n === 0) {
        res.write('retry: 10\n\n');
        res.write('id: cev_1\nevent: call.ringing\ndata: {"type":"call.ringing","created":1,"api_version":"2026-04","data":{"call":{"id":"call_1"}}}\n\n');
        res.end(); // the connection drops
      } else {
        res.write('id: cev_2\nevent: call.answered\ndata: {"type":"call.answered","created":2,"api_version":"2026-04","data":{"call":{"id":"call_1"}}}\n\n');
      }
      return 'manual';
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const stream = client.events.stream();
    const seen: Array<[string | undefined, string, string]> = [];
    for await (const event of stream) {
      seen.push([event.id, event.type, event.data.call.id]);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([['cev_1', 'call.ringing', 'call_1'], ['cev_2', 'call.answered', 'call_1']]);
    expect(stream.lastEventId).toBe('cev_2');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.headers['last-event-id']).toBeUndefined();
    expect(server.requests[1]!.headers['last-event-id']).toBe('cev_1');
    expect(server.requests[0]!.headers.accept).toBe('text/event-stream');
    expect(server.requests[0]!.url.pathname).toBe('/v1/events/stream');
  });

  it('sends lastEventId on the first connection and ends quietly when aborted', async () => {
    server = await startFakeServer((_req, _n, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
      return 'manual';
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const events = [];
    for await (const event of client.events.stream({ lastEventId: 'cev_9' }, { signal: controller.signal })) events.push(event);
    expect(events).toEqual([]);
    expect(server.requests[0]!.headers['last-event-id']).toBe('cev_9');
  });

  it('resumes after lastEventId when iterated again, and stays closed after close()', async () => {
    server = await startFakeServer((_req, n, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: cev_${n + 1}\nevent: call.ringing\ndata: {"type":"call.ringing","created":1,"api_version":"2026-04","data":{"call":{"id":"call_${n + 1}"}}}\n\n`);
      return 'manual';
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const stream = client.events.stream();
    for await (const event of stream) {
      expect(event.id).toBe('cev_1');
      break;
    }
    for await (const event of stream) {
      expect(event.id).toBe('cev_2');
      break;
    }
    expect(server.requests[1]!.headers['last-event-id']).toBe('cev_1');
    stream.close();
    const after = [];
    for await (const event of stream) after.push(event);
    expect(after).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('reconnects when the connection goes silent for idleTimeoutMs', async () => {
    server = await startFakeServer((_req, n, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (n === 0) res.write('retry: 10\nid: cev_1\ndata: {"type":"call.ringing","data":{"call":{"id":"call_1"}}}\n\n'); // then silence
      else res.write('id: cev_2\ndata: {"type":"call.answered","data":{"call":{"id":"call_1"}}}\n\n');
      return 'manual';
    });
    const client = new CallingBox({ apiKey: 'sk_test', baseUrl: server.url });
    const ids: Array<string | undefined> = [];
    for await (const event of client.events.stream({ idleTimeoutMs: 150 })) {
      ids.push(event.id);
      if (ids.length === 2) break;
    }
    expect(ids).toEqual(['cev_1', 'cev_2']);
    expect(server.requests[1]!.headers['last-event-id']).toBe('cev_1');
  });
});
