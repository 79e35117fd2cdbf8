/**
 * A fake ElevenLabs on loopback, speaking the documented wire protocol:
 * - `GET /v1/text-to-speech/{voice_id}/stream-input` (WebSocket): the first message carries
 *   `voice_settings` and `xi_api_key` (or the handshake an `xi-api-key` header); text is buffered
 *   and rendered on `flush` (or `try_trigger_generation` after a sentence end) and on `{"text":
 *   ""}`, as base64 audio chunks in `output_format` (`ulaw_8000`, `pcm_16000`, `pcm_22050`,
 *   `pcm_24000`, `pcm_44100`) with `alignment`/`normalizedAlignment` of the characters each
 *   chunk speaks; then `{"isFinal": true}` and a 1000 close. A bad key gets an error message and
 *   a 1008 close.
 * - `GET /v1/voices`: the account's voices.
 * It records what clients send and injects latency, slow streams, refusals and disconnects.
 */
import type http from 'node:http';
import alawmulaw from 'alawmulaw';
import type { WebSocket } from 'ws';
import { delay, pcm16Bytes, startLoopback, toneSamples } from './fake-speech-http.ts';

export interface FakeElevenLabsSettings {
  /** Delay before the first audio chunk of each generation, ms. */
  latencyMs: number;
  /** Pause between audio chunks, ms (a slow stream). */
  chunkDelayMs: number;
  /** Audio per chunk, ms. */
  chunkMs: number;
  /** Milliseconds of audio per non-space character. */
  msPerChar: number;
  /** Refuse the handshake (or the voice list) with this status. */
  rejectStatus: number | undefined;
  /** Drop the socket (no close frame) after this many audio chunks. */
  dropAfterChunks: number | undefined;
  /** The answer of `GET /v1/voices`. */
  voices: object[];
}

/** One stream-input socket as the fake saw it. */
export interface FakeElevenLabsSession {
  readonly voiceId: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** Every client message, parsed, in order (the first is the initialisation). */
  readonly messages: any[];
  /** Audio chunks sent. */
  chunks: number;
  readonly closed: Promise<{ code: number; by: 'client' | 'server' }>;
}

export interface FakeElevenLabs {
  /** `ELEVENLABS_BASE_URL` for the client. */
  readonly url: string;
  readonly apiKey: string;
  readonly settings: FakeElevenLabsSettings;
  readonly sessions: FakeElevenLabsSession[];
  readonly voiceRequests: http.IncomingHttpHeaders[];
  openSockets(): number;
  close(): Promise<void>;
}

const DEFAULTS: FakeElevenLabsSettings = {
  latencyMs: 0,
  chunkDelayMs: 0,
  chunkMs: 100,
  msPerChar: 20,
  rejectStatus: undefined,
  dropAfterChunks: undefined,
  voices: [
    {
      voice_id: '21m00Tcm4TlvDq8ikWAM',
      name: 'Rachel',
      category: 'premade',
      labels: { accent: 'american', description: 'calm', age: 'young', gender: 'female', use_case: 'narration' },
      preview_url: 'https://storage.googleapis.com/eleven-public-prod/premade/voices/21m00Tcm4TlvDq8ikWAM/preview.mp3',
    },
    { voice_id: 'cl0nedV01ce', name: 'Front desk (cloned)', category: 'cloned', labels: {}, verified_languages: [{ language: 'en', locale: 'en-GB' }] },
  ],
};

const RATES: Record<string, number> = { ulaw_8000: 8000, pcm_16000: 16000, pcm_22050: 22050, pcm_24000: 24000, pcm_44100: 44100 };

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeElevenLabs(opts: { apiKey?: string; settings?: Partial<FakeElevenLabsSettings> } = {}): Promise<FakeElevenLabs> {
  const apiKey = opts.apiKey ?? 'xi-test-key';
  const settings: FakeElevenLabsSettings = { ...DEFAULTS, ...opts.settings };
  const sessions: FakeElevenLabsSession[] = [];
  const voiceRequests: http.IncomingHttpHeaders[] = [];
  const refusal = (status: number): string => JSON.stringify({ detail: { status: status === 401 ? 'invalid_api_key' : 'error', message: status === 401 ? 'Invalid API key' : 'The fake was told to fail.' } });
  const server = await startLoopback(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method !== 'GET' || url.pathname !== '/v1/voices') return void res.writeHead(404).end();
      voiceRequests.push(req.headers);
      const status = settings.rejectStatus ?? (req.headers['xi-api-key'] === apiKey ? 0 : 401);
      if (status) return void res.writeHead(status, { 'content-type': 'application/json' }).end(refusal(status));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ voices: settings.voices }));
    },
    (req, accept, refuse) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const m = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/.exec(url.pathname);
      if (!m) return refuse(404, '{"detail":"Not Found"}');
      const header = req.headers['xi-api-key'];
      const status = settings.rejectStatus ?? (header !== undefined && header !== apiKey ? 401 : 0);
      if (status) return refuse(status, refusal(status));
      accept((ws) => sessions.push(streamSession(ws, decodeURIComponent(m[1]!), url.searchParams, req.headers, apiKey, settings)));
    },
  );
  return { url: server.url, apiKey, settings, sessions, voiceRequests, openSockets: () => server.wss.clients.size, close: () => server.close() };
}

function streamSession(ws: WebSocket, voiceId: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, apiKey: string, settings: FakeElevenLabsSettings): FakeElevenLabsSession {
  const format = query.get('output_format') ?? 'mp3_44100_128';
  const rate = RATES[format];
  let closedByServer = false;
  let buffer = '';
  let outbox = Promise.resolve();
  const session: FakeElevenLabsSession = {
    voiceId,
    query,
    headers,
    messages: [],
    chunks: 0,
    closed: new Promise((resolve) => ws.once('close', (code) => resolve({ code, by: closedByServer ? 'server' : 'client' }))),
  };
  const closeWith = (code: number, reason: string): void => {
    closedByServer = true;
    ws.close(code, reason);
  };
  const queue = (step: () => Promise<void> | void): void => {
    outbox = outbox.then(async () => {
      if (ws.readyState === ws.OPEN) await step();
    });
  };
  const render = (text: string): void => {
    if (!text.trim() || !rate) return;
    queue(async () => {
      if (settings.latencyMs) await delay(settings.latencyMs);
      const chars = [...text];
      const samples = toneSamples(rate, text.replace(/\s+/g, '').length * settings.msPerChar);
      const perChunk = Math.max(1, Math.round((rate * settings.chunkMs) / 1000));
      const n = Math.max(1, Math.ceil(samples.length / perChunk));
      for (let i = 0; i < n && ws.readyState === ws.OPEN; i++) {
        const part = samples.subarray(i * perChunk, (i + 1) * perChunk);
        const bytes = format === 'ulaw_8000' ? Buffer.from(alawmulaw.mulaw.encode(part)) : pcm16Bytes(part);
        const slice = chars.slice(Math.floor((i * chars.length) / n), Math.floor(((i + 1) * chars.length) / n));
        const alignment = { charStartTimesMs: slice.map((_, k) => k * 10), charsDurationsMs: slice.map(() => 10), chars: slice };
        ws.send(JSON.stringify({ audio: bytes.toString('base64'), isFinal: false, normalizedAlignment: alignment, alignment }));
        session.chunks++;
        if (settings.dropAfterChunks !== undefined && session.chunks >= settings.dropAfterChunks) {
          closedByServer = true;
          ws.terminate();
          return;
        }
        if (settings.chunkDelayMs) await delay(settings.chunkDelayMs);
      }
    });
  };
  ws.on('message', (data: Buffer) => {
    let m: { text?: unknown; xi_api_key?: unknown; flush?: unknown; try_trigger_generation?: unknown } = {};
    try {
      m = JSON.parse(data.toString('utf8')) as typeof m;
    } catch {
      return closeWith(1008, 'Invalid message received: not JSON');
    }
    session.messages.push(m);
    if (session.messages.length === 1) {
      // The initialisation: the key may come here instead of in the handshake.
      if (headers['xi-api-key'] === undefined && m.xi_api_key !== apiKey) {
        ws.send(JSON.stringify({ message: 'Invalid API key', error: 'invalid_api_key', code: 1008 }));
        return closeWith(1008, 'Invalid API key');
      }
      if (!rate) return closeWith(1008, `Invalid output format: ${format}`);
      return;
    }
    const text = typeof m.text === 'string' ? m.text : '';
    if (text === '') {
      render(buffer);
      buffer = '';
      queue(() => {
        ws.send(JSON.stringify({ audio: null, isFinal: true, normalizedAlignment: null, alignment: null }));
        closedByServer = true;
        ws.close(1000);
      });
      return;
    }
    buffer += text;
    if (m.flush === true || (m.try_trigger_generation === true && /[.!?]\s*$/.test(buffer))) {
      render(buffer);
      buffer = '';
    }
  });
  return session;
}
