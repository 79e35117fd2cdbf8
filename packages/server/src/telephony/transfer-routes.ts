/**
 * The port through which a call's transfer reaches a destination (`telephony.md` → Transfer):
 * the URI a REFER names, and the outbound leg of a bridged transfer. The composition root builds
 * one per call from the line the call came in on (its SIP trunk, or the sandbox); the voice loop
 * only sees this interface.
 */
import type { MediaTransport } from './transport.ts';

/** How the outbound leg of a bridged transfer went. */
export type LegResult =
  | { readonly answered: true; readonly leg: MediaTransport }
  | {
      readonly answered: false;
      /** `no_route`: this line has no way out to the number (a trunk without `outbound_uri`, …). */
      readonly outcome: 'busy' | 'no_answer' | 'canceled' | 'failed' | 'no_route';
      readonly status?: number;
    };

/** Where a transfer from one call goes. */
export interface TransferRoutes {
  /**
   * The target a REFER names so that the far end (or its carrier) calls `number` itself: a SIP
   * URI through the same carrier when there is one, else `tel:` (RFC 3966).
   */
  referTarget(number: string, opts: { signal: AbortSignal }): Promise<string>;
  /** Places the bridged leg to `number`; resolves when it answered or definitely failed, never rejects. */
  dial(number: string, opts: { signal: AbortSignal }): Promise<LegResult>;
}
