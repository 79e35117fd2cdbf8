import { cwd, envVar, nodeBuiltin } from './runtime.js';

/** Content of the `credentials.json` a local server writes into its data directory. */
export interface StoredCredentials {
  api_key?: string;
  base_url?: string;
  org_id?: string;
  created_at?: string;
}

/** The address a local server listens on unless `PORT` says otherwise. */
export const DEFAULT_BASE_URL = 'http://localhost:8080';

/** What the client ends up with after options, environment and credentials.json are read. */
export interface ResolvedSettings {
  apiKey: string | undefined;
  baseUrl: string;
}

interface FsLike { readFileSync(path: string, encoding: 'utf8'): string }
interface PathLike { resolve(...parts: string[]): string; join(...parts: string[]): string }

/**
 * Reads `credentials.json` from `CALLINGBOX_DATA_DIR` (else `./.callingbox/`). Returns undefined
 * where there is no file system or no readable, well-formed file.
 */
export function readStoredCredentials(): StoredCredentials | undefined {
  const fs = nodeBuiltin<FsLike>('node:fs');
  const path = nodeBuiltin<PathLike>('node:path');
  if (!fs || !path) return undefined;
  const base = cwd();
  const dir = envVar('CALLINGBOX_DATA_DIR') ?? (base === undefined ? undefined : path.join(base, '.callingbox'));
  if (dir === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(path.resolve(dir), 'credentials.json'), 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as StoredCredentials) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the key and base URL: explicit options first, then `CALLINGBOX_API_KEY` /
 * `CALLINGBOX_BASE_URL`, then (only when no key was found) the local server's credentials.json,
 * whose `base_url` is used too unless a base URL was given — it follows the server's `PORT`.
 */
export function resolveSettings(options: { apiKey?: string | undefined; baseUrl?: string | undefined }): ResolvedSettings {
  let apiKey = options.apiKey ?? envVar('CALLINGBOX_API_KEY');
  let baseUrl = options.baseUrl ?? envVar('CALLINGBOX_BASE_URL');
  if (apiKey === undefined) {
    const stored = readStoredCredentials();
    if (stored?.api_key) {
      apiKey = stored.api_key;
      baseUrl ??= stored.base_url;
    }
  }
  return { apiKey, baseUrl: (baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '') };
}
