/**
 * A fake Deepgram that speaks the documented wire protocol on loopback:
 * - `GET /v1/listen` (WebSocket): reads binary `linear16` audio at the URL's `sample_rate`, hears
 *   "speech" where a 20 ms window is loud, and answers as Deepgram does — `SpeechStarted`
 *   (`vad_events`), interim `Results`, a `speech_final` result after `endpointing` ms of quiet,
 *   `UtteranceEnd` after `utterance_end_ms`; on `CloseStream` the remaining result, `Metadata`, and
 *   a 1000 close. The words of each utterance come from `settings.transcripts`, in order.
 * - `POST /v1/speak` (Aura): raw `linear16` (or WAV) audio of the text at the requested rate.
 * It records what clients send (headers, query, control messages, audio, text) and injects
 * latency, refusals, slow bodies and dropped connections.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { delay, pcm16Bytes, pcm16Samples, readBody, rms, startLoopback, toneSamples, wavHeader, writePaced, type BodyPacing, type LoopbackServer } from './fake-speech-http.ts';

/** What a test can change at any time; read on every request/message. */
export interface FakeDeepgramSettings {
  /** Words of each utterance a socket hears, in order (one per run of loud audio); '' when exhausted. */
  transcripts: string[];
  /** A 20 ms window louder than this (RMS) is speech. */
  speechRms: number;
  /** One interim result per this many ms of speech. */
  interimEveryMs: number;
  /** Delay before each server message and before the speak response, ms. */
  latencyMs: number;
  /** Refuse the handshake / speak request with this status and Deepgram's error body. */
  rejectStatus: number | undefined;
  /** Drop the listen socket without a close frame once this much audio arrived, ms. */
  dropAfterAudioMs: number | undefined;
  /** Close the socket after `CloseStream` as Deepgram does (false: stay silent). */
  closeAfterCloseStream: boolean;
  /** Aura: milliseconds of audio per character of text. */
  speakMsPerChar: number;
  /** Aura: how the body is streamed. */
  speakPacing: BodyPacing;
}

/** One live transcription socket as the fake saw it. */
export interface FakeListenSession {
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** The `type` of each JSON message the client sent, in order (`KeepAlive`, `CloseStream`, …). */
  readonly controls: string[];
  /** Every server message sent, in order (parsed). */
  readonly sent: any[];
  audioBytes: number;
  /** Resolves when the socket has closed: the code, and whether the client or the fake closed it. */
  readonly closed: Promise<{ code: number; by: 'client' | 'server' }>;
  /** Sends a raw text message now (what Deepgram might send one day). */
  send(text: string): void;
  /** Drops the connection with no close frame. */
  drop(): void;
}

export interface FakeSpeakRequest {
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface FakeDeepgram {
  /** `DEEPGRAM_BASE_URL` for the client (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly apiKey: string;
  readonly settings: FakeDeepgramSettings;
  readonly sessions: FakeListenSession[];
  readonly speakRequests: FakeSpeakRequest[];
  /** Listen sockets still open. */
  openSockets(): number;
  /** Speak responses still streaming (a client that aborted must not leave one behind). */
  openSpeakResponses(): number;
  close(): Promise<void>;
}

const DEFAULTS: FakeDeepgramSettings = {
  transcripts: ['hello world'],
  speechRms: 300,
  interimEveryMs: 100,
  latencyMs: 0,
  rejectStatus: undefined,
  dropAfterAudioMs: undefined,
  closeAfterCloseStream: true,
  speakMsPerChar: 20,
  speakPacing: {},
};

const ERROR_CODES: Record<number, string> = { 400: 'Bad Request', 401: 'INVALID_AUTH', 402: 'ASR_PAYMENT_REQUIRED', 403: 'INSUFFICIENT_PERMISSIONS', 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_SERVER_ERROR', 503: 'SERVICE_UNAVAILABLE' };

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeDeepgram(opts: { apiKey?: string; settings?: Partial<FakeDeepgramSettings> } = {}): Promise<FakeDeepgram> {
  const apiKey = opts.apiKey ?? 'dg-test-key';
  const settings: FakeDeepgramSettings = { ...DEFAULTS, ...opts.settings };
  const sessions: FakeListenSession[] = [];
  const speakRequests: FakeSpeakRequest[] = [];
  let openSpeak = 0;
  const authorised = (req: http.IncomingMessage): boolean => req.headers.authorization === `Token ${apiKey}`;
  const errorBody = (status: number): string =>
    JSON.stringify({ err_code: ERROR_CODES[status] ?? 'ERROR', err_msg: status === 401 ? 'Invalid credentials.' : 'The fake was told to fail.', request_id: randomUUID() });

  const server: LoopbackServer = await startLoopback(
    (req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        if (req.method !== 'POST' || url.pathname !== '/v1/speak') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ err_code: 'NOT_FOUND', err_msg: 'No such route.' }));
          return;
        }
        const raw = await readBody(req);
        let text = '';
        try {
          text = String((JSON.parse(raw.toString('utf8')) as { text?: unknown }).text ?? '');
        } catch {
          // recorded as empty; answered 400 below
        }
        speakRequests.push({ query: url.searchParams, headers: req.headers, text });
        openSpeak++;
        res.once('close', () => openSpeak--);
        if (settings.latencyMs) await delay(settings.latencyMs);
        const status = settings.rejectStatus ?? (authorised(req) ? 0 : 401);
        if (status) return void res.writeHead(status, { 'content-type': 'application/json' }).end(errorBody(status));
        const rate = Number(url.searchParams.get('sample_rate') ?? 24000);
        const encoding = url.searchParams.get('encoding') ?? 'mp3';
        if (!text || text.length > 2000 || encoding !== 'linear16' || ![8000, 16000, 24000, 32000, 48000].includes(rate)) {
          return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ err_code: 'Bad Request', err_msg: 'The fake speaks linear16 at 8/16/24/32/48 kHz, 1–2000 characters.' }));
        }
        const pcm = pcm16Bytes(toneSamples(rate, text.length * settings.speakMsPerChar));
        // Deepgram wraps linear16 in a WAV container unless `container=none`.
        const wav = (url.searchParams.get('container') ?? 'wav') === 'wav';
        res.writeHead(200, { 'content-type': wav ? 'audio/wav' : 'application/octet-stream', 'dg-request-id': randomUUID(), 'dg-model-name': url.searchParams.get('model') ?? 'aura-2-thalia-en', 'dg-char-count': String(text.length) });
        await writePaced(res, wav ? Buffer.concat([wavHeader(rate, pcm.length), pcm]) : pcm, settings.speakPacing);
      })();
    },
    (req, accept, refuse) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname !== '/v1/listen') return refuse(404, JSON.stringify({ err_code: 'NOT_FOUND', err_msg: 'No such route.' }));
      const status = settings.rejectStatus ?? (authorised(req) ? 0 : 401);
      if (status) return refuse(status, errorBody(status));
      accept((ws) => sessions.push(listenSession(ws, url.searchParams, req.headers, settings)));
    },
  );
  return {
    url: server.url,
    apiKey,
    settings,
    sessions,
    speakRequests,
    openSockets: () => server.wss.clients.size,
    openSpeakResponses: () => openSpeak,
    close: () => server.close(),
  };
}

/** Runs one listen socket: a loudness detector standing in for Deepgram's recogniser. */
function listenSession(ws: WebSocket, query: URLSearchParams, headers: http.IncomingHttpHeaders, settings: FakeDeepgramSettings): FakeListenSession {
  const rate = Number(query.get('sample_rate') ?? 16000);
  const endpointingMs = Number(query.get('endpointing')) || 10;
  const interim = query.get('interim_results') === 'true';
  const utteranceEndMs = interim ? Number(query.get('utterance_end_ms')) || 0 : 0;
  const windowBytes = (rate / 50) * 2;
  const requestId = randomUUID();
  let utterances = 0;
  const nextTranscript = (): string => settings.transcripts[utterances++] ?? '';
  let closedByServer = false;
  let outbox = Promise.resolve();
  let pending = Buffer.alloc(0);
  let t = 0; // seconds of audio analysed
  let spanStart = 0;
  let speech: { start: number; end: number; words: string[]; revealed: number; lastInterim: number; quietMs: number } | undefined;
  let lastWordEnd: number | undefined;

  const session: FakeListenSession = {
    query,
    headers,
    controls: [],
    sent: [],
    audioBytes: 0,
    closed: new Promise((resolve) => ws.once('close', (code) => resolve({ code, by: closedByServer ? 'server' : 'client' }))),
    send: (text) => ws.send(text),
    drop: () => {
      closedByServer = true;
      ws.terminate();
    },
  };
  const out = (msg: object): void => {
    outbox = outbox
      .then(() => (settings.latencyMs ? delay(settings.latencyMs) : undefined))
      .then(() => {
        if (ws.readyState !== ws.OPEN) return;
        session.sent.push(msg);
        ws.send(JSON.stringify(msg));
      });
  };
  const results = (start: number, end: number, words: string[], flags: { isFinal: boolean; speechFinal: boolean; fromFinalize?: boolean }): object => {
    const step = words.length ? (end - start) / words.length : 0;
    return {
      type: 'Results',
      channel_index: [0, 1],
      duration: round(end - start),
      start: round(start),
      is_final: flags.isFinal,
      speech_final: flags.speechFinal,
      channel: {
        alternatives: [
          {
            transcript: words.join(' '),
            confidence: words.length ? 0.98 : 0,
            words: words.map((w, i) => ({ word: w, start: round(start + i * step), end: round(start + (i + 1) * step), confidence: 0.98, punctuated_word: w })),
          },
        ],
      },
      metadata: { request_id: requestId, model_info: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-3' }, model_uuid: 'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c' },
      from_finalize: flags.fromFinalize ?? false,
    };
  };
  const analyse = (window: Int16Array): void => {
    const start = t;
    t += window.length / rate;
    if (rms(window) > settings.speechRms) {
      if (!speech) {
        speech = { start, end: t, words: nextTranscript().split(/\s+/).filter(Boolean), revealed: 0, lastInterim: start, quietMs: 0 };
        if (query.get('vad_events') === 'true') out({ type: 'SpeechStarted', channel: [0, 1], timestamp: round(start) });
      }
      speech.end = t;
      speech.quietMs = 0;
      if (interim && (t - speech.lastInterim) * 1000 >= settings.interimEveryMs && speech.revealed < speech.words.length) {
        speech.revealed++;
        speech.lastInterim = t;
        out(results(spanStart, t, speech.words.slice(0, speech.revealed), { isFinal: false, speechFinal: false }));
      }
      return;
    }
    if (speech) {
      speech.quietMs += (window.length * 1000) / rate;
      if (speech.quietMs >= endpointingMs) {
        out(results(spanStart, speech.end, speech.words, { isFinal: true, speechFinal: true }));
        spanStart = speech.end;
        if (speech.words.length) lastWordEnd = speech.end;
        speech = undefined;
      }
    } else if (lastWordEnd !== undefined && utteranceEndMs && (t - lastWordEnd) * 1000 >= utteranceEndMs) {
      out({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: round(lastWordEnd) });
      lastWordEnd = undefined;
    }
  };
  const flush = (): void => {
    if (speech) {
      out(results(spanStart, speech.end, speech.words, { isFinal: true, speechFinal: false, fromFinalize: true }));
      spanStart = speech.end;
      speech = undefined;
    } else if (t > spanStart) {
      out(results(spanStart, t, [], { isFinal: true, speechFinal: false, fromFinalize: true }));
      spanStart = t;
    }
  };

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      let type = 'invalid';
      try {
        type = String((JSON.parse(data.toString('utf8')) as { type?: unknown }).type);
      } catch {
        // recorded as 'invalid'
      }
      session.controls.push(type);
      if (type === 'Finalize') flush();
      if (type === 'CloseStream') {
        flush();
        out({ type: 'Metadata', transaction_key: 'deprecated', request_id: requestId, sha256: '0'.repeat(64), created: new Date().toISOString(), duration: round(t), channels: 1, models: ['c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c'], model_info: {} });
        if (settings.closeAfterCloseStream) {
          outbox = outbox.then(() => {
            closedByServer = true;
            ws.close(1000);
          });
        }
      }
      return;
    }
    session.audioBytes += data.length;
    pending = Buffer.concat([pending, data]);
    while (pending.length >= windowBytes) {
      analyse(pcm16Samples(pending.subarray(0, windowBytes)));
      pending = pending.subarray(windowBytes);
    }
    if (settings.dropAfterAudioMs !== undefined && (session.audioBytes / 2 / rate) * 1000 >= settings.dropAfterAudioMs) {
      // Let what was queued leave first, then drop the TCP connection without a close frame.
      outbox = outbox.then(() => session.drop());
    }
  });
  return session;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
