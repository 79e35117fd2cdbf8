import { describe, expect, it } from 'vitest';
import { dtmfFromInfo } from './info-dtmf.ts';
import type { SipRequest } from './message.ts';

const info = (type: string, body: string): SipRequest => ({ kind: 'request', method: 'INFO', uri: 'sip:a@b', headers: [{ name: 'content-type', value: type }], body: Buffer.from(body) });

describe('dtmfFromInfo', () => {
  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', { digit: '5', durationMs: 160 }],
    ['application/dtmf-relay', 'Signal= #\r\n', { digit: '#', durationMs: 100 }],
    ['application/dtmf-relay', 'Signal=11\r\nDuration=250', { digit: '#', durationMs: 250 }],
    ['application/dtmf', '*', { digit: '*', durationMs: 100 }],
    ['application/dtmf-relay', 'Signal=X', undefined],
    ['application/sdp', 'v=0', undefined],
  ])('%s %j', (type, body, want) => {
    expect(dtmfFromInfo(info(type, body))).toEqual(want);
  });
});
