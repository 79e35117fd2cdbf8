/**
 * The HTTP tools' client (`calls.md` → Tools): the engine's `HttpToolClient` over the webhooks'
 * `HttpSender` (its SSRF-guarded undici pool, so `CALLINGBOX_ALLOW_PRIVATE_WEBHOOKS` applies to
 * tool URLs as it does to webhooks) and signer (`CallingBox-Signature` with the organisation's
 * default secret, over the exact bytes sent, as `webhooks.md` → Signature says).
 */
import type { HttpToolClient, HttpToolRequest, HttpToolResponse } from '../engine/tool-runner.ts';
import { MAX_TOOL_ANSWER_BYTES } from '../engine/tool-runner.ts';
import type { HttpSender } from '../webhooks/http-sender.ts';
import { signatureHeader } from '../webhooks/signing.ts';
import { VERSION } from '../version.ts';

export interface SignedHttpToolClientOptions {
  /** The process's sender (one keep-alive pool and one SSRF policy for webhooks and tools). */
  readonly sender: HttpSender;
  /** The organisation's default webhook signing secret (`whsec_…`). */
  readonly secret: string;
  /** Wall-clock milliseconds for the signature's `t` (the signature is checked against real time). */
  readonly now?: () => number;
}

/** Signs and sends HTTP tool requests; one per call (the secret is the call's organisation's). */
export class SignedHttpToolClient implements HttpToolClient {
  constructor(private readonly o: SignedHttpToolClientOptions) {}

  async post(req: HttpToolRequest): Promise<HttpToolResponse> {
    req.signal.throwIfAborted();
    const body = JSON.stringify(req.body ?? {});
    const t = Math.floor((this.o.now ?? Date.now)() / 1000);
    const headers = { ...req.headers, 'CallingBox-Signature': signatureHeader(this.o.secret, t, body), 'User-Agent': `CallingBox-Tools/${VERSION}` };
    // One byte more than allowed tells an answer at the limit from a larger one.
    const r = await this.o.sender.post(req.url, body, headers, req.signal, { method: req.method, timeoutMs: req.timeoutMs, maxResponseBytes: MAX_TOOL_ANSWER_BYTES + 1 });
    req.signal.throwIfAborted();
    if (r.status === null) throw new Error(r.timedOut ? `timed out after ${req.timeoutMs} ms` : (r.error ?? 'no answer'));
    if (Buffer.byteLength(r.body) > MAX_TOOL_ANSWER_BYTES) throw new Error(`answer larger than ${MAX_TOOL_ANSWER_BYTES} bytes`);
    return { status: r.status, body: parse(r.body) };
  }
}

function parse(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
