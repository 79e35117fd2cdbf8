/**
 * SDP offer/answer for a G.711 audio endpoint (RFC 3264): picks PCMU or PCMA in the caller's
 * order of preference, keeps the caller's telephone-event payload type (RFC 4733) at 8000 Hz,
 * mirrors the direction, and detects hold (RFC 3264 §8.4: `sendonly`/`inactive`, or the legacy
 * `c=0.0.0.0` of RFC 2543).
 */
import { type Sdp, type SdpAttribute, type SdpDirection, type SdpMedia, directionOf, rtpMaps } from './sdp.ts';

/** The G.711 codec chosen for a call. */
export type G711Encoding = 'PCMU' | 'PCMA';

/** What the negotiation agreed on. */
export interface NegotiatedMedia {
  readonly encoding: G711Encoding;
  readonly payloadType: number;
  /** The caller's telephone-event/8000 payload type, when offered. */
  readonly dtmfPayloadType: number | undefined;
  /** Where to send RTP until symmetric RTP learns the real source. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The caller put us on hold: do not expect media from them, and pause the agent. */
  readonly held: boolean;
  /** Our direction in the answer. */
  readonly direction: SdpDirection;
}

/** The result of answering an offer. */
export type OfferAnswer =
  | { readonly ok: true; readonly answer: Sdp; readonly media: NegotiatedMedia }
  | { readonly ok: false; readonly status: 488; readonly reason: string };

/** Our side of the answer. */
export interface LocalMedia {
  readonly address: string;
  readonly rtpPort: number;
  readonly sessionId: string;
  readonly sessionVersion: number;
}

// RFC 3551 §6: the static payload types of G.711
const STATIC_G711: ReadonlyMap<number, G711Encoding> = new Map([
  [0, 'PCMU'],
  [8, 'PCMA'],
]);
/** Packetisation time we send and ask for: 20 ms (RFC 3551 §4.5 default for G.711). */
const PTIME_MS = 20;

const ANSWER_DIRECTION: Record<SdpDirection, SdpDirection> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

/** Answers an SDP offer, or says `488 Not Acceptable Here` when there is no usable G.711 audio. */
export function answerOffer(offer: Sdp, local: LocalMedia): OfferAnswer {
  const idx = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0 && /^RTP\/(S)?AVP$/.test(m.proto) && pickCodec(m) !== undefined);
  if (idx < 0) return { ok: false, status: 488, reason: 'no G.711 audio stream offered' };
  const m = offer.media[idx] as SdpMedia;
  const codec = pickCodec(m) as { pt: number; encoding: G711Encoding };
  const maps = rtpMaps(m);
  // telephone-event must share the audio clock (linphone offers 48000, 16000 and 8000)
  const dtmfPt = m.formats.map(Number).find((pt) => {
    const r = maps.get(pt);
    return r !== undefined && r.encoding.toLowerCase() === 'telephone-event' && r.clockRate === 8000;
  });
  const conn = m.connection ?? offer.connection;
  const offerDir = directionOf(offer, m);
  const zeroAddress = conn?.address === '0.0.0.0' || conn?.address === '::';
  const held = offerDir === 'sendonly' || offerDir === 'inactive' || zeroAddress;
  const direction = zeroAddress && offerDir === 'sendrecv' ? 'inactive' : ANSWER_DIRECTION[offerDir];

  const attributes: SdpAttribute[] = [{ name: 'rtpmap', value: `${codec.pt} ${codec.encoding}/8000` }];
  const formats = [String(codec.pt)];
  if (dtmfPt !== undefined) {
    formats.push(String(dtmfPt));
    attributes.push({ name: 'rtpmap', value: `${dtmfPt} telephone-event/8000` }, { name: 'fmtp', value: `${dtmfPt} 0-16` });
  }
  attributes.push({ name: 'ptime', value: String(PTIME_MS) }, { name: direction, value: undefined });
  // RFC 3264 §6: the answer has as many m= lines as the offer; refused streams get port 0
  const media: SdpMedia[] = offer.media.map((om, i) =>
    i === idx
      ? { type: 'audio', port: local.rtpPort, proto: om.proto, formats, connection: undefined, attributes, otherLines: [] }
      : { type: om.type, port: 0, proto: om.proto, formats: om.formats.slice(0, 1), connection: undefined, attributes: [], otherLines: [] },
  );
  const answer = ourSession(local, media);
  return {
    ok: true,
    answer,
    media: { encoding: codec.encoding, payloadType: codec.pt, dtmfPayloadType: dtmfPt, remoteAddress: conn?.address ?? '0.0.0.0', remotePort: m.port, held, direction },
  };
}

/** The first G.711 format in the caller's order (static 0/8 or a dynamic rtpmap PCMU/PCMA at 8000 Hz). */
function pickCodec(m: SdpMedia): { pt: number; encoding: G711Encoding } | undefined {
  const maps = rtpMaps(m);
  for (const f of m.formats) {
    if (!/^\d{1,3}$/.test(f)) continue;
    const pt = Number(f);
    const map = maps.get(pt);
    if (map) {
      const enc = map.encoding.toUpperCase();
      if ((enc === 'PCMU' || enc === 'PCMA') && map.clockRate === 8000 && map.channels === 1) return { pt, encoding: enc };
      continue;
    }
    const stat = STATIC_G711.get(pt);
    if (stat) return { pt, encoding: stat };
  }
  return undefined;
}

/** Builds an SDP offer for an outbound call (PCMU, PCMA, telephone-event 101). */
export function createOffer(local: LocalMedia, dtmfPayloadType = 101): Sdp {
  return ourSession(local, [
      {
        type: 'audio',
        port: local.rtpPort,
        proto: 'RTP/AVP',
        formats: ['0', '8', String(dtmfPayloadType)],
        connection: undefined,
        attributes: [
          { name: 'rtpmap', value: '0 PCMU/8000' },
          { name: 'rtpmap', value: '8 PCMA/8000' },
          { name: 'rtpmap', value: `${dtmfPayloadType} telephone-event/8000` },
          { name: 'fmtp', value: `${dtmfPayloadType} 0-16` },
          { name: 'ptime', value: String(PTIME_MS) },
          { name: 'sendrecv', value: undefined },
        ],
        otherLines: [],
      },
  ]);
}

/** Our session-level SDP (origin, name, connection, timing) around the given media sections. */
function ourSession(local: LocalMedia, media: SdpMedia[]): Sdp {
  const addrType = local.address.includes(':') ? 'IP6' : 'IP4';
  return {
    origin: { username: 'callingbox', sessionId: local.sessionId, sessionVersion: String(local.sessionVersion), netType: 'IN', addrType, address: local.address },
    sessionName: 'CallingBox',
    connection: { netType: 'IN', addrType, address: local.address },
    timing: '0 0',
    attributes: [],
    otherLines: [],
    media,
  };
}

/**
 * Reads the callee's SDP answer to our `createOffer` (outbound calls): the codec it chose, its
 * telephone-event payload type, its address and direction. `undefined` when it chose nothing usable.
 */
export function readAnswer(answer: Sdp): NegotiatedMedia | undefined {
  const m = answer.media.find((x) => x.type === 'audio' && x.port !== 0 && pickCodec(x) !== undefined);
  if (!m) return undefined;
  const codec = pickCodec(m) as { pt: number; encoding: G711Encoding };
  const maps = rtpMaps(m);
  const dtmfPt = m.formats.map(Number).find((pt) => maps.get(pt)?.encoding.toLowerCase() === 'telephone-event' && maps.get(pt)?.clockRate === 8000);
  const conn = m.connection ?? answer.connection;
  const theirs = directionOf(answer, m);
  const zero = conn?.address === '0.0.0.0' || conn?.address === '::';
  return {
    encoding: codec.encoding,
    payloadType: codec.pt,
    dtmfPayloadType: dtmfPt,
    remoteAddress: conn?.address ?? '0.0.0.0',
    remotePort: m.port,
    held: theirs === 'sendonly' || theirs === 'inactive' || zero,
    direction: zero ? 'inactive' : ANSWER_DIRECTION[theirs],
  };
}
