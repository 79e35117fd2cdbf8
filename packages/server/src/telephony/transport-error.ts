import { CallingBoxError } from '../core/errors.ts';

/** Where in the telephony stack a failure happened. */
export type TransportErrorKind = 'bind' | 'send' | 'protocol' | 'timeout' | 'rejected';

/**
 * A carrier failure (STYLE rule 7): `kind` says where, `retryable` whether trying again may help,
 * `sipStatus` carries the SIP code when a far end answered with one.
 */
export class TransportError extends CallingBoxError {
  constructor(
    message: string,
    readonly kind: TransportErrorKind,
    opts: { retryable?: boolean; cause?: unknown; sipStatus?: number } = {},
  ) {
    super(message, 'carrier_error', { retryable: opts.retryable ?? false, cause: opts.cause });
    this.sipStatus = opts.sipStatus;
  }
  readonly sipStatus: number | undefined;
}
