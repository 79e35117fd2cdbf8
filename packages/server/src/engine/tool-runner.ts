/**
 * The tool runner of one call (`calls.md` → Tools): HTTP tools (validated, signed by the client,
 * SSRF-guarded, timed out), `confirm_first_write`, and the built-ins `end_call`, `send_dtmf` and
 * `transfer_call`. Each tool call id runs at most once; every execution is journaled. A tool's
 * failure is its outcome (`{ error }` for the model to speak about), never an exception; only an
 * aborted signal rejects, with the signal's AbortError.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Clock } from '../core/clock.ts';
import type { TransferResult } from '../telephony/transport.ts';
import type { ToolInvocation, ToolOutcome, ToolRunner } from './dialogue.ts';
import { DTMF_DIGITS, toolDefinitions, type BuiltinToolDefinition, type HttpToolDefinition, type ToolDefinition } from './tool-definitions.ts';

/** `calls.md` → Tools: "timeout_ms"?: 5000. */
export const DEFAULT_TOOL_TIMEOUT_MS = 5000;
/** `calls.md` → Tools: the JSON answer fed back to the model is at most 64 KiB. */
export const MAX_TOOL_ANSWER_BYTES = 64 * 1024;

/** How a bridged transfer went: connected, or why not (`LegResult` outcomes, or the call `ended` first). */
export type BridgeResult =
  | { readonly bridged: true }
  | { readonly bridged: false; readonly reason: 'busy' | 'no_answer' | 'canceled' | 'failed' | 'no_route' | 'ended'; readonly status?: number };

/** What the tool runner may do to the live call; the session implements it over the transport. */
export interface CallControl {
  /** Hang up (`agent_hangup`) once the reply being generated has been played. */
  endAfterReply(): void;
  /** Sends RFC 4733 events to the caller. */
  sendDtmf(digits: string, signal: AbortSignal): Promise<void>;
  /** Cold transfer (SIP REFER); absent when the line cannot transfer. */
  transfer?(number: string, signal: AbortSignal): Promise<TransferResult>;
  /**
   * Bridged transfer: dials `number` on a new leg and, once it answers, connects the caller to it
   * while the agent leaves the call. Absent when the call has no way to place a leg.
   */
  bridge?(number: string, signal: AbortSignal): Promise<BridgeResult>;
  /** Appends a call event (`calls.md` → Call events): `dtmf`, `transfer`. */
  recordEvent(type: string, data: Record<string, unknown>): Promise<void>;
}

export interface HttpToolRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Everything but the signature and content type, which the client adds. */
  readonly headers: Readonly<Record<string, string>>;
  /** The arguments object; the client serialises it once and signs exactly those bytes. */
  readonly body: unknown;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface HttpToolResponse {
  readonly status: number;
  /** The parsed JSON answer, its text when it is not JSON, `null` when empty. */
  readonly body: unknown;
}

/**
 * Sends one HTTP tool request (implemented outside the engine: `calls/http-tool-client.ts`). Rejects
 * with an Error whose message the model may hear ("timed out after 5000 ms", "… private or
 * reserved address …", "answer larger than 65536 bytes") and with an AbortError when `signal` aborted.
 */
export interface HttpToolClient {
  post(req: HttpToolRequest): Promise<HttpToolResponse>;
}

/** The `tool_call` call event (`calls.md` → Call events). */
export interface ToolCallEvent {
  readonly tool_call_id: string;
  readonly name: string;
  readonly arguments: unknown;
  readonly result: unknown;
  readonly status: ToolOutcome['status'];
  readonly duration_ms: number;
}

export interface ToolRunnerDeps {
  /** The snapshot's `tools` (an array of tool definitions). */
  readonly tools: unknown;
  readonly callId: string;
  readonly agentId: string;
  readonly clock: Clock;
  readonly control: CallControl;
  readonly http: HttpToolClient;
  readonly journal: (event: ToolCallEvent) => Promise<void>;
  /** Where a failed journal or event write is reported; such a failure never fails the tool call. */
  readonly log?: { warn(obj: object, msg: string): void };
}

// "Clearly agreed": one of these, and none of the vetoes anywhere in the turn.
const AGREES = /\b(yes|yeah|yep|yup|sure|correct|absolutely|definitely|of course|go ahead|please do|do it|that's right|that is right|sounds good|ok|okay)\b/;
const VETOES = /\b(no|nope|not|don't|do not|wait|stop|cancel|hold on|never mind|nevermind)\b/;

/** True when the caller's last turn clearly agrees (`confirm_first_write`). */
export function clearlyAgrees(callerLastTurn: string): boolean {
  const t = callerLastTurn.toLowerCase().replace(/[\u2018\u2019]/g, "'");
  return AGREES.test(t) && !VETOES.test(t);
}

const outcome = (result: unknown, status: ToolOutcome['status']): ToolOutcome => ({ result, status });
const failure = (error: string): ToolOutcome => outcome({ error }, 'error');

/** Builds the tool runner of one call. */
export function createToolRunner(deps: ToolRunnerDeps): ToolRunner {
  const tools = toolDefinitions(deps.tools);
  const done = new Map<string, Promise<ToolOutcome>>();
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const validators = new Map<string, ValidateFunction | string>();
  // The call goes on when the store hiccups: the outcome still reaches the model.
  const quietly = async (what: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (err) {
      deps.log?.warn({ err, callId: deps.callId }, `tool runner: could not record the ${what}`);
    }
  };
  const journal = (e: ToolCallEvent): Promise<void> => quietly('tool_call event', () => deps.journal(e));
  const recordEvent = (type: string, data: Record<string, unknown>): Promise<void> => quietly(`${type} event`, () => deps.control.recordEvent(type, data));

  function validator(tool: HttpToolDefinition): ValidateFunction | string {
    let v = validators.get(tool.name);
    if (v === undefined) {
      try {
        v = ajv.compile(tool.parameters);
      } catch (e) {
        v = `the tool's parameters schema is invalid: ${(e as Error).message}`;
      }
      validators.set(tool.name, v);
    }
    return v;
  }

  async function http(tool: HttpToolDefinition, call: ToolInvocation, signal: AbortSignal): Promise<ToolOutcome> {
    const validate = validator(tool);
    if (typeof validate === 'string') return failure(validate);
    if (!validate(call.arguments)) return failure(`invalid arguments: ${ajv.errorsText(validate.errors, { dataVar: 'arguments' })}`);
    const ours: Record<string, string> = {
      'CallingBox-Call-Id': deps.callId,
      'CallingBox-Agent-Id': deps.agentId,
      'CallingBox-Tool-Name': tool.name,
      'Idempotency-Key': call.id,
    };
    // The owner's headers never override ours or the signature.
    const reserved = new Set([...Object.keys(ours), 'CallingBox-Signature', 'Content-Type'].map((h) => h.toLowerCase()));
    const theirs = Object.entries(tool.headers ?? {}).filter(([k]) => !reserved.has(k.toLowerCase()));
    const timeoutMs = tool.timeout_ms ?? DEFAULT_TOOL_TIMEOUT_MS;
    let res;
    try {
      res = await deps.http.post({ url: tool.url, method: tool.method ?? 'POST', headers: { ...Object.fromEntries(theirs), ...ours }, body: call.arguments, timeoutMs, signal });
    } catch (e) {
      signal.throwIfAborted();
      return failure(e instanceof Error ? e.message : String(e));
    }
    if (res.status < 200 || res.status > 299) return failure(`HTTP ${res.status}`);
    if (Buffer.byteLength(JSON.stringify(res.body ?? null)) > MAX_TOOL_ANSWER_BYTES + 2) return failure(`answer larger than ${MAX_TOOL_ANSWER_BYTES} bytes`);
    return outcome(res.body ?? { ok: true }, 'ok');
  }

  async function transfer(tool: BuiltinToolDefinition | undefined, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutcome> {
    const names = (tool?.destinations ?? []).map((d) => d.name);
    const wanted = typeof args.destination === 'string' ? args.destination.trim().toLowerCase() : '';
    // Only a destination the owner listed, by name: a number from the model is never dialled (toll fraud).
    const dest = tool?.destinations?.find((d) => d.name.toLowerCase() === wanted);
    if (!dest) return failure(`unknown destination '${String(args.destination)}'; choose one of: ${names.join(', ')}`);
    const record = (method: 'refer' | 'bridge', status: 'completed' | 'failed', why?: { reason?: string; status?: number }): Promise<void> =>
      recordEvent('transfer', {
        destination_name: dest.name, number: dest.number, method, status,
        ...(why?.reason ? { reason: why.reason } : {}), ...(why?.status !== undefined ? { sip_status: why.status } : {}),
      });
    const { control } = deps;
    const attempt = async <R>(run: () => Promise<R>, failed: R): Promise<R> => {
      try {
        return await run();
      } catch {
        signal.throwIfAborted();
        return failed;
      }
    };
    // Cold transfer first (SIP REFER): the far end calls the destination itself.
    let refer: TransferResult = { transferred: false, reason: 'unsupported' };
    if (control.transfer) {
      refer = await attempt(() => control.transfer!(dest.number, signal), { transferred: false, reason: 'failed' });
      await record('refer', refer.transferred ? 'completed' : 'failed', refer.transferred ? undefined : refer);
      if (refer.transferred) return outcome({ ok: true, transferred_to: dest.name }, 'ok');
    }
    // telephony.md → Transfer: when the far end will not take the REFER, bridge an outbound leg. A
    // REFER it accepted but could not complete is not retried: the caller's side may hold the call.
    const refused = refer.reason === 'rejected' || refer.reason === 'unsupported' || refer.reason === 'timeout';
    if (!refused || !control.bridge) {
      if (!control.transfer) await record('refer', 'failed', { reason: 'unsupported' });
      return failure(refer.reason === 'unsupported' ? 'this line cannot transfer calls' : `the transfer failed (${refer.reason})`);
    }
    const bridge = await attempt(() => control.bridge!(dest.number, signal), { bridged: false, reason: 'failed' } as BridgeResult);
    await record('bridge', bridge.bridged ? 'completed' : 'failed', bridge.bridged ? undefined : bridge);
    if (bridge.bridged) return outcome({ ok: true, transferred_to: dest.name }, 'ok');
    return failure(`the transfer failed (${bridge.reason})`);
  }

  async function execute(call: ToolInvocation, tool: ToolDefinition | undefined, opts: { signal: AbortSignal; callerLastTurn: string }): Promise<ToolOutcome> {
    const args = (typeof call.arguments === 'object' && call.arguments !== null ? call.arguments : {}) as Record<string, unknown>;
    if (call.name === 'end_call') {
      deps.control.endAfterReply();
      return outcome({ ok: true }, 'ok');
    }
    if (!tool) return failure(`unknown tool '${call.name}'`);
    if (tool.type === 'http') {
      if (tool.policy === 'confirm_first_write' && !clearlyAgrees(opts.callerLastTurn)) return outcome({ status: 'confirmation_required' }, 'skipped');
      return http(tool, call, opts.signal);
    }
    if (tool.name === 'send_dtmf') {
      const digits = typeof args.digits === 'string' ? args.digits.replace(/\s+/g, '') : '';
      if (!DTMF_DIGITS.test(digits)) return failure('digits must be keys 0-9, *, #, A-D');
      try {
        await deps.control.sendDtmf(digits, opts.signal);
      } catch (e) {
        opts.signal.throwIfAborted();
        return failure(`could not send the keys: ${e instanceof Error ? e.message : String(e)}`);
      }
      await recordEvent('dtmf', { digits, direction: 'to_caller' });
      return outcome({ ok: true }, 'ok');
    }
    return transfer(tool, args, opts.signal);
  }

  async function runOnce(call: ToolInvocation, opts: { signal: AbortSignal; callerLastTurn: string }): Promise<ToolOutcome> {
    const started = deps.clock.now();
    // `end_call` is always available; the others only when the agent lists them.
    const tool = tools.find((t) => t.name === call.name);
    let result: ToolOutcome;
    try {
      result = await execute(call, tool, opts);
    } catch (e) {
      if (!opts.signal.aborted) throw e;
      // Journal a cancelled execution too: an HTTP request may have reached the server.
      await journal({ tool_call_id: call.id, name: call.name, arguments: call.arguments, result: { error: 'cancelled' }, status: 'error', duration_ms: deps.clock.now() - started });
      throw e;
    }
    await journal({ tool_call_id: call.id, name: call.name, arguments: call.arguments, result: result.result, status: result.status, duration_ms: deps.clock.now() - started });
    return result;
  }

  return {
    async run(call, opts) {
      opts.signal.throwIfAborted();
      const prior = done.get(call.id);
      if (prior) {
        let first: ToolOutcome | undefined;
        try {
          first = await prior;
        } catch {
          // The first attempt was cancelled; this one runs (below) unless it is cancelled too.
          opts.signal.throwIfAborted();
        }
        if (first) {
          await journal({ tool_call_id: call.id, name: call.name, arguments: call.arguments, result: first.result, status: 'skipped', duration_ms: 0 });
          return outcome(first.result, 'skipped');
        }
        if (done.get(call.id) !== prior) return this.run(call, opts);
      }
      const p = runOnce(call, opts);
      done.set(call.id, p);
      try {
        return await p;
      } catch (e) {
        if (done.get(call.id) === p) done.delete(call.id);
        throw e;
      }
    },
  };
}
