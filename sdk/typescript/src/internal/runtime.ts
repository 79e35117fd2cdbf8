/**
 * Access to Node's built-in modules without importing them, so the SDK loads unchanged in
 * browsers, Deno, Bun and both module systems of Node. `process.getBuiltinModule` exists from
 * Node 20.16 / 22.3; the CommonJS build also finds `require`.
 */

// Defined by Node's CommonJS module wrapper only; `typeof` keeps the ESM build from touching it.
declare const require: ((id: string) => unknown) | undefined;

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
  cwd?: () => string;
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcessLike | undefined {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  return p !== undefined && typeof p === 'object' ? p : undefined;
}

/** A Node built-in module, or undefined where the runtime has none. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const p = nodeProcess();
  try {
    if (typeof p?.getBuiltinModule === 'function') return p.getBuiltinModule(id) as T | undefined;
    // The CommonJS build runs inside Node's module wrapper, which defines `require`.
    if (typeof require === 'function') return require(id) as T;
  } catch {
    return undefined;
  }
  return undefined;
}

/** An environment variable, or undefined outside Node-like runtimes. */
export function envVar(name: string): string | undefined {
  const value = nodeProcess()?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The working directory, or undefined outside Node-like runtimes. */
export function cwd(): string | undefined {
  try {
    return nodeProcess()?.cwd?.();
  } catch {
    return undefined;
  }
}

/** True in Node (also Bun and Deno's Node compatibility), where `User-Agent` may be set. */
export function isNodeLike(): boolean {
  return typeof nodeProcess()?.versions?.node === 'string';
}
