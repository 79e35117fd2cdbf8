/**
 * Serialises SIP messages (RFC 3261 §7). Content-Length is always written from the body, so a
 * caller can never send a wrong one; compact names are written in their long canonical form.
 */
import { type SipMessage, canonicalHeaderName } from './message.ts';

/** Encodes a message to bytes ready for a socket. */
export function serializeSipMessage(msg: SipMessage): Buffer {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start];
  for (const h of msg.headers) {
    if (h.name === 'content-length') continue;
    // A value must stay on one line: strip anything that could inject another header.
    lines.push(`${canonicalHeaderName(h.name)}: ${h.value.replace(/[\r\n]+/g, ' ')}`);
  }
  lines.push(`Content-Length: ${msg.body.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), msg.body]);
}
