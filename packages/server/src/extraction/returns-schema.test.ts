import { describe, expect, it } from 'vitest';
import { createResultValidator } from './result-validator.ts';
import { compileReturns, DATE_PATTERN, PHONE_PATTERN } from './returns-schema.ts';

const RETURNS = {
  caller_name: 'string',
  confirmed: 'boolean',
  party_size: 'integer',
  budget: 'number',
  visit_date: 'date',
  callback_at: 'datetime',
  phone: 'phone',
  email: 'email',
  mood: ['happy', 'neutral', 'angry'],
  reason: { type: 'string', description: 'Why they called' },
  tier: { type: 'string', enum: ['gold', 'silver'], description: 'Loyalty tier' },
  allergies: { type: 'array', items: 'string' },
  callback: { type: 'object', properties: { phone: 'phone', window: { type: 'object', properties: { from: 'datetime', to: 'datetime' } } } },
};

const ALL_NULL = Object.fromEntries(Object.keys(RETURNS).map((k) => [k, null]));
const validator = createResultValidator(compileReturns(RETURNS, { timezone: 'Europe/Paris' }));
const valid = (patch: Record<string, unknown>) => validator.validate({ ...ALL_NULL, ...patch });

describe('compileReturns', () => {
  it('makes every key required and nullable, closed to other keys, at every level', () => {
    const s = compileReturns(RETURNS) as any;
    expect(s).toMatchObject({ type: 'object', additionalProperties: false, required: Object.keys(RETURNS) });
    expect(s.properties.caller_name).toEqual({ type: ['string', 'null'] });
    expect(s.properties.party_size).toEqual({ type: ['integer', 'null'] });
    expect(s.properties.mood).toEqual({ type: ['string', 'null'], enum: ['happy', 'neutral', 'angry', null] });
    expect(s.properties.tier).toMatchObject({ type: ['string', 'null'], enum: ['gold', 'silver', null], description: 'Loyalty tier' });
    expect(s.properties.reason).toEqual({ type: ['string', 'null'], description: 'Why they called' });
    expect(s.properties.visit_date).toMatchObject({ type: ['string', 'null'], pattern: DATE_PATTERN });
    expect(s.properties.phone).toMatchObject({ pattern: PHONE_PATTERN });
    expect(s.properties.email).toMatchObject({ format: 'email' });
    expect(s.properties.allergies).toEqual({ type: ['array', 'null'], items: { type: 'string' } });
    expect(s.properties.callback).toMatchObject({ type: ['object', 'null'], required: ['phone', 'window'], additionalProperties: false });
    expect(s.properties.callback.properties.window).toMatchObject({ type: ['object', 'null'], required: ['from', 'to'], additionalProperties: false });
  });

  it('asks for datetimes in the agent time zone', () => {
    expect((compileReturns({ at: 'datetime' }, { timezone: 'Europe/Paris' }) as any).properties.at.description).toContain('Europe/Paris');
  });

  it('compiles no returns to an empty closed object', () => {
    expect(compileReturns(null)).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });
});

describe('validating results against the compiled schema', () => {
  it('accepts all-null (undiscussed) and a fully filled result', () => {
    expect(validator.validate(ALL_NULL)).toEqual({ ok: true });
    expect(
      valid({
        caller_name: 'Ada', confirmed: true, party_size: 4, budget: 120.5, visit_date: '2026-11-24', callback_at: '2026-11-24T15:30:00+01:00', phone: '+14155550123',
        email: 'ada@example.com', mood: 'happy', reason: 'booking', tier: 'gold', allergies: ['nuts'], callback: { phone: '+33142685300', window: { from: '2026-11-25T09:00Z', to: null } },
      }),
    ).toEqual({ ok: true });
  });

  it.each([
    ['visit_date', '24/11/2026', 'YYYY-MM-DD'],
    ['visit_date', '2026-13-01', 'YYYY-MM-DD'],
    ['callback_at', '2026-11-24T15:30:00', 'UTC offset'],
    ['phone', '(415) 555-0123', 'E.164'],
    ['email', 'ada at example', 'e-mail'],
    ['party_size', 2.5, 'integer'],
    ['mood', 'sad', '"happy", "neutral", "angry"'],
    ['confirmed', 'yes', 'boolean'],
  ])('rejects %s = %j with a message a model can act on', (field, value, hint) => {
    const r = valid({ [field]: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.find((i) => i.path === field)?.message).toContain(hint);
  });

  it('names nested problems by path: a missing nested key, a null array element, an unknown key', () => {
    const r = valid({ callback: { phone: '+14155550123' }, allergies: ['nuts', null], extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const paths = r.issues.map((i) => i.path);
      expect(paths).toContain('callback.window');
      expect(paths).toContain('allergies[1]');
      expect(paths).toContain('extra');
    }
  });
});
