import { describe, expect, it } from 'vitest';
import { parseSdp, serializeSdp } from './sdp.ts';
import { answerOffer } from './sdp-answer.ts';

const LOCAL = { address: '127.0.0.1', rtpPort: 10000, sessionId: '42', sessionVersion: 1 };

/** linphonec's offer as seen on the wire (sip-lab): opus first, G.711 later, three telephone-events. */
const LINPHONE_OFFER = [
  'v=0',
  'o=alice 123 456 IN IP4 127.0.0.2',
  's=Talk',
  'c=IN IP4 127.0.0.2',
  't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 97 98 0 8 18 99 100 101',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:97 speex/16000',
  'a=rtpmap:98 speex/8000',
  'a=rtpmap:99 telephone-event/48000',
  'a=rtpmap:100 telephone-event/16000',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtcp-fb:* trr-int 1000',
  '',
].join('\r\n');

describe('SDP', () => {
  it('round-trips an offer', () => {
    const r = parseSdp(LINPHONE_OFFER);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.media[0]?.formats).toEqual(['96', '97', '98', '0', '8', '18', '99', '100', '101']);
    expect(serializeSdp(r.value)).toBe(LINPHONE_OFFER);
  });

  it('answers with the first G.711 in the caller order and telephone-event at 8000 with the caller PT (golden)', () => {
    const offer = parseSdp(LINPHONE_OFFER);
    if (!offer.ok) throw new Error(offer.error);
    const a = answerOffer(offer.value, LOCAL);
    if (!a.ok) throw new Error(a.reason);
    expect(a.media).toEqual({ encoding: 'PCMU', payloadType: 0, dtmfPayloadType: 101, remoteAddress: '127.0.0.2', remotePort: 7078, held: false, direction: 'sendrecv' });
    expect(serializeSdp(a.answer)).toBe(
      [
        'v=0',
        'o=callingbox 42 1 IN IP4 127.0.0.1',
        's=CallingBox',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 10000 RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
  });

  it('prefers PCMA when the caller lists it first, including by dynamic rtpmap', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0\r\n';
    const a = answerOffer((parseSdp(sdp) as { ok: true; value: never }).value, LOCAL);
    expect(a.ok && a.media.encoding).toBe('PCMA');
    expect(a.ok && a.media.dtmfPayloadType).toBeUndefined();
    const dyn = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 110\r\na=rtpmap:110 PCMA/8000\r\n';
    const b = answerOffer((parseSdp(dyn) as { ok: true; value: never }).value, LOCAL);
    expect(b.ok && b.media).toMatchObject({ encoding: 'PCMA', payloadType: 110 });
  });

  it('signals 488 when no G.711 is offered', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96 18\r\na=rtpmap:96 opus/48000/2\r\n';
    expect(answerOffer((parseSdp(sdp) as { ok: true; value: never }).value, LOCAL)).toMatchObject({ ok: false, status: 488 });
  });

  it.each([
    ['a=sendonly', 'c=IN IP4 10.0.0.1', 'recvonly'],
    ['a=inactive', 'c=IN IP4 10.0.0.1', 'inactive'],
    ['a=sendrecv', 'c=IN IP4 0.0.0.0', 'inactive'],
  ])('detects hold from %s / %s', (attr, conn, direction) => {
    const sdp = `v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\n${conn}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n${attr}\r\n`;
    const a = answerOffer((parseSdp(sdp) as { ok: true; value: never }).value, LOCAL);
    expect(a.ok && a.media).toMatchObject({ held: true, direction });
  });

  it('refuses text that is not SDP', () => {
    expect(parseSdp('hello').ok).toBe(false);
    expect(parseSdp('v=0\r\nm=audio x RTP/AVP 0\r\n').ok).toBe(false);
    expect(parseSdp('v=0\r\ns=-\r\n').ok).toBe(false);
  });
});
