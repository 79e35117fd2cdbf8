/**
 * One call's RTP media (RFC 3550, RFC 3551, RFC 4733): a UDP socket, the receive path
 * (parse → jitter buffer → G.711 decode → 20 ms frames), the send path (playout queue → pacer →
 * G.711 encode → packet) and DTMF both ways. Symmetric RTP: packets go to where the caller's
 * packets come from, which is what works through NAT. Time: the pacer runs on a real timer (the
 * edge); the RTP timeout is measured on the injected `Clock`.
 */
import type dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../core/clock.ts';
import { type Resampler, createResampler } from '../../core/audio/resampler.ts';
import { AsyncQueue } from '../async-queue.ts';
import type { AudioFrame, PlayoutResult } from '../transport.ts';
import type { G711Encoding } from '../sip/sdp-answer.ts';
import { decodeG711, encodeG711, g711SilenceByte } from './g711.ts';
import { JitterBuffer } from './jitter-buffer.ts';
import { type PacerFactory, realTimePacer } from './pacer.ts';
import { PlayoutQueue, SAMPLES_PER_FRAME } from './playout-queue.ts';
import { parseRtpPacket, serializeRtpPacket } from './rtp-packet.ts';
import { DTMF_DEFAULT_DURATION_MS, type ReceivedDigit, TelephoneEventReceiver, telephoneEventPackets } from './telephone-event.ts';

/** spec telephony.md: no RTP for 30 s ends the call with `rtp_timeout`. */
export const DEFAULT_RTP_TIMEOUT_MS = 30_000;
/** How often the RTP timeout is checked. */
const RTP_TIMEOUT_CHECK_MS = 1_000;
const PACKET_MS = 20;
/** Gaps up to this many packets (500 ms: a long DTMF event) are filled with silence so the caller timeline stays continuous. */
const MAX_CONCEALED_PACKETS = 25;
/** Caller frames kept for a consumer that is not reading (10 s): older ones are dropped, memory stays bounded. */
const MAX_BUFFERED_FRAMES = 500;
/** Silence between two DTMF digits sent back to back (two packet intervals). */
const INTER_DIGIT_GAP_TICKS = 2;

/** Options of an RTP session. */
export interface RtpSessionOptions {
  /** A bound socket; the session owns it and closes it at the end. */
  readonly socket: dgram.Socket;
  readonly encoding: G711Encoding;
  readonly payloadType: number;
  readonly dtmfPayloadType: number | undefined;
  /** Where to send until the first packet arrives (from SDP); `undefined` or 0.0.0.0 waits for the caller. */
  readonly remote: { address: string; port: number } | undefined;
  readonly clock: Clock;
  /** Ends the session (hang-up). */
  readonly signal: AbortSignal;
  readonly rtpTimeoutMs?: number;
  readonly jitterDepth?: number;
  readonly pacer?: PacerFactory;
  /** Send G.711 silence while idle (keeps NAT bindings and the far end's own RTP timeout quiet). */
  readonly sendSilenceWhenIdle?: boolean;
  readonly onDtmf?: (d: ReceivedDigit & { atMs: number }) => void;
  readonly onRtpTimeout?: () => void;
}

/** Counters for tests and metrics. */
export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  packetsIgnored: number;
}

/** The RTP media of one call: receive, send, DTMF, timeout. Owned by `SipCall`. */
export class RtpSession {
  /** Caller audio, 20 ms frames at 8 kHz; ends when the session closes. */
  readonly fromCaller = new AsyncQueue<AudioFrame>(MAX_BUFFERED_FRAMES);
  readonly stats: RtpStats = { packetsSent: 0, packetsReceived: 0, packetsLost: 0, packetsIgnored: 0 };
  private readonly o: RtpSessionOptions;
  private readonly startedAtMs: number;
  private readonly queue = new PlayoutQueue();
  private readonly dtmfIn = new TelephoneEventReceiver();
  private jitter: JitterBuffer;
  private remote: { address: string; port: number } | undefined;
  private readonly ssrc = randomInt(0, 2 ** 32 - 1);
  private seq = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 2 ** 32 - 1);
  private rxSsrc: number | undefined;
  private rxFrames = 0;
  private rxFirstMs: number | undefined;
  private rxRemainder: Int16Array = new Int16Array(0);
  private lastRxClockMs: number;
  private lastRxRealMs = 0;
  /** telephone-event packets since the last audio packet: they share the sequence space (RFC 4733 §2.1), so their numbers are no loss. */
  private rxEventPackets = 0;
  private readonly dtmfOut: { packets: { payload: Buffer; marker: boolean }[]; gap: number; timestamp: number; done: () => void }[] = [];
  private canSend = true;
  private held = false;
  private closed = false;
  private readonly pacerHandle;
  private readonly silence: Uint8Array;

  constructor(opts: RtpSessionOptions) {
    this.o = opts;
    this.startedAtMs = opts.clock.now();
    this.lastRxClockMs = this.startedAtMs;
    this.jitter = new JitterBuffer(opts.jitterDepth);
    this.silence = new Uint8Array(SAMPLES_PER_FRAME).fill(g711SilenceByte(opts.encoding));
    this.setRemote(opts.remote);
    opts.socket.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
    opts.socket.on('error', () => {}); // ICMP errors (port unreachable) must not end the process
    this.pacerHandle = (opts.pacer ?? realTimePacer)(() => this.tick(), PACKET_MS);
    void this.watchTimeout();
    if (opts.signal.aborted) this.close();
    else opts.signal.addEventListener('abort', () => this.close(), { once: true });
  }

  /** The local UDP port (for the SDP answer). */
  get localPort(): number {
    return this.o.socket.address().port;
  }

  /** Where packets go now (the latched source, or the SDP address). */
  get remoteAddress(): { address: string; port: number } | undefined {
    return this.remote;
  }

  /** Updates the SDP address (re-INVITE); symmetric RTP still follows the real source. */
  setRemote(remote: { address: string; port: number } | undefined): void {
    const usable = remote && remote.port > 0 && remote.address !== '0.0.0.0' && remote.address !== '::';
    if (usable) this.remote = remote;
  }

  /** Hold (RFC 3264 §8.4): while held we may not send (`canSend: false`) and silence is expected, so the RTP timeout pauses. */
  setHold(held: boolean, canSend: boolean): void {
    this.held = held;
    this.canSend = canSend;
    this.lastRxClockMs = this.o.clock.now();
  }

  /** Queues audio; resolves when the last of it was sent, or was cleared/aborted. */
  play(frames: AsyncIterable<AudioFrame> | Iterable<AudioFrame>, signal: AbortSignal): Promise<PlayoutResult> {
    const seg = this.queue.open();
    if (this.closed || signal.aborted) {
      seg.cancel();
      return seg.done;
    }
    const stop = (): void => seg.cancel();
    // Only the segment's own signal: the session's ending is `close()`, which clears every queued
    // segment. A listener per segment on the session's signal added up (a read-back of a dozen
    // sentences queued at once tripped Node's MaxListenersExceededWarning on every such call).
    signal.addEventListener('abort', stop, { once: true });
    void (async () => {
      // One resampler per segment and rate: it keeps filter state between frames (core/audio)
      let rs: Resampler | undefined;
      try {
        for await (const f of frames) {
          if (signal.aborted || this.closed) break;
          if (f.sampleRateHz === 8000) {
            seg.append(f.samples);
            continue;
          }
          if (rs?.fromHz !== f.sampleRateHz) {
            if (rs) seg.append(rs.flush());
            rs?.close();
            rs = await createResampler(f.sampleRateHz, 8000);
          }
          seg.append(rs.process(f.samples));
        }
        if (rs) seg.append(rs.flush());
        seg.finish();
      } catch {
        seg.cancel(); // a failing producer (TTS error) ends its segment, not the call
      } finally {
        rs?.close();
      }
    })();
    return seg.done.finally(() => signal.removeEventListener('abort', stop));
  }

  /** Barge-in: drops all queued audio. */
  clear(): void {
    this.queue.clear();
  }

  /** Sends digits as RFC 4733 events, pausing audio meanwhile; resolves when the last end packet left. */
  async sendDtmf(digits: string, durationMs = DTMF_DEFAULT_DURATION_MS): Promise<void> {
    if (this.o.dtmfPayloadType === undefined) throw new RangeError('the caller did not offer telephone-event');
    if (this.closed) return;
    const waits: Promise<void>[] = [];
    for (const d of digits) {
      const packets = telephoneEventPackets(d, durationMs, PACKET_MS);
      if (!packets) throw new RangeError(`'${d}' is not a DTMF digit`);
      waits.push(new Promise<void>((done) => this.dtmfOut.push({ packets, gap: INTER_DIGIT_GAP_TICKS, timestamp: -1, done })));
    }
    await Promise.all(waits);
  }

  /** Stops everything and closes the socket. Idempotent; also runs when `signal` aborts. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pacerHandle.stop();
    this.queue.clear();
    for (const d of this.dtmfOut.splice(0)) d.done();
    for (const out of this.jitter.flush()) this.deliver(out.packet.payload, out.lostBefore);
    this.emitDigits(this.dtmfIn.flush());
    this.fromCaller.close();
    try {
      this.o.socket.close();
    } catch {
      // already closed
    }
  }

  private tick(): void {
    if (this.closed) return;
    // Release a quiet stream's tail from the jitter buffer (the caller stopped sending).
    if (this.jitter.size > 0 && performance.now() - this.lastRxRealMs > PACKET_MS * 3) {
      for (const out of this.jitter.flush()) this.deliver(out.packet.payload, out.lostBefore);
    }
    const ts = this.timestamp;
    this.timestamp = (this.timestamp + SAMPLES_PER_FRAME) >>> 0;
    // Nothing can be heard while we may not send (hold) or know no address: playout and DTMF wait, so
    // what `play()` reports as played was really sent (STYLE rule 5)
    if (!this.remote || !this.canSend) return;
    const dtmf = this.dtmfOut[0];
    if (dtmf && this.o.dtmfPayloadType !== undefined) {
      // RFC 4733 §2.5.1.2: every packet of an event carries the event's start timestamp
      if (dtmf.timestamp < 0) dtmf.timestamp = ts;
      const p = dtmf.packets.shift();
      if (p) this.send(this.o.dtmfPayloadType, p.marker, dtmf.timestamp, p.payload);
      else if (--dtmf.gap <= 0) {
        this.dtmfOut.shift();
        dtmf.done();
      }
      return;
    }
    const frame = this.queue.take();
    if (frame) this.send(this.o.payloadType, frame.talkspurtStart, ts, encodeG711(this.o.encoding, frame.samples));
    else if (this.o.sendSilenceWhenIdle ?? true) this.send(this.o.payloadType, false, ts, this.silence);
  }

  private send(pt: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    if (!this.remote || !this.canSend) return;
    const packet = serializeRtpPacket({ payloadType: pt, marker, sequenceNumber: this.seq, timestamp, ssrc: this.ssrc, csrcs: [], extension: undefined, payload });
    this.seq = (this.seq + 1) & 0xffff;
    this.stats.packetsSent++;
    this.o.socket.send(packet, this.remote.port, this.remote.address, () => {});
  }

  private onPacket(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.closed) return;
    const r = parseRtpPacket(msg);
    // RTCP multiplexed on this port has "payload types" 72-76 (RFC 5761 §4): not media
    if (!r.ok || (r.value.payloadType >= 72 && r.value.payloadType <= 76)) {
      this.stats.packetsIgnored++;
      return;
    }
    const p = r.value;
    const isAudio = p.payloadType === this.o.payloadType;
    const isDtmf = this.o.dtmfPayloadType !== undefined && p.payloadType === this.o.dtmfPayloadType;
    if (!isAudio && !isDtmf) {
      // Not negotiated: some callers send filler packets with another payload type (sip-lab notes)
      this.stats.packetsIgnored++;
      return;
    }
    this.stats.packetsReceived++;
    this.lastRxClockMs = this.o.clock.now();
    this.lastRxRealMs = performance.now();
    this.remote = { address: rinfo.address, port: rinfo.port }; // symmetric RTP latching
    if (isDtmf) {
      this.rxEventPackets++;
      this.emitDigits(this.dtmfIn.receive(p.timestamp, p.payload));
      return;
    }
    if (this.rxSsrc !== p.ssrc) {
      // A new source (re-INVITE, transfer): its sequence space starts afresh
      for (const out of this.jitter.flush()) this.deliver(out.packet.payload, out.lostBefore);
      this.jitter = new JitterBuffer(this.o.jitterDepth);
      this.rxSsrc = p.ssrc;
    }
    for (const out of this.jitter.push(p)) this.deliver(out.packet.payload, out.lostBefore);
  }

  private deliver(payload: Uint8Array, lostBefore: number): void {
    this.rxFirstMs ??= this.o.clock.now() - this.startedAtMs;
    this.stats.packetsLost += Math.max(0, lostBefore - this.rxEventPackets);
    this.rxEventPackets = 0;
    // The gap (lost audio, or the time a DTMF event replaced audio) becomes silence, keeping the timeline continuous
    if (lostBefore > 0 && lostBefore <= MAX_CONCEALED_PACKETS) {
      for (let i = 0; i < lostBefore; i++) this.pushFrame(new Int16Array(SAMPLES_PER_FRAME));
    }
    const decoded = decodeG711(this.o.encoding, payload);
    // Re-chunk to 20 ms: a caller may packetise at 10 or 30 ms
    let samples = this.rxRemainder.length ? concat(this.rxRemainder, decoded) : decoded;
    while (samples.length >= SAMPLES_PER_FRAME) {
      this.pushFrame(samples.slice(0, SAMPLES_PER_FRAME));
      samples = samples.subarray(SAMPLES_PER_FRAME);
    }
    this.rxRemainder = samples.slice();
  }

  private pushFrame(samples: Int16Array): void {
    this.fromCaller.push({ samples, sampleRateHz: 8000, startMs: (this.rxFirstMs ?? 0) + this.rxFrames * PACKET_MS });
    this.rxFrames++;
  }

  private emitDigits(digits: ReceivedDigit[]): void {
    for (const d of digits) this.o.onDtmf?.({ ...d, atMs: this.o.clock.now() - this.startedAtMs });
  }

  private async watchTimeout(): Promise<void> {
    const timeoutMs = this.o.rtpTimeoutMs ?? DEFAULT_RTP_TIMEOUT_MS;
    try {
      while (!this.closed) {
        await this.o.clock.sleep(Math.min(RTP_TIMEOUT_CHECK_MS, timeoutMs), this.o.signal);
        if (!this.closed && !this.held && this.o.clock.now() - this.lastRxClockMs >= timeoutMs) {
          this.o.onRtpTimeout?.();
          return;
        }
      }
    } catch {
      // aborted: the call ended first
    }
  }
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
