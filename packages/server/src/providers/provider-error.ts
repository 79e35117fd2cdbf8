/**
 * Errors of the speech and language providers (STYLE rule 7: errors say what to do next).
 * `code` is the call's `error_code` when a provider ends a call (`calls.md`).
 */

/** The `error_code` a provider failure becomes on the call. */
export type ProviderErrorCode = 'provider_auth' | 'provider_unavailable' | 'provider_timeout';

/** A provider could not do its work. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly code: ProviderErrorCode,
    readonly providerId: string,
    readonly options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
  }
  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

/** What an operator installs to bring a missing offline component back. */
export interface InstallHint {
  /** Debian/Ubuntu packages, installed with `apt-get install -y …` as root. */
  readonly debian?: readonly string[];
  /** npm packages (normally already dependencies of `@callingbox/server`; missing after a partial install). */
  readonly npm?: readonly string[];
}

/**
 * An offline component's library, model file or package is not on this machine. Never retried:
 * the message names what to install, and `fallback` says what the platform does meanwhile.
 */
export class ComponentMissingError extends ProviderError {
  constructor(
    readonly component: 'vad' | 'stt' | 'tts',
    providerId: string,
    readonly missing: string,
    readonly install: InstallHint,
    readonly fallback: string,
    cause?: unknown,
  ) {
    super(`${providerId} ${component} is unavailable: ${missing}. Install it with: ${installCommand(install)}. Until then: ${fallback}.`, 'provider_unavailable', providerId, { retryable: false, cause });
  }
  /** The exact shell command that installs what is missing. */
  get command(): string {
    return installCommand(this.install);
  }
}

/** One shell line that installs the packages of a hint. */
export function installCommand(hint: InstallHint): string {
  const parts: string[] = [];
  if (hint.debian?.length) parts.push(`apt-get update && apt-get install -y ${hint.debian.join(' ')}`);
  if (hint.npm?.length) parts.push(`npm install ${hint.npm.join(' ')}`);
  return parts.join(' && ');
}
