/**
 * Keypad entry as IVRs collect it: digits gather until `#` (not part of the entry), a pause of
 * `idleMs`, or 32 digits; then the entry goes to the dialogue as one caller turn (`[DTMF 4155550134]`).
 */
import type { Clock } from '../core/clock.ts';
import { isAbortError } from '../core/errors.ts';

/** Longest entry kept before it is handed on without waiting for `#`. */
const MAX_DIGITS = 32;

export class DtmfEntry {
  private digits = '';
  private idle: AbortController | null = null;

  constructor(
    private readonly o: {
      clock: Clock;
      idleMs: number;
      /** Ends the pending pause timer (the call ended). */
      signal: AbortSignal;
      onEntry: (digits: string) => void;
      /** Where the pause timer's promise goes (the session tracks it). */
      track: (p: Promise<unknown>) => void;
    },
  ) {}

  press(digit: string): void {
    this.idle?.abort();
    if (digit !== '#') this.digits += digit;
    if (digit === '#' || this.digits.length >= MAX_DIGITS) return this.flush();
    const ac = new AbortController();
    this.idle = ac;
    this.o.track(
      this.o.clock.sleep(this.o.idleMs, AbortSignal.any([ac.signal, this.o.signal])).then(
        () => this.flush(),
        (e: unknown) => {
          if (!isAbortError(e)) throw e;
        },
      ),
    );
  }

  /** Drops a half-typed entry (the agent left the call: a bridge took over). */
  cancel(): void {
    this.idle?.abort();
    this.digits = '';
  }

  private flush(): void {
    const digits = this.digits;
    this.digits = '';
    if (digits && !this.o.signal.aborted) this.o.onEntry(digits);
  }
}
