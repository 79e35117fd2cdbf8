/**
 * Frames SIP messages on a byte stream (TCP, RFC 3261 §18.3): input may split a message across
 * reads or carry several in one; Content-Length says where each ends. Pure: no socket, no timer.
 * Never throws; after an error the stream cannot be resynchronised and the caller closes it.
 */
import { MAX_SIP_MESSAGE_BYTES, type ParseResult, contentLengthOf, parseHead, parseSipMessage } from './parse.ts';
import type { SipMessage } from './message.ts';

/** RFC 5626 §3.5.1: the answer to a double-CRLF keep-alive ping on a stream is a single CRLF. */
export const CRLF_KEEPALIVE_PONG: Buffer = Buffer.from('\r\n');

/** One thing the framer found in the stream. */
export type FramedItem = ParseResult<SipMessage> | { readonly ok: true; readonly value: 'keepalive-ping' };

/** Incremental framer for one connection. */
export class SipStreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  private failed = false;

  /** True after a framing error: discard the connection. */
  get isFailed(): boolean {
    return this.failed;
  }

  /** Bytes buffered waiting for the rest of a message. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** Feeds bytes; returns every complete message (or error) now available, in order. */
  push(chunk: Uint8Array): FramedItem[] {
    if (this.failed) return [];
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: FramedItem[] = [];
    for (;;) {
      // RFC 5626 §3.5.1: a double CRLF between messages is a keep-alive ping (answered with one CRLF)
      let skip = 0;
      while (skip + 1 < this.buf.length && this.buf[skip] === 0x0d && this.buf[skip + 1] === 0x0a) skip += 2;
      if (skip >= 4) out.push({ ok: true, value: 'keepalive-ping' });
      if (skip > 0) this.buf = this.buf.subarray(skip);
      if (this.buf.length === 0) break;
      const headEnd = this.buf.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.buf.length > MAX_SIP_MESSAGE_BYTES) return [...out, this.fail('headers too long')];
        break;
      }
      const head = parseHead(this.buf.subarray(0, headEnd).toString('utf8'));
      if (!head.ok) return [...out, this.fail(head.error)];
      const cl = contentLengthOf(head.value.headers);
      if (cl === undefined || cl === null) return [...out, this.fail('missing or bad Content-Length on a stream')];
      const total = headEnd + 4 + cl;
      if (total > MAX_SIP_MESSAGE_BYTES) return [...out, this.fail('message too large')];
      if (this.buf.length < total) break;
      const one = this.buf.subarray(0, total);
      this.buf = this.buf.subarray(total);
      // A well-framed but invalid message is reported and the stream goes on: framing is intact.
      out.push(parseSipMessage(one, { requireContentLength: true }));
    }
    if (this.buf.length > 0 && this.buf.byteOffset > 0) this.buf = Buffer.from(this.buf);
    return out;
  }

  private fail(error: string): FramedItem {
    this.failed = true;
    this.buf = Buffer.alloc(0);
    return { ok: false, error };
  }
}
