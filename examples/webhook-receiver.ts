/**
 * A webhook receiver with node:http only: verifies `CallingBox-Signature` and prints each event.
 * Point an agent's `webhook_url` (or a webhook endpoint) at it.
 *
 *   CALLINGBOX_WEBHOOK_SECRET=whsec_... node --import tsx examples/webhook-receiver.ts 8000
 *
 * The secret is `(await client.webhookSecret.retrieve()).secret` for agent and call webhook URLs,
 * or the `signing_secret` returned when a webhook endpoint was created. Port 0 picks a free one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookVerificationError, Webhooks } from 'callingbox';

const secret = process.env.CALLINGBOX_WEBHOOK_SECRET;
if (!secret) throw new Error('Set CALLINGBOX_WEBHOOK_SECRET.');
const seen = new Set<string>(); // deliveries are retried with the same id: handle each once

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks); // the raw bytes, unparsed: they are what was signed
    try {
      const event = Webhooks.constructEvent(raw, req.headers['callingbox-signature'] as string | undefined, secret);
      if (!seen.has(event.id)) {
        seen.add(event.id);
        const call = event.data.call;
        console.log(event.id, event.type, call.id, call.status, event.type === 'call.completed' ? JSON.stringify(call.result) : '');
      }
      res.writeHead(204).end(); // answer 2xx fast: the platform waits at most 10 s
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
    }
  });
});

server.listen(Number(process.argv[2] ?? 8000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
