import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { waitFor } from '../testing/wait-for.ts';
import type { AudioFrame } from '../transport.ts';
import { encodeG711 } from './g711.ts';
import { bindRtpSocket } from './port-allocator.ts';
import { type RtpPacket, parseRtpPacket, serializeRtpPacket } from './rtp-packet.ts';
import { RtpSession, type RtpSessionOptions } from './rtp-session.ts';
import { telephoneEventPackets } from './telephone-event.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function peer(): Promise<{ socket: dgram.Socket; port: number; got: RtpPacket[] }> {
  const socket = dgram.createSocket('udp4');
  const got: RtpPacket[] = [];
  socket.on('message', (m) => {
    const r = parseRtpPacket(m);
    if (r.ok) got.push(r.value);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  cleanups.push(() => void socket.close());
  return { socket, port: socket.address().port, got };
}

async function session(extra: Partial<RtpSessionOptions> = {}): Promise<{ s: RtpSession; ac: AbortController }> {
  const ac = new AbortController();
  const socket = await bindRtpSocket({ host: '127.0.0.1', minPort: 0, maxPort: 0 });
  const s = new RtpSession({ socket, encoding: 'PCMU', payloadType: 0, dtmfPayloadType: 101, remote: undefined, clock: systemClock, signal: ac.signal, sendSilenceWhenIdle: false, ...extra });
  cleanups.push(() => ac.abort());
  return { s, ac };
}

const tone = (n: number, rate: 8000 | 16000 = 8000): AudioFrame[] =>
  Array.from({ length: n }, (_, i) => ({ samples: new Int16Array((rate / 1000) * 20).fill(1000 + i), sampleRateHz: rate, startMs: i * 20 }));

const rtp = (seq: number, payload: Uint8Array, pt = 0, ts = seq * 160, ssrc = 7): Buffer =>
  serializeRtpPacket({ payloadType: pt, marker: false, sequenceNumber: seq, timestamp: ts, ssrc, csrcs: [], extension: undefined, payload });

describe('RtpSession on loopback', () => {
  it('binds an even port and paces audio with consecutive seq, +160 timestamps, one SSRC, marker on the talkspurt start', async () => {
    const p = await peer();
    const { s } = await session({ remote: { address: '127.0.0.1', port: p.port } });
    expect(s.localPort % 2).toBe(0);
    const t0 = Date.now();
    const result = await s.play({ frames: tone(10) }.frames, new AbortController().signal);
    expect(result).toEqual({ playedMs: 200, completed: true });
    // Paced in real time: 10 packets take ~180 ms at least after the first, not a burst
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await waitFor(() => p.got.length >= 10, 2000, '10 packets');
    const g = p.got.slice(0, 10);
    expect(new Set(g.map((x) => x.ssrc)).size).toBe(1);
    g.forEach((x, i) => {
      if (i === 0) return;
      expect(x.sequenceNumber).toBe(((g[0]?.sequenceNumber ?? 0) + i) & 0xffff);
      expect(x.timestamp).toBe(((g[0]?.timestamp ?? 0) + 160 * i) >>> 0);
    });
    expect(g.map((x) => x.marker)).toEqual([true, false, false, false, false, false, false, false, false, false]);
    expect([...(g[3]?.payload ?? [])]).toEqual([...encodeG711('PCMU', new Int16Array(160).fill(1003))]);
  });

  it('resamples 16 kHz frames to 8 kHz packets', async () => {
    const p = await peer();
    const { s } = await session({ remote: { address: '127.0.0.1', port: p.port } });
    expect(await s.play(tone(3, 16000), new AbortController().signal)).toEqual({ playedMs: 60, completed: true });
    await waitFor(() => p.got.length >= 3);
    expect(p.got[0]?.payload.length).toBe(160);
  });

  it('learns the caller address from its packets (symmetric RTP), reorders, conceals gaps, decodes frames', async () => {
    const p = await peer();
    const { s } = await session({ jitterDepth: 2 });
    const enc = (v: number): Uint8Array => encodeG711('PCMU', new Int16Array(160).fill(v));
    for (const seq of [1, 3, 2, 4, 7, 8]) p.socket.send(rtp(seq, enc(seq * 100)), s.localPort, '127.0.0.1');
    const frames: AudioFrame[] = [];
    const reading = (async () => {
      for await (const f of s.fromCaller) frames.push(f);
    })();
    await waitFor(() => frames.length >= 8, 2000, '8 frames');
    expect(frames.map((f) => Math.round((f.samples[0] ?? 0) / 100))).toEqual([1, 2, 3, 4, 0, 0, 7, 8]);
    expect(frames.map((f) => f.startMs - (frames[0]?.startMs ?? 0))).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    expect(s.stats.packetsLost).toBe(2);
    // Now it answers to where the caller's packets came from
    expect(s.remoteAddress).toEqual({ address: '127.0.0.1', port: p.port });
    await s.play(tone(2), new AbortController().signal);
    await waitFor(() => p.got.length >= 2);
    s.close();
    await reading;
  });

  it('ignores garbage and payload types that were not negotiated', async () => {
    const p = await peer();
    const { s } = await session();
    p.socket.send(Buffer.from('not rtp'), s.localPort, '127.0.0.1');
    p.socket.send(rtp(1, new Uint8Array(160), 13), s.localPort, '127.0.0.1');
    await waitFor(() => s.stats.packetsIgnored >= 2);
    expect(s.stats.packetsReceived).toBe(0);
    expect(s.remoteAddress).toBeUndefined();
  });

  it('receives RFC 4733 digits once each and sends them with the end bit three times', async () => {
    const p = await peer();
    const digits: string[] = [];
    const { s } = await session({ onDtmf: (d) => digits.push(d.digit) });
    let seq = 10;
    for (const [ts, d] of [
      [8000, '5'],
      [16000, '#'],
    ] as const) {
      for (const pk of telephoneEventPackets(d) ?? []) p.socket.send(rtp(seq++, pk.payload, 101, ts), s.localPort, '127.0.0.1');
    }
    await waitFor(() => digits.length >= 2);
    expect(digits).toEqual(['5', '#']);
    await s.sendDtmf('1');
    await waitFor(() => p.got.filter((x) => x.payloadType === 101).length >= 7);
    const ev = p.got.filter((x) => x.payloadType === 101);
    expect(new Set(ev.map((x) => x.timestamp)).size).toBe(1);
    expect(ev.map((x) => (x.payload[1] ?? 0) >> 7)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(ev[0]?.marker).toBe(true);
  });

  it('queues many segments at once without listening on the session signal per segment, and ending the session settles them all', async () => {
    // A reply of a dozen sentences queued a dozen play() calls, each adding an abort listener to the
    // call's own signal: Node printed MaxListenersExceededWarning on every such call (bench:voice).
    const p = await peer();
    const { s, ac } = await session({ remote: { address: '127.0.0.1', port: p.port } });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const results = Array.from({ length: 15 }, () => s.play(tone(5), new AbortController().signal));
      ac.abort();
      expect((await Promise.all(results)).every((r) => !r.completed)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('clear() stops playout at once and reports what was sent', async () => {
    const p = await peer();
    const { s } = await session({ remote: { address: '127.0.0.1', port: p.port } });
    const playing = s.play(tone(100), new AbortController().signal);
    await waitFor(() => p.got.length >= 3);
    s.clear();
    const r = await playing;
    expect(r.completed).toBe(false);
    expect(r.playedMs).toBeGreaterThanOrEqual(60);
    expect(r.playedMs).toBeLessThan(2000);
  });

  it('holds playout while on hold (nothing sent, nothing reported played) and resumes after', async () => {
    const p = await peer();
    const { s } = await session({ remote: { address: '127.0.0.1', port: p.port } });
    s.setHold(true, false);
    let done = false;
    const playing = s.play(tone(3), new AbortController().signal).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 150));
    expect(done).toBe(false);
    expect(p.got.length).toBe(0);
    s.setHold(false, true);
    expect(await playing).toEqual({ playedMs: 60, completed: true });
  });

  it('detects an RTP timeout on the injected clock and ends quietly on abort', async () => {
    const clock = new FakeClock();
    let timedOut = 0;
    const { s, ac } = await session({ clock, rtpTimeoutMs: 30_000, onRtpTimeout: () => timedOut++ });
    await clock.advance(29_000);
    expect(timedOut).toBe(0);
    await clock.advance(2_000);
    expect(timedOut).toBe(1);
    ac.abort();
    const frames: AudioFrame[] = [];
    for await (const f of s.fromCaller) frames.push(f);
    expect(frames).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
