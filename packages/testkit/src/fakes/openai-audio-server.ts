/**
 * A fake of OpenAI's audio endpoints on loopback, speaking the documented wire format:
 * - `POST /v1/audio/speech` (JSON `{model, input, voice, response_format}`): `pcm` is raw 24 kHz
 *   PCM16 little-endian mono, `wav` the same in a RIFF header; streamed as it is "rendered".
 * - `POST /v1/audio/transcriptions` (multipart: `file`, `model`, `language?`, `prompt?`,
 *   `response_format?`): reads the WAV it is sent and answers `{"text": …}` from a script.
 * Errors use OpenAI's body (`{"error": {message, type, param, code}}`). It records every request
 * and injects latency, refusals, slow bodies and cut connections.
 */
import type http from 'node:http';
import { delay, pcm16Bytes, pcm16Samples, readBody, rms, startLoopback, toneSamples, wavHeader, writePaced, type BodyPacing } from './fake-speech-http.ts';

/** OpenAI's built-in voices for `/v1/audio/speech`. */
export const OPENAI_FAKE_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

export interface FakeOpenAiAudioSettings {
  /** Replies of the transcription endpoint, in order; then `defaultTranscript`. */
  transcripts: string[];
  defaultTranscript: string;
  /** Delay before every response's headers, ms. */
  latencyMs: number;
  /** Answer with this status and OpenAI's error body. */
  rejectStatus: number | undefined;
  /** Speech: ms of audio per character of input. */
  speechMsPerChar: number;
  speechPacing: BodyPacing;
}

export interface FakeSpeechRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: { model?: string; input?: string; voice?: string; response_format?: string; instructions?: string; speed?: number };
}

export interface FakeTranscriptionRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly fields: Record<string, string>;
  readonly fileName: string | undefined;
  /** What the uploaded WAV holds. */
  readonly audio: { readonly sampleRateHz: number; readonly durationMs: number; readonly rms: number } | undefined;
}

export interface FakeOpenAiAudio {
  /** `OPENAI_BASE_URL` as the OpenAI SDK writes it (`http://127.0.0.1:<port>/v1`). */
  readonly url: string;
  readonly apiKey: string;
  readonly settings: FakeOpenAiAudioSettings;
  readonly speechRequests: FakeSpeechRequest[];
  readonly transcriptionRequests: FakeTranscriptionRequest[];
  /** Responses still being written. */
  openResponses(): number;
  close(): Promise<void>;
}

const DEFAULTS: FakeOpenAiAudioSettings = { transcripts: [], defaultTranscript: 'Hello world.', latencyMs: 0, rejectStatus: undefined, speechMsPerChar: 20, speechPacing: {} };

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeOpenAiAudio(opts: { apiKey?: string; settings?: Partial<FakeOpenAiAudioSettings> } = {}): Promise<FakeOpenAiAudio> {
  const apiKey = opts.apiKey ?? 'sk-test-key';
  const settings: FakeOpenAiAudioSettings = { ...DEFAULTS, ...opts.settings };
  const speechRequests: FakeSpeechRequest[] = [];
  const transcriptionRequests: FakeTranscriptionRequest[] = [];
  let open = 0;
  const fail = (res: http.ServerResponse, status: number, message?: string, param: string | null = null): void => {
    const e = ERRORS[status] ?? { type: 'server_error', code: null, message: 'The fake was told to fail.' };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: message ?? e.message, type: e.type, param, code: e.code } }));
  };

  const speech = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    let body: FakeSpeechRequest['body'] = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as FakeSpeechRequest['body'];
    } catch {
      return fail(res, 400, 'We could not parse the JSON body of your request.');
    }
    speechRequests.push({ headers: req.headers, body });
    const input = body.input ?? '';
    if (!input || input.length > 4096) return fail(res, 400, 'input must be 1–4096 characters.', 'input');
    if (!OPENAI_FAKE_VOICES.includes(body.voice ?? '')) return fail(res, 400, `Invalid value for 'voice': '${body.voice}'.`, 'voice');
    const format = body.response_format ?? 'mp3';
    if (format !== 'pcm' && format !== 'wav') return fail(res, 400, 'The fake renders pcm and wav only.', 'response_format');
    const pcm = pcm16Bytes(toneSamples(24000, input.length * settings.speechMsPerChar));
    res.writeHead(200, { 'content-type': format === 'pcm' ? 'audio/pcm' : 'audio/wav', 'transfer-encoding': 'chunked' });
    await writePaced(res, format === 'wav' ? Buffer.concat([wavHeader(24000, 0xffffffff), pcm]) : pcm, settings.speechPacing);
  };

  const transcription = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    // The platform's own multipart parser (undici), as any server framework would use.
    let form: FormData;
    try {
      form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData();
    } catch {
      return fail(res, 400, 'Could not parse multipart form.');
    }
    const fields: Record<string, string> = {};
    let file: File | undefined;
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') fields[k] = v;
      else if (k === 'file') file = v;
    }
    const audio = file ? readWav(Buffer.from(await file.arrayBuffer())) : undefined;
    transcriptionRequests.push({ headers: req.headers, fields, fileName: file?.name, audio });
    if (!file) return fail(res, 400, "you must provide a 'file'", 'file');
    if (!fields.model) return fail(res, 400, "you must provide a 'model'", 'model');
    if (!audio) return fail(res, 400, 'Invalid file format. Supported formats: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm', 'file');
    const text = settings.transcripts.shift() ?? settings.defaultTranscript;
    const format = fields.response_format ?? 'json';
    if (format === 'text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${text}\n`);
    const body = format === 'verbose_json' ? { task: 'transcribe', language: 'english', duration: audio.durationMs / 1000, text, segments: [] } : { text, usage: { type: 'tokens', input_tokens: 14, output_tokens: 4, total_tokens: 18 } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = await startLoopback(
    (req, res) => {
      open++;
      res.once('close', () => open--);
      void (async () => {
        const raw = await readBody(req);
        if (settings.latencyMs) await delay(settings.latencyMs);
        if (res.destroyed) return;
        const status = settings.rejectStatus ?? (req.headers.authorization === `Bearer ${apiKey}` ? 0 : 401);
        if (status) return fail(res, status);
        const path = new URL(req.url ?? '/', 'http://fake').pathname;
        if (req.method === 'POST' && path === '/v1/audio/speech') return speech(req, res, raw);
        if (req.method === 'POST' && path === '/v1/audio/transcriptions') return transcription(req, res, raw);
        fail(res, 404, `Invalid URL (${req.method} ${path})`);
      })();
    },
    (_req, _accept, refuse) => refuse(404, '{}'),
  );
  return {
    url: `${server.url}/v1`,
    apiKey,
    settings,
    speechRequests,
    transcriptionRequests,
    openResponses: () => open,
    close: () => server.close(),
  };
}

/** The rate, length and loudness of a mono PCM16 WAV; undefined when it is not one. */
function readWav(b: Buffer): FakeTranscriptionRequest['audio'] {
  if (b.length < 44 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let at = 12;
  let rate = 0;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (b.readUInt16LE(at + 8) !== 1 || b.readUInt16LE(at + 22) !== 16) return undefined;
      rate = b.readUInt32LE(at + 12);
    } else if (id === 'data' && rate) {
      const samples = pcm16Samples(b.subarray(at + 8, Math.min(b.length, at + 8 + size)));
      return { sampleRateHz: rate, durationMs: (samples.length * 1000) / rate, rms: rms(samples) };
    }
    at += 8 + size + (size & 1);
  }
  return undefined;
}
