import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, Pcm16Encoder, pcm16LeToFloat32, startWebCall } from '../src/web/index.js';

describe('PCM16 framing', () => {
  it('turns 48 kHz float audio into 20 ms 16 kHz PCM16 LE frames, whatever the chunk size', () => {
    const seconds = 0.2;
    const input = Float32Array.from({ length: 48_000 * seconds }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000));
    const frames = (chunk: number): Uint8Array[] => {
      const encoder = new Pcm16Encoder(48_000);
      const out: Uint8Array[] = [];
      for (let i = 0; i < input.length; i += chunk) out.push(...encoder.push(input.subarray(i, i + chunk)));
      return out;
    };
    const whole = frames(input.length);
    expect(whole.length).toBe(10); // 200 ms
    for (const f of whole) expect(f.byteLength).toBe(FRAME_SAMPLES * 2);
    expect(frames(128)).toEqual(whole);
    expect(frames(1000)).toEqual(whole);
    // Every third input sample, as 16-bit little-endian.
    const decoded = pcm16LeToFloat32(whole[0]!);
    for (let i = 0; i < 50; i++) expect(decoded[i]!).toBeCloseTo(input[i * 3]!, 3);
  });

  it('passes 16 kHz through unchanged and clamps out-of-range samples', () => {
    const encoder = new Pcm16Encoder(16_000);
    const input = new Float32Array(FRAME_SAMPLES + 1).fill(2);
    const [frame] = encoder.push(input);
    const view = new DataView(frame!.buffer);
    expect(view.getInt16(0, true)).toBe(0x7fff);
  });
});

/** Minimal stand-ins for the browser APIs the client uses. */
class FakeWebSocket {
  static OPEN = 1;
  static last: FakeWebSocket;
  readyState = 1;
  binaryType = 'blob';
  sent: Array<string | Uint8Array> = [];
  closed = false;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
}

class FakeNode {
  connected: unknown[] = [];
  stopped = false;
  started: number | undefined;
  buffer: unknown;
  onended: (() => void) | null = null;
  onaudioprocess: ((e: { inputBuffer: { getChannelData(n: number): Float32Array } }) => void) | null = null;
  connect(to: unknown): void {
    this.connected.push(to);
  }
  disconnect(): void {}
  start(at: number): void {
    this.started = at;
  }
  stop(): void {
    this.stopped = true;
  }
}

class FakeAudioContext {
  static last: FakeAudioContext;
  sampleRate = 48_000;
  currentTime = 10;
  destination = {};
  audioWorklet = undefined;
  sources: FakeNode[] = [];
  processor = new FakeNode();
  closed = false;
  constructor() {
    FakeAudioContext.last = this;
  }
  createMediaStreamSource(): FakeNode {
    return new FakeNode();
  }
  createScriptProcessor(): FakeNode {
    return this.processor;
  }
  createBuffer(_channels: number, length: number, rate: number) {
    const data = new Float32Array(length);
    return { duration: length / rate, getChannelData: () => data };
  }
  createBufferSource(): FakeNode {
    const node = new FakeNode();
    this.sources.push(node);
    return node;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('startWebCall', () => {
  it('streams the microphone, plays the agent, clears on barge-in, shows captions and hangs up', async () => {
    const stopped: string[] = [];
    const mediaDevices = {
      getUserMedia: async () => ({ getTracks: () => [{ stop: () => stopped.push('mic') }] }) as unknown as MediaStream,
    };
    const captions: string[] = [];
    const ends: string[] = [];
    const call = await startWebCall({
      url: 'ws://127.0.0.1:1/v1/web_calls/call_1/ws',
      token: 'tok_1',
      onCaption: (c) => captions.push(`${c.role}:${c.text}`),
      onEnd: (r) => ends.push(r),
      WebSocket: FakeWebSocket as unknown as typeof WebSocket,
      AudioContext: FakeAudioContext as unknown as typeof AudioContext,
      mediaDevices,
    });
    const ws = FakeWebSocket.last;
    const ctx = FakeAudioContext.last;
    expect(new URL(ws.url).searchParams.get('token')).toBe('tok_1');
    expect(ws.binaryType).toBe('arraybuffer');

    // 40 ms of microphone at 48 kHz → 16 kHz frames of 640 bytes.
    const mic = new Float32Array(1920).fill(0.25);
    ctx.processor.onaudioprocess!({ inputBuffer: { getChannelData: () => mic } });
    const frames = ws.sent.filter((m): m is Uint8Array => m instanceof Uint8Array);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    for (const f of frames) expect(f.byteLength).toBe(640);

    // Two 20 ms frames of agent audio play back to back.
    ws.onmessage!({ data: new ArrayBuffer(640) });
    ws.onmessage!({ data: new ArrayBuffer(640) });
    const [a, b] = ctx.sources;
    expect(b!.started! - a!.started!).toBeCloseTo(0.02, 6);
    ws.onmessage!({ data: JSON.stringify({ type: 'clear' }) });
    expect(a!.stopped && b!.stopped).toBe(true);

    ws.onmessage!({ data: JSON.stringify({ type: 'transcript', role: 'agent', text: 'Hello', final: true }) });
    expect(captions).toEqual(['agent:Hello']);
    expect(call.captions[0]).toMatchObject({ role: 'agent', text: 'Hello', final: true });

    call.hangup();
    await call.ended;
    expect(ws.sent.at(-1)).toBe(JSON.stringify({ type: 'end' }));
    expect(ws.closed).toBe(true);
    expect(stopped).toEqual(['mic']);
    expect(ctx.closed).toBe(true);
    expect(ends).toEqual(['hangup']);
  });

  it('ends when the server says so', async () => {
    const call = await startWebCall({
      url: 'ws://127.0.0.1:1/ws?token=already',
      token: 'tok_2',
      WebSocket: FakeWebSocket as unknown as typeof WebSocket,
      AudioContext: FakeAudioContext as unknown as typeof AudioContext,
      mediaDevices: { getUserMedia: async () => ({ getTracks: () => [] }) as unknown as MediaStream },
    });
    expect(new URL(FakeWebSocket.last.url).searchParams.get('token')).toBe('already');
    FakeWebSocket.last.onmessage!({ data: JSON.stringify({ type: 'end' }) });
    await call.ended;
  });
});
