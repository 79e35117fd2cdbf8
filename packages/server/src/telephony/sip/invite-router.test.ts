import { describe, expect, it } from 'vitest';
import { type SipRequest, headers } from './message.ts';
import { numbersOf } from './invite-router.ts';

const invite = (uri: string, from: string, to = '<sip:x@h>', pai?: string): SipRequest => ({
  kind: 'request',
  method: 'INVITE',
  uri,
  headers: headers(['From', from], ['To', to], ...(pai ? [['P-Asserted-Identity', pai] as const] : [])),
  body: Buffer.alloc(0),
});

describe('numbersOf', () => {
  it.each([
    ['E.164 in the Request-URI', invite('sip:+14155550123@h', '<sip:+15551234567@h>;tag=1'), '+14155550123', '+15551234567'],
    ['national digits become E.164', invite('sip:4155550123@h', '"A" <sip:14155551234@h>;tag=1'), '+14155550123', '+14155551234'],
    ['tel: URI, user=phone and a percent-encoded plus', invite('tel:+14155550123', '<sip:%2B15551234567@h;user=phone>;tag=1'), '+14155550123', '+15551234567'],
    ['To when the Request-URI has no user', invite('sip:h', '<sip:alice@h>;tag=1', '<sip:+14155550123@h>'), '+14155550123', 'alice'],
    ['P-Asserted-Identity when From is anonymous', invite('sip:+14155550123@h', '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1', '<sip:x@h>', '<sip:+15557654321@carrier>'), '+14155550123', '+15557654321'],
    ['From wins over P-Asserted-Identity otherwise', invite('sip:+14155550123@h', '<sip:+15551234567@h>;tag=1', '<sip:x@h>', '<sip:+15557654321@carrier>'), '+14155550123', '+15551234567'],
  ])('%s', (_what, req, dialled, caller) => {
    expect(numbersOf(req)).toEqual({ dialledNumber: dialled, callerNumber: caller });
  });
});
