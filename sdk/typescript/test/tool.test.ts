import { describe, expect, it } from 'vitest';
import { tool } from '../src/index.js';

describe('tool builders', () => {
  it('build the HTTP tool wire format', () => {
    const built = tool.http({
      name: 'book_slot',
      description: 'Book a slot',
      url: 'https://example.com/book',
      policy: 'confirm_first_write',
      parameters: tool.object(
        { day: tool.string('YYYY-MM-DD'), party: tool.number(), vip: tool.boolean(), kind: tool.enum(['cut', 'color']) },
        { required: ['day'] },
      ),
      timeout_ms: 3000,
    });
    expect(built).toEqual({
      type: 'http',
      name: 'book_slot',
      description: 'Book a slot',
      url: 'https://example.com/book',
      policy: 'confirm_first_write',
      timeout_ms: 3000,
      parameters: {
        type: 'object',
        properties: {
          day: { type: 'string', description: 'YYYY-MM-DD' },
          party: { type: 'number' },
          vip: { type: 'boolean' },
          kind: { type: 'string', enum: ['cut', 'color'] },
        },
        required: ['day'],
      },
    });
  });

  it('wrap a bare map of properties into an object schema', () => {
    const built = tool.http({ name: 'lookup', description: 'Look up', url: 'https://x.test', policy: 'read', parameters: { id: tool.string() } });
    expect(built.parameters).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
  });

  it('build built-ins', () => {
    expect(tool.builtin({ name: 'end_call' })).toEqual({ type: 'builtin', name: 'end_call' });
    expect(tool.builtin({ name: 'transfer_call', destinations: [{ name: 'front desk', number: '+14155550100' }] })).toEqual({
      type: 'builtin',
      name: 'transfer_call',
      destinations: [{ name: 'front desk', number: '+14155550100' }],
    });
    expect(tool.enum([1, 2, 3])).toEqual({ type: 'number', enum: [1, 2, 3] });
  });
});
