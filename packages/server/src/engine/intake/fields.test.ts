import { describe, expect, it } from 'vitest';
import { assemble, fieldsOf, labelOf } from './fields.ts';
import { confirmFor, echoFor, questionFor, secondPerson, summary } from './phrasing.ts';

describe('fieldsOf', () => {
  it('walks top-level fields in order with a kind per type; object leaves one by one; arrays of objects left out', () => {
    const fields = fieldsOf({
      caller_name: 'string',
      reason: { type: 'string', description: 'Why they are calling' },
      callback_number: 'phone',
      mood: ['happy', 'angry'],
      visit: { type: 'object', properties: { date: 'date', party_size: 'integer' } },
      services: { type: 'array', items: ['cleaning', 'checkup'] },
      people: { type: 'array', items: { type: 'object', properties: { name: 'string' } } },
    });
    expect(fields.map((f) => [f.path.join('.'), f.kind])).toEqual([
      ['caller_name', 'name'],
      ['reason', 'string'],
      ['callback_number', 'phone'],
      ['mood', 'enum'],
      ['visit.date', 'date'],
      ['visit.party_size', 'integer'],
      ['services', 'enum'],
    ]);
    expect(fields[6]).toMatchObject({ list: true, values: ['cleaning', 'checkup'] });
  });

  it('rebuilds nested objects and nulls the rest', () => {
    const returns = { caller_name: 'string', visit: { type: 'object', properties: { date: 'date', party_size: 'integer' } }, other: { type: 'object', properties: { x: 'string' } } };
    expect(assemble(returns, new Map<string, unknown>([['caller_name', 'Ada'], ['visit.party_size', 4]]))).toEqual({ caller_name: 'Ada', visit: { date: null, party_size: 4 }, other: null });
  });

  it('labels camelCase and snake_case names', () => expect([labelOf('callbackNumber'), labelOf('party_size')]).toEqual(['callback number', 'party size']));
});

describe('phrasing', () => {
  const [name, reason, phone, mood, newPatient, email, when] = fieldsOf({
    caller_name: 'string',
    reason: 'string',
    callback_number: 'phone',
    service: { type: 'string', enum: ['a cleaning', 'a checkup'], description: 'Which service the caller wants' },
    is_new_patient: 'boolean',
    email: 'email',
    appointment: { type: 'datetime', description: "The caller's preferred appointment time" },
  });

  it('phrases each question from the name, or from the description when there is one', () => {
    expect([name, reason, phone, mood, newPatient, email, when].map((f) => questionFor(f!))).toEqual([
      "What's your name?",
      "What's the reason for your call?",
      "What's the best number to call you back on?",
      'Which service you want: a cleaning, or a checkup?',
      'Are you a new patient?',
      "What's your email address?",
      "What's your preferred appointment time?",
    ]);
  });

  it('echoes an answer in the second person and asks yes/no for a doubtful one', () => {
    expect(echoFor(name!, { value: 'Ada Lovelace' })).toBe('Thanks, Ada Lovelace.');
    expect(echoFor(reason!, { value: "I'd like to move my cleaning" })).toBe("Got it: you'd like to move your cleaning.");
    expect(confirmFor(phone!, { value: '+15555550100', spoken: '5 5 5, 5 5 5, 0 1 0 0' })).toBe('I heard 5 5 5, 5 5 5, 0 1 0 0 for callback number. Is that right?');
    expect(secondPerson('I am sure my son needs me')).toBe('you are sure your son needs you');
    expect(summary([[name!, { value: 'Ada Lovelace' }]])).toBe("Here's what I have. Name: Ada Lovelace.");
  });
});
