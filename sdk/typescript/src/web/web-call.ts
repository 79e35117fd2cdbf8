import { FRAME_SAMPLES, Pcm16Encoder, pcm16LeToFloat32, WIRE_RATE_HZ } from './pcm.js';

/** A live caption (`{"type":"transcript",…}` from the server). */
export interface Caption {
  role: 'agent' | 'caller' | (string & {});
  text: string;
  /** False while the words may still change (a partial result). */
  final: boolean;
  [key: string]: unknown;
}

/** Options of {@link startWebCall}. `url` and `token` come from `client.webCalls.create()`. */
export interface StartWebCallOptions {
  /** The WebSocket URL of the web call. */
  url: string;
  /** The single-use token (valid 60 s); sent as the `token` query parameter. */
  token: string;
  /** Called for each caption as it arrives. */
  onCaption?: (caption: Caption) => void;
  /** Called once when the call ended, by either side. */
  onEnd?: (reason: 'hangup' | 'remote' | 'error') => void;
  /** Microphone constraints (default: mono with echo cancellation and noise suppression). */
  audio?: MediaTrackConstraints;
  /** For hosts without these globals, and for tests. */
  WebSocket?: typeof WebSocket;
  mediaDevices?: Pick<MediaDevices, 'getUserMedia'>;
  AudioContext?: typeof AudioContext;
}

/** A running browser call. */
export interface WebCallSession {
  /** Every caption so far, in order. */
  readonly captions: Caption[];
  /** Resolves when the call has ended and the microphone and audio are released. */
  readonly ended: Promise<void>;
  /** Mutes or unmutes the microphone (silence is sent while muted, so timing stays intact). */
  setMuted(muted: boolean): void;
  /** Ends the call. */
  hangup(): void;
}

// An AudioWorklet that hands each 128-sample render quantum of the microphone to the page.
const CAPTURE_WORKLET = `registerProcessor('callingbox-capture', class extends AudioWorkletProcessor {
  process(inputs) { const ch = inputs[0] && inputs[0][0]; if (ch) this.port.postMessage(ch.slice(0)); return true; }
});`;

function withToken(url: string, token: string): string {
  const u = new URL(url, (globalThis as { location?: { href?: string } }).location?.href);
  if (!u.searchParams.has('token')) u.searchParams.set('token', token);
  return u.toString();
}

/**
 * Starts a browser call to an inbound agent: captures the microphone, streams it as 16 kHz PCM16,
 * plays the agent's audio as it arrives (dropping what is queued on barge-in), and exposes live
 * captions and `hangup()`.
 *
 * @example
 * import { startWebCall } from 'callingbox/web';
 * const { url, token } = await fetch('/my-backend/web-call').then((r) => r.json()); // client.webCalls.create() server-side
 * const call = await startWebCall({ url, token, onCaption: (c) => console.log(c.role, c.text) });
 * hangupButton.onclick = () => call.hangup();
 */
export async function startWebCall(options: StartWebCallOptions): Promise<WebCallSession> {
  const WS = options.WebSocket ?? globalThis.WebSocket;
  const Ctx = options.AudioContext ?? (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  const media = options.mediaDevices ?? (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator?.mediaDevices;
  if (!WS || !Ctx || !media) throw new Error('startWebCall needs WebSocket, AudioContext and navigator.mediaDevices (a browser).');

  const stream = await media.getUserMedia({
    audio: options.audio ?? { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const ctx = new Ctx();
  const captions: Caption[] = [];
  const playing = new Set<AudioBufferSourceNode>();
  const encoder = new Pcm16Encoder(ctx.sampleRate);
  const ws = new WS(withToken(options.url, options.token));
  ws.binaryType = 'arraybuffer';
  let muted = false;
  let playhead = 0;
  let done = false;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));

  const sendAudio = (samples: Float32Array): void => {
    if (done) return;
    for (const frame of encoder.push(muted ? new Float32Array(samples.length) : samples)) {
      if (ws.readyState === WS.OPEN) ws.send(frame);
    }
  };

  const source = ctx.createMediaStreamSource(stream);
  let captureNode: AudioNode;
  if (ctx.audioWorklet && typeof URL.createObjectURL === 'function' && typeof Blob === 'function') {
    const moduleUrl = URL.createObjectURL(new Blob([CAPTURE_WORKLET], { type: 'application/javascript' }));
    await ctx.audioWorklet.addModule(moduleUrl);
    URL.revokeObjectURL(moduleUrl);
    const node = new AudioWorkletNode(ctx, 'callingbox-capture');
    node.port.onmessage = (event: MessageEvent<Float32Array>) => sendAudio(event.data);
    captureNode = node;
  } else {
    // Older browsers: the deprecated ScriptProcessorNode still works everywhere.
    const node = ctx.createScriptProcessor(1024, 1, 1);
    node.onaudioprocess = (event) => sendAudio(event.inputBuffer.getChannelData(0));
    captureNode = node;
  }
  source.connect(captureNode);
  // Some browsers only pull audio through nodes connected to the destination; the node outputs silence.
  captureNode.connect(ctx.destination);

  const clearPlayout = (): void => {
    for (const node of playing) {
      try {
        node.stop();
      } catch {
        // already stopped
      }
    }
    playing.clear();
    playhead = 0;
  };

  const play = (data: ArrayBuffer): void => {
    const samples = pcm16LeToFloat32(data);
    if (samples.length === 0) return;
    const buffer = ctx.createBuffer(1, samples.length, WIRE_RATE_HZ);
    buffer.getChannelData(0).set(samples);
    const node = ctx.createBufferSource();
    node.buffer = buffer;
    node.connect(ctx.destination);
    // Back-to-back scheduling: no gaps between frames, and a small lead when the queue ran dry.
    const startAt = Math.max(playhead, ctx.currentTime + FRAME_SAMPLES / WIRE_RATE_HZ);
    node.start(startAt);
    playhead = startAt + buffer.duration;
    playing.add(node);
    node.onended = () => playing.delete(node);
  };

  const finish = (reason: 'hangup' | 'remote' | 'error'): void => {
    if (done) return;
    done = true;
    clearPlayout();
    for (const track of stream.getTracks()) track.stop();
    try {
      source.disconnect();
      captureNode.disconnect();
    } catch {
      // already disconnected
    }
    void ctx.close().catch(() => undefined).then(() => {
      options.onEnd?.(reason);
      resolveEnded();
    });
  };

  ws.onmessage = (event: MessageEvent) => {
    if (typeof event.data !== 'string') {
      play(event.data as ArrayBuffer);
      return;
    }
    let message: { type?: string } & Record<string, unknown>;
    try {
      message = JSON.parse(event.data) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'clear') clearPlayout();
    else if (message.type === 'transcript') {
      const caption = { ...message, role: String(message.role ?? ''), text: String(message.text ?? ''), final: message.final !== false } as Caption;
      delete (caption as Record<string, unknown>).type;
      captions.push(caption);
      options.onCaption?.(caption);
    } else if (message.type === 'end') {
      ws.close(1000);
      finish('remote');
    }
  };
  ws.onclose = () => finish('remote');
  ws.onerror = () => finish('error');

  return {
    captions,
    ended,
    setMuted(value: boolean) {
      muted = value;
    },
    hangup() {
      if (done) return;
      if (ws.readyState === WS.OPEN) ws.send(JSON.stringify({ type: 'end' }));
      ws.close(1000);
      finish('hangup');
    },
  };
}
