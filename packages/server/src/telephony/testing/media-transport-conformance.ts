/**
 * The conformance suite every `MediaTransport` adapter runs (STYLE rule 10: SIP now; Twilio,
 * browser and sandbox later run the same checks unchanged). An adapter supplies a harness: the
 * transport under test plus a scripted far end (the caller) speaking that carrier's real protocol.
 * Kept beside the port until the test kit takes it over.
 */
import { describe, expect, it } from 'vitest';
import type { AudioFrame, MediaTransport, TransportEvent } from '../transport.ts';
import { waitFor } from './wait-for.ts';

/** The caller's side, driven by the suite. */
export interface FarEnd {
  /** Sends `frames` × 20 ms of constant samples at `level` (PCM16 amplitude). */
  sendAudio(frames: number, level: number): Promise<void>;
  /** Audio received from the transport so far: milliseconds and the peak amplitude. */
  received(): { ms: number; peak: number };
  sendDtmf(digit: string): Promise<void>;
  /** Digits received from the transport, in order. */
  dtmfReceived(): string;
  /** Hangs up from the caller's side. */
  hangup(): Promise<void>;
  /** True once the far end saw the transport hang up. */
  sawHangup(): boolean;
}

/** One connected call for one test. */
export interface ConformanceHarness {
  readonly transport: MediaTransport;
  readonly farEnd: FarEnd;
  readonly expected: { carrier: string; dialledNumber: string; callerNumber: string };
  dispose(): Promise<void>;
}

const frames = (n: number, level: number, rate: 8000 | 16000 = 8000): AudioFrame[] =>
  Array.from({ length: n }, (_, i) => ({ samples: new Int16Array(rate / 50).fill(level), sampleRateHz: rate, startMs: i * 20 }));

function collect<T>(it: AsyncIterable<T>): { items: T[]; done: Promise<void> } {
  const items: T[] = [];
  const done = (async () => {
    for await (const x of it) items.push(x);
  })();
  return { items, done };
}

/** Registers the suite for one adapter. */
export function mediaTransportConformance(name: string, connect: () => Promise<ConformanceHarness>): void {
  const withCall = (title: string, body: (h: ConformanceHarness) => Promise<void>): void => {
    it(title, async () => {
      const h = await connect();
      try {
        await body(h);
      } finally {
        await h.dispose();
      }
    });
  };

  describe(`MediaTransport conformance: ${name}`, () => {
    withCall('carries the call metadata', async ({ transport, expected }) => {
      expect(transport.metadata).toMatchObject(expected);
      expect(transport.ended.aborted).toBe(false);
    });

    withCall('delivers caller audio as 20 ms frames on a rising timeline', async ({ transport, farEnd }) => {
      const got = collect(transport.fromCaller);
      await farEnd.sendAudio(10, 4000);
      await waitFor(() => got.items.filter((f) => Math.abs(f.samples[0] ?? 0) > 3000).length >= 8, 3000, 'caller audio');
      for (const f of got.items) expect(f.samples.length).toBe(f.sampleRateHz / 50);
      got.items.slice(1).forEach((f, i) => expect(f.startMs).toBeGreaterThan(got.items[i]?.startMs ?? -1));
    });

    withCall('plays audio in real time and resolves when it was sent', async ({ transport, farEnd }) => {
      const t0 = Date.now();
      const r = await transport.play({ frames: frames(15, 5000) }, { signal: new AbortController().signal });
      expect(r).toEqual({ playedMs: 300, completed: true });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(200); // paced, not dumped
      await waitFor(() => farEnd.received().ms >= 280 && farEnd.received().peak > 4000, 3000, 'audio at the far end');
    });

    withCall('accepts 16 kHz frames', async ({ transport, farEnd }) => {
      expect(await transport.play({ frames: frames(5, 5000, 16000) }, { signal: new AbortController().signal })).toEqual({ playedMs: 100, completed: true });
      await waitFor(() => farEnd.received().peak > 4000, 3000, 'audio at the far end');
    });

    withCall('clear() stops playout within a frame and reports what was played', async ({ transport }) => {
      const playing = transport.play({ frames: frames(250, 5000) }, { signal: new AbortController().signal });
      await new Promise((r) => setTimeout(r, 200));
      await transport.clear();
      const t = Date.now();
      const r = await playing;
      expect(Date.now() - t).toBeLessThan(40);
      expect(r.completed).toBe(false);
      expect(r.playedMs).toBeGreaterThan(0);
      expect(r.playedMs).toBeLessThan(1000);
    });

    withCall('an aborted play ends quietly', async ({ transport }) => {
      const ac = new AbortController();
      const playing = transport.play({ frames: frames(250, 5000) }, { signal: ac.signal });
      ac.abort();
      expect((await playing).completed).toBe(false);
    });

    withCall('reports caller DTMF once per digit and sends DTMF to the caller', async ({ transport, farEnd }) => {
      const events = collect(transport.events);
      await farEnd.sendDtmf('5');
      await waitFor(() => events.items.some((e) => e.type === 'dtmf'), 3000, 'DTMF event');
      await new Promise((r) => setTimeout(r, 100));
      expect(events.items.filter((e) => e.type === 'dtmf').map((e) => (e as { digit: string }).digit)).toEqual(['5']);
      await transport.sendDtmf('#');
      await waitFor(() => farEnd.dtmfReceived().includes('#'), 3000, 'DTMF at the far end');
    });

    withCall('ends when the caller hangs up: ended aborts, hangup is the last event, audio ends', async ({ transport, farEnd }) => {
      const events = collect(transport.events);
      const audio = collect(transport.fromCaller);
      await farEnd.hangup();
      await waitFor(() => transport.ended.aborted, 3000, 'ended');
      await events.done;
      await audio.done;
      expect(events.items.at(-1)).toMatchObject({ type: 'hangup', by: 'caller' });
    });

    withCall('hangs up from our side; everything after is a quiet no-op', async ({ transport, farEnd }) => {
      const events = collect(transport.events);
      await transport.hangup({ cause: 'agent_hangup', by: 'agent' });
      expect(transport.ended.aborted).toBe(true);
      await waitFor(() => farEnd.sawHangup(), 3000, 'hang-up at the far end');
      await events.done;
      expect(events.items.at(-1)).toMatchObject({ type: 'hangup', cause: 'agent_hangup', by: 'agent' } satisfies Partial<TransportEvent>);
      expect(await transport.play({ frames: frames(2, 1) }, { signal: new AbortController().signal })).toEqual({ playedMs: 0, completed: false });
      await transport.sendDtmf('1');
      await transport.clear();
      await transport.hangup({ cause: 'agent_hangup', by: 'agent' });
    });
  });
}
