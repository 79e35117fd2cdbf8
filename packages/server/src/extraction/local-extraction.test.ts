import { describe, expect, it } from 'vitest';
import { extractFromDialogue, LOCAL_EXTRACTION_MODEL } from './local-extraction.ts';

const RETURNS = { caller_name: 'string', confirmed: 'boolean', party_size: 'integer', visit_date: 'date', phone: 'phone', email: 'email', mood: ['happy', 'angry'] };

describe('offline extraction from the intake dialogue', () => {
  it('keeps the confirmed values that validate, nulls invalid or absent ones, and names its source', () => {
    const o = extractFromDialogue({
      returns: RETURNS,
      fields: { caller_name: 'Ada', confirmed: true, party_size: 4.5, visit_date: '2026-11-25', phone: '415-555-0123', mood: 'happy', stray: 'x' },
    });
    expect(o).toMatchObject({
      status: 'completed', error: null, repaired: false, model: LOCAL_EXTRACTION_MODEL, evidence: {},
      result: { caller_name: 'Ada', confirmed: true, party_size: null, visit_date: '2026-11-25', phone: null, email: null, mood: 'happy' },
    });
    expect(Object.keys(o.result!)).toEqual(Object.keys(RETURNS));
  });

  it('gives every key null without dialogue fields, and result null without returns', () => {
    expect(extractFromDialogue({ returns: RETURNS, fields: null }).result).toEqual(Object.fromEntries(Object.keys(RETURNS).map((k) => [k, null])));
    expect(extractFromDialogue({ returns: null, fields: { a: 1 } })).toMatchObject({ status: 'completed', result: null, model: LOCAL_EXTRACTION_MODEL });
  });

  it('nulls a nested object that does not validate as a whole field', () => {
    const o = extractFromDialogue({ returns: { callback: { type: 'object', properties: { phone: 'phone' } }, name: 'string' }, fields: { callback: { phone: 'nope' }, name: 'Bo' } });
    expect(o.result).toEqual({ callback: null, name: 'Bo' });
  });
});
