/**
 * RTP packet codec (RFC 3550 §5.1): fixed header, CSRC list, header extension (§5.3.1) and
 * padding. Pure and non-throwing: `parseRtpPacket` returns an error for anything malformed.
 */
import type { ParseResult } from '../sip/parse.ts';

/** An RTP packet. `payload` excludes padding. */
export interface RtpPacket {
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** RFC 3550 §5.3.1 header extension: profile-defined 16 bits and 32-bit words of data. */
  readonly extension: { readonly profile: number; readonly data: Uint8Array } | undefined;
  readonly payload: Uint8Array;
  /** Padding octets to append when serialising (the last one holds the count); 0 for none. */
  readonly paddingBytes?: number;
}

const RTP_VERSION = 2;
const FIXED_HEADER_BYTES = 12;

const fail = (error: string): ParseResult<never> => ({ ok: false, error });

/** Parses one RTP packet from a datagram. */
export function parseRtpPacket(data: Uint8Array): ParseResult<RtpPacket> {
  if (data.length < FIXED_HEADER_BYTES) return fail('shorter than the RTP header');
  const b0 = data[0] as number;
  const b1 = data[1] as number;
  if (b0 >> 6 !== RTP_VERSION) return fail('not RTP version 2');
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = FIXED_HEADER_BYTES + csrcCount * 4;
  if (data.length < offset) return fail('CSRC list truncated');
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(FIXED_HEADER_BYTES + i * 4));
  let extension: RtpPacket['extension'];
  if (hasExtension) {
    if (data.length < offset + 4) return fail('extension header truncated');
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + words * 4;
    if (data.length < end) return fail('extension truncated');
    extension = { profile, data: data.slice(offset + 4, end) };
    offset = end;
  }
  let end = data.length;
  let paddingBytes = 0;
  if (padding) {
    // RFC 3550 §5.1: the last octet counts the padding, itself included
    paddingBytes = data[data.length - 1] as number;
    if (paddingBytes === 0 || offset + paddingBytes > data.length) return fail('bad padding count');
    end -= paddingBytes;
  }
  return {
    ok: true,
    value: {
      payloadType: b1 & 0x7f,
      marker: (b1 & 0x80) !== 0,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      extension,
      payload: data.slice(offset, end),
      paddingBytes,
    },
  };
}

/** Serialises an RTP packet. Throws `RangeError` only for impossible fields (programming errors). */
export function serializeRtpPacket(p: RtpPacket): Buffer {
  if (p.csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (p.extension && p.extension.data.length % 4 !== 0) throw new RangeError('extension data must be 32-bit words');
  const pad = p.paddingBytes ?? 0;
  if (pad < 0 || pad > 255) throw new RangeError('padding is 0..255 octets');
  const extLen = p.extension ? 4 + p.extension.data.length : 0;
  const buf = Buffer.alloc(FIXED_HEADER_BYTES + p.csrcs.length * 4 + extLen + p.payload.length + pad);
  buf[0] = (RTP_VERSION << 6) | (pad > 0 ? 0x20 : 0) | (p.extension ? 0x10 : 0) | p.csrcs.length;
  buf[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  buf.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  buf.writeUInt32BE(p.timestamp >>> 0, 4);
  buf.writeUInt32BE(p.ssrc >>> 0, 8);
  let o = FIXED_HEADER_BYTES;
  for (const c of p.csrcs) {
    buf.writeUInt32BE(c >>> 0, o);
    o += 4;
  }
  if (p.extension) {
    buf.writeUInt16BE(p.extension.profile, o);
    buf.writeUInt16BE(p.extension.data.length / 4, o + 2);
    buf.set(p.extension.data, o + 4);
    o += extLen;
  }
  buf.set(p.payload, o);
  if (pad > 0) buf[buf.length - 1] = pad;
  return buf;
}

/** Signed distance from sequence number `a` to `b` modulo 2^16 (RFC 3550 Appendix A.1). */
export function seqDelta(a: number, b: number): number {
  const d = (b - a) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
}
