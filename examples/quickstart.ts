/**
 * The five-line quickstart of sdk/typescript/README.md (a client built from CALLINGBOX_API_KEY /
 * CALLINGBOX_BASE_URL, or from a local server's credentials.json).
 *
 *   node --import tsx examples/quickstart.ts
 */
import { CallingBox } from 'callingbox';

const client = new CallingBox();
const [free] = await client.numbers.searchAvailable({ area_code: '415' });
const number = await client.numbers.purchase(free!.phone_number);
const agent = await client.agents.create({ name: 'Front desk', type: 'inbound', instructions: 'Take a message.', number_ids: [number.id] });
console.log(agent.id, 'answers', number.e164);
