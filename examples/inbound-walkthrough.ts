/**
 * The inbound-agent walkthrough of the product docs, with the TypeScript SDK.
 *
 * Run against a local server (its credentials.json is found by itself, or set
 * CALLINGBOX_BASE_URL and CALLINGBOX_API_KEY):
 *
 *   node --import tsx examples/inbound-walkthrough.ts
 */
import { CallingBox } from 'callingbox';

const client = new CallingBox();

// Two sandbox numbers: one for the front desk, one that will move to the after-hours agent.
const available = await client.numbers.searchAvailable({ area_code: '415', limit: 2 });
if (available.length < 2) throw new Error('The sandbox has fewer than two numbers left in area code 415.');
const main = await client.numbers.purchase(available[0]!.phone_number);
const spare = await client.numbers.purchase(available[1]!.phone_number);
console.log('purchased', main.e164, spare.e164);

// An inbound agent that answers both numbers and extracts a message from every call.
const agent = await client.agents.create({
  name: 'Front desk',
  type: 'inbound',
  instructions: 'Take a message: ask who is calling, why, and the best number to call back.',
  returns: { caller_name: 'string', reason: 'string', callback_number: 'string' },
  voicemail_action: 'hangup',
  number_ids: [main.id, spare.id],
});
console.log('created agent', agent.id, 'primary number', agent.primary_number_id);

// Change its instructions: the next call uses them.
const updated = await client.agents.update(agent.id, {
  instructions: 'Take a message, and say that we call back within one business day.',
});
console.log('updated agent to version', updated.version);

// Move the spare number to a second inbound agent.
const afterHours = await client.agents.create({ name: 'After hours', type: 'inbound', instructions: 'Say we are closed.' });
await client.agents.detachNumber(agent.id, spare.id);
const moved = await client.agents.attachNumber(afterHours.id, { number_id: spare.id });
console.log('moved', spare.e164, 'to', moved.name, moved.numbers.map((n) => n.e164));

// Every inbound call of the front desk agent, across all pages.
for await (const call of client.calls.list({ direction: 'inbound', agent_id: agent.id })) {
  if (call.direction !== 'inbound' || call.agent_id !== agent.id) continue;
  console.log(call.id, call.to_number, call.result);
}
console.log('done');
