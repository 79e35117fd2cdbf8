import pino from 'pino';

export type Logger = pino.Logger;

/** The process logger: JSON lines on stderr so stdout stays for what the operator must read. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
