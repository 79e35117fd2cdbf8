import { describe, expect, it } from 'vitest';
import { routeFromLine } from './sip-transfer-routes.ts';

const self = { host: '127.0.0.1', port: 5060 };
const trunk = (outbound_uri: string | null, auth: { auth_username: string; auth_password: string } | null = null) => ({ outbound_uri, auth_username: auth?.auth_username ?? null, auth_password: auth?.auth_password ?? null });

describe('routeFromLine', () => {
  it('sends a sandbox line to this installation, where sandbox routing answers', () => {
    expect(routeFromLine('+14155550199', { carrier: 'sandbox' }, self)).toEqual({ uri: 'sip:+14155550199@127.0.0.1:5060' });
    expect(routeFromLine('+14155550199', { carrier: 'sandbox' }, { host: '::1', port: 5070 })).toEqual({ uri: 'sip:+14155550199@[::1]:5070' });
  });

  it("sends a trunk line to the trunk's outbound_uri with the number as user, its parameters and credentials", () => {
    expect(routeFromLine('+442071234567', { carrier: 'sip', trunk: trunk('sip:carrier.example:5080;transport=tcp', { auth_username: 'acme', auth_password: 's3cret' }) }, self)).toEqual({
      uri: 'sip:+442071234567@carrier.example:5080;transport=tcp',
      credentials: { username: 'acme', password: 's3cret' },
    });
    expect(routeFromLine('+442071234567', { carrier: 'sip', trunk: trunk('sips:trunkuser@carrier.example') }, self)).toEqual({ uri: 'sips:+442071234567@carrier.example' });
  });

  it('has no route from a trunk without outbound_uri, or a Twilio number', () => {
    expect(routeFromLine('+14155550199', { carrier: 'sip', trunk: trunk(null) }, self)).toBeUndefined();
    expect(routeFromLine('+14155550199', { carrier: 'sip', trunk: null }, self)).toBeUndefined();
    expect(routeFromLine('+14155550199', { carrier: 'twilio' }, self)).toBeUndefined();
  });

  it('uses a SIP URI destination as it is', () => {
    expect(routeFromLine('sip:desk@pbx.example', { carrier: 'twilio' }, self)).toEqual({ uri: 'sip:desk@pbx.example' });
  });
});
