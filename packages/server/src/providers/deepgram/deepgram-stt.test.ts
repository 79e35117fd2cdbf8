import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../testkit/src/eventually.ts';
import { startFakeDeepgram, type FakeDeepgram } from '../../../../testkit/src/fakes/deepgram-server.ts';
import { FakeClock } from '../../../../testkit/src/fake-clock.ts';
import { ProviderError } from '../provider-error.ts';
import type { SttEvent } from '../stt.ts';
import { collect, concat, frames, silence, stream, tone } from '../testing/audio-fixtures.ts';
import { cloudSttConformance, UNREACHABLE_BASE_URL } from '../testing/cloud-conformance.ts';
import { sttConformance } from '../testing/conformance.ts';
import { DeepgramStt, type DeepgramSttOptions } from './deepgram-stt.ts';

let fake: FakeDeepgram;
beforeAll(async () => {
  fake = await startFakeDeepgram();
});
afterAll(() => fake.close());

const make = (o: Partial<DeepgramSttOptions> = {}): DeepgramStt => new DeepgramStt({ apiKey: fake.apiKey, baseUrl: fake.url, ...o });
const reset = (): void => {
  Object.assign(fake.settings, { transcripts: ['Hello world.'], latencyMs: 0, rejectStatus: undefined, dropAfterAudioMs: undefined, closeAfterCloseStream: true });
};
/** 200 ms quiet, 600 ms "speech", 500 ms quiet, on a media timeline that starts at 5 s. */
const utterance = (): ReturnType<typeof frames> => frames(concat(silence(8000, 200), tone(440, 8000, 600), silence(8000, 500)), 8000, { startMs: 5000 });

describe('DeepgramStt against the fake Deepgram', () => {
  it('streams audio and turns the results into speech_start, partials and one final on the media timeline', async () => {
    reset();
    fake.settings.latencyMs = 30;
    const stt = make();
    const ev = await collect(stt.transcribe(stream(utterance()), { signal: new AbortController().signal }));
    const session = fake.sessions.at(-1)!;
    expect(session.headers.authorization).toBe(`Token ${fake.apiKey}`);
    expect(Object.fromEntries(session.query)).toMatchObject({ model: 'nova-3', encoding: 'linear16', sample_rate: '8000', channels: '1', interim_results: 'true', endpointing: '300', vad_events: 'true', utterance_end_ms: '1000' });
    expect(session.audioBytes).toBe(1300 * 16);
    expect(ev.map((e) => e.type)).toEqual(['speech_start', 'partial', 'partial', 'final']);
    expect(ev[0]).toEqual({ type: 'speech_start', utteranceId: 1, atMs: 5200 });
    expect(ev.filter((e) => e.type === 'partial').map((e) => (e as { text: string }).text)).toEqual(['hello', 'hello world']);
    const final = ev[3] as Extract<SttEvent, { type: 'final' }>;
    expect(final).toMatchObject({ utteranceId: 1, text: 'hello world', startMs: 5200, endMs: 5800, confidence: 0.98 });
    expect(final.timings.audioMs).toBe(600);
    expect(final.timings.finalLatencyMs).toBeGreaterThanOrEqual(25); // the fake's injected latency
    // The audio ended: CloseStream, then the server's Metadata and close.
    expect(session.controls).toEqual(['CloseStream']);
    expect(await session.closed).toEqual({ code: 1000, by: 'server' });
    await stt.idle();
  });

  it('after CloseStream waits for the final of an utterance still being spoken when the audio ends', async () => {
    reset();
    const stt = make();
    const ev = await collect(stt.transcribe(stream(frames(concat(silence(8000, 100), tone(440, 8000, 400)), 8000)), { signal: new AbortController().signal }));
    expect(ev.at(-1)).toMatchObject({ type: 'final', text: 'hello world', startMs: 100, endMs: 500 });
    expect(fake.sessions.at(-1)!.sent.at(-2)).toMatchObject({ type: 'Results', from_finalize: true });
  });

  it('yields one final per utterance, in order', async () => {
    reset();
    fake.settings.transcripts = ['yes', 'my number is four one five'];
    const audio = concat(tone(440, 8000, 300), silence(8000, 600), tone(440, 8000, 800), silence(8000, 400));
    const ev = await collect(make().transcribe(stream(frames(audio, 8000)), { signal: new AbortController().signal, interimResults: false }));
    expect(ev.filter((e) => e.type === 'partial')).toEqual([]);
    expect(ev.filter((e) => e.type === 'final').map((e) => [e.utteranceId, (e as { text: string }).text])).toEqual([
      [1, 'yes'],
      [2, 'my number is four one five'],
    ]);
  });

  it('sends KeepAlive while no audio flows, and not while it does', async () => {
    reset();
    const clock = new FakeClock();
    const stt = make({ clock, keepAliveMs: 3000 });
    const hold = new AbortController();
    const run = collect(stt.transcribe(stream(frames(silence(8000, 100), 8000), { holdOpen: hold.signal }), { signal: new AbortController().signal }));
    const before = fake.sessions.length;
    const session = await eventually(async () => (fake.sessions[before]?.audioBytes === 1600 ? fake.sessions[before] : undefined), 'the audio at the fake');
    await eventually(async () => clock.pending > 0, 'the KeepAlive timer');
    await clock.advance(2000);
    expect(session.controls).toEqual([]);
    await clock.advance(1000);
    await eventually(async () => session.controls.length === 1, 'a KeepAlive');
    await clock.advance(3000);
    await eventually(async () => session.controls.length === 2, 'a second KeepAlive');
    expect(session.controls).toEqual(['KeepAlive', 'KeepAlive']);
    hold.abort(); // the audio ends
    await run;
    expect(session.controls).toEqual(['KeepAlive', 'KeepAlive', 'CloseStream']);
    await stt.idle();
    expect(clock.pending).toBe(0);
  });

  it('closes the socket quietly when aborted mid-utterance: no CloseStream, no error, the fake sees a normal close', async () => {
    reset();
    const stt = make();
    const ac = new AbortController();
    const hold = new AbortController();
    const seen: SttEvent[] = [];
    for await (const e of stt.transcribe(stream(frames(tone(440, 8000, 500), 8000), { holdOpen: hold.signal }), { signal: ac.signal })) {
      seen.push(e);
      if (e.type === 'partial') ac.abort();
    }
    hold.abort();
    expect(seen.map((e) => e.type)).toEqual(['speech_start', 'partial']);
    const session = fake.sessions.at(-1)!;
    expect(await session.closed).toEqual({ code: 1000, by: 'client' });
    expect(session.controls).toEqual([]);
    await stt.idle();
  });

  it('ends quietly when the consumer stops reading early, and closes the socket', async () => {
    reset();
    const stt = make();
    const hold = new AbortController();
    for await (const e of stt.transcribe(stream(utterance(), { holdOpen: hold.signal }), { signal: new AbortController().signal })) {
      if (e.type === 'speech_start') break;
    }
    hold.abort();
    await stt.idle();
    expect((await fake.sessions.at(-1)!.closed).by).toBe('client');
  });

  it('fails with provider_unavailable when the server drops the connection mid-stream, after the results it sent', async () => {
    reset();
    fake.settings.dropAfterAudioMs = 600;
    const stt = make();
    const seen: SttEvent[] = [];
    const hold = new AbortController();
    const err = await (async () => {
      try {
        for await (const e of stt.transcribe(stream(frames(concat(silence(8000, 100), tone(440, 8000, 1000)), 8000), { holdOpen: hold.signal }), { signal: new AbortController().signal })) seen.push(e);
      } catch (e) {
        return e;
      }
    })();
    hold.abort();
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('provider_unavailable');
    expect((err as ProviderError).retryable).toBe(true);
    expect(seen[0]).toMatchObject({ type: 'speech_start' });
    await stt.idle();
  });

  it('fails with provider_unavailable on a refused handshake (HTTP 500) and quotes the vendor', async () => {
    reset();
    fake.settings.rejectStatus = 500;
    const err = await collect(make().transcribe(stream(utterance()), { signal: new AbortController().signal })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect((err as Error).message).toContain('INTERNAL_SERVER_ERROR');
  });

  it('fails with provider_timeout when the handshake never completes', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const t0 = performance.now();
      const err = await collect(make({ baseUrl: `http://127.0.0.1:${port}`, handshakeTimeoutMs: 200 }).transcribe(stream(utterance()), { signal: new AbortController().signal })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'provider_timeout' });
      expect(performance.now() - t0).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it('ends with what it has when the server never closes after CloseStream', async () => {
    reset();
    fake.settings.closeAfterCloseStream = false;
    const clock = new FakeClock();
    const stt = make({ clock, closeTimeoutMs: 5000 });
    const before = fake.sessions.length;
    const run = collect(stt.transcribe(stream(frames(tone(440, 8000, 300), 8000)), { signal: new AbortController().signal }));
    const session = await eventually(async () => (fake.sessions[before]?.controls.includes('CloseStream') ? fake.sessions[before] : undefined), 'CloseStream');
    await eventually(async () => session.sent.some((m: { type: string }) => m.type === 'Metadata'), 'the last results');
    await eventually(async () => clock.pending > 1, 'the close deadline');
    await clock.advance(5000);
    const ev = await run;
    expect(ev.at(-1)).toMatchObject({ type: 'final', text: 'hello world' });
    expect((await session.closed).by).toBe('client');
  });

  it('fails with provider_unavailable when Deepgram reports an error message', async () => {
    reset();
    const stt = make();
    const hold = new AbortController();
    const before = fake.sessions.length;
    const run = collect(stt.transcribe(stream(frames(silence(8000, 100), 8000), { holdOpen: hold.signal }), { signal: new AbortController().signal })).catch((e: unknown) => e);
    const session = await eventually(async () => (fake.sessions[before]?.audioBytes ? fake.sessions[before] : undefined), 'the socket');
    session.send('{"type":"Error","description":"Failed to process audio."}');
    const err = await run;
    hold.abort();
    expect(err).toMatchObject({ code: 'provider_unavailable' });
    expect((err as Error).message).toContain('Failed to process audio.');
  });
});

sttConformance('DeepgramStt (fake Deepgram)', () => {
  reset();
  return make();
});
cloudSttConformance('DeepgramStt (fake Deepgram)', {
  withRejectedKey: () => make({ apiKey: 'wrong-key' }),
  unreachable: () => make({ baseUrl: UNREACHABLE_BASE_URL }),
});
