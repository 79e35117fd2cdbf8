/**
 * RFC 4733 telephone-event payload (DTMF over RTP): codec, sender schedule and receiver.
 * Pure: the RTP session puts the packets on the wire and feeds received ones in.
 */
import type { ParseResult } from '../sip/parse.ts';

/** One telephone-event payload (RFC 4733 §2.3). */
export interface TelephoneEvent {
  /** 0-9 digits, 10 `*`, 11 `#`, 12-15 `A`-`D`, 16 flash. */
  readonly event: number;
  readonly end: boolean;
  /** Power level in -dBm0, 0..63 (RFC 4733 §2.3.3). */
  readonly volume: number;
  /** Duration so far in timestamp units (8 kHz samples). */
  readonly duration: number;
}

const DIGITS = '0123456789*#ABCD';

/** The event code of a DTMF character, or `undefined`. */
export function dtmfEventCode(digit: string): number | undefined {
  const i = DIGITS.indexOf(digit.toUpperCase());
  return i < 0 || digit.length !== 1 ? undefined : i;
}

/** The DTMF character of an event code (`16` flash is `!`). */
export function dtmfDigit(event: number): string | undefined {
  return event === 16 ? '!' : DIGITS[event];
}

/** Encodes the 4-octet payload. */
export function encodeTelephoneEvent(e: TelephoneEvent): Buffer {
  const b = Buffer.alloc(4);
  b[0] = e.event & 0xff;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b.writeUInt16BE(Math.min(0xffff, e.duration), 2);
  return b;
}

/** Decodes the first 4 octets (RFC 4733 §2.5.1.5: extra octets may follow for event bundling; they are ignored). */
export function decodeTelephoneEvent(payload: Uint8Array): ParseResult<TelephoneEvent> {
  if (payload.length < 4) return { ok: false, error: 'telephone-event payload shorter than 4 octets' };
  const b1 = payload[1] as number;
  return { ok: true, value: { event: payload[0] as number, end: (b1 & 0x80) !== 0, volume: b1 & 0x3f, duration: ((payload[2] as number) << 8) | (payload[3] as number) } };
}

/** One packet of a digit to send, in order, one per packet interval. */
export interface TelephoneEventPacket {
  readonly payload: Buffer;
  /** RFC 4733 §2.5.1.3: the first packet of an event carries the marker bit. */
  readonly marker: boolean;
}

/** Defaults that common PBXs use: a 100 ms tone at -10 dBm0. */
export const DTMF_DEFAULT_DURATION_MS = 100;
const DTMF_VOLUME = 10;
/** RFC 4733 §2.5.1.4: the final packet (end bit) is sent three times for robustness to loss. */
const END_REPEATS = 3;

/**
 * The packets for one digit at 8 kHz: one every `packetMs` with growing duration, then the end
 * packet three times. All share one RTP timestamp (the event start), set by the caller.
 */
export function telephoneEventPackets(digit: string, durationMs = DTMF_DEFAULT_DURATION_MS, packetMs = 20): TelephoneEventPacket[] | undefined {
  const event = dtmfEventCode(digit);
  if (event === undefined) return undefined;
  const samplesPerPacket = packetMs * 8;
  const total = Math.max(samplesPerPacket, Math.round(durationMs / packetMs) * samplesPerPacket);
  const out: TelephoneEventPacket[] = [];
  for (let d = samplesPerPacket; d < total; d += samplesPerPacket) {
    out.push({ payload: encodeTelephoneEvent({ event, end: false, volume: DTMF_VOLUME, duration: d }), marker: out.length === 0 });
  }
  for (let i = 0; i < END_REPEATS; i++) {
    out.push({ payload: encodeTelephoneEvent({ event, end: true, volume: DTMF_VOLUME, duration: total }), marker: out.length === 0 });
  }
  return out;
}

/** A digit the receiver completed. */
export interface ReceivedDigit {
  readonly digit: string;
  readonly durationMs: number;
}

/**
 * Turns received telephone-event packets into digits, once each: an event is identified by its
 * RTP timestamp (RFC 4733 §2.5.2.2), so retransmitted end packets are not reported again. A new
 * event that starts before the previous one's end arrived (end packets lost) reports the previous.
 */
export class TelephoneEventReceiver {
  private current: { timestamp: number; event: number; duration: number } | undefined;
  private lastEndedTimestamp: number | undefined;

  /** Feeds one packet; returns the digits completed by it (0, 1 or 2). */
  receive(timestamp: number, payload: Uint8Array): ReceivedDigit[] {
    const r = decodeTelephoneEvent(payload);
    if (!r.ok || r.value.event > 16) return [];
    const e = r.value;
    if (timestamp === this.lastEndedTimestamp) return [];
    const out: ReceivedDigit[] = [];
    if (this.current && this.current.timestamp !== timestamp) out.push(this.finish());
    this.current ??= { timestamp, event: e.event, duration: 0 };
    this.current.duration = Math.max(this.current.duration, e.duration);
    if (e.end) {
      out.push(this.finish());
    }
    return out;
  }

  /** Reports an event still open (e.g. at hang-up), if any. */
  flush(): ReceivedDigit[] {
    return this.current ? [this.finish()] : [];
  }

  private finish(): ReceivedDigit {
    const c = this.current as { timestamp: number; event: number; duration: number };
    this.current = undefined;
    this.lastEndedTimestamp = c.timestamp;
    return { digit: dtmfDigit(c.event) ?? '?', durationMs: Math.round(c.duration / 8) };
  }
}
