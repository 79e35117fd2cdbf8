/**
 * Binds Debian's pocketsphinx 0.8+5prealpha (`libpocketsphinx.so.3`, `libsphinxbase.so.3`) into
 * the process through koffi's FFI: no compiler, no subprocess, and the decoding calls run on
 * libuv's thread pool (`.async`) so the event loop — and every call's RTP pacer — never waits
 * for the recogniser.
 *
 * Why koffi rather than a spawned `pocketsphinx_continuous`: streaming partials, one decoder
 * (≈96 MB, 0.3 s to load) reused across utterances and calls, grammar switching between
 * questions, and no per-utterance process start (offline-speech notes F4, F8).
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { ComponentMissingError } from '../../provider-error.ts';

/** Where Debian's `pocketsphinx-en-us` puts the US English model. */
export const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** The Debian packages the recogniser needs (the model, and the library with its sphinxbase). */
export const POCKETSPHINX_DEBIAN_PACKAGES = ['pocketsphinx-en-us', 'libpocketsphinx3'] as const;

const FALLBACK = 'the intake dialogue takes keypad (DTMF) answers instead of speech';

type Ptr = unknown;
type Cb<T> = (err: unknown, res: T) => void;
interface AsyncFn<A extends unknown[], R> {
  (...args: A): R;
  async(...args: [...A, Cb<R>]): void;
}

/** The C functions used, typed. Pointers are opaque. */
export interface PocketsphinxLib {
  readonly ps_args: () => Ptr;
  readonly cmd_ln_parse_r: (inout: Ptr, defn: Ptr, argc: number, argv: string[], strict: number) => Ptr;
  readonly cmd_ln_free_r: (cmdln: Ptr) => number;
  readonly ps_init: AsyncFn<[Ptr], Ptr>;
  readonly ps_free: (ps: Ptr) => number;
  readonly ps_start_utt: (ps: Ptr) => number;
  readonly ps_end_utt: AsyncFn<[Ptr], number>;
  readonly ps_process_raw: AsyncFn<[Ptr, Int16Array, number, number, number], number>;
  readonly ps_get_hyp: (ps: Ptr, score: [number]) => string | null;
  readonly ps_get_in_speech: (ps: Ptr) => number;
  readonly ps_set_search: (ps: Ptr, name: string) => number;
  readonly ps_set_jsgf_string: (ps: Ptr, name: string, jsgf: string) => number;
  readonly ps_set_kws: (ps: Ptr, name: string, keyfile: string) => number;
  readonly ps_unset_search: (ps: Ptr, name: string) => number;
}

export interface PocketsphinxInstall {
  readonly lib: PocketsphinxLib;
  readonly modelDir: string;
}

let cached: PocketsphinxInstall | undefined;

/**
 * Loads the library and checks the model, once per process. Throws `ComponentMissingError` with
 * the exact `apt-get` or `npm` command when a piece is missing.
 */
export function loadPocketsphinx(modelDir = DEBIAN_MODEL_DIR): PocketsphinxInstall {
  if (cached && cached.modelDir === modelDir) return cached;
  for (const f of ['en-us/mdef', 'en-us.lm.bin', 'cmudict-en-us.dict']) {
    if (!fs.existsSync(`${modelDir}/${f}`)) {
      throw new ComponentMissingError('stt', 'local', `the pocketsphinx US English model is missing (${modelDir}/${f})`, { debian: ['pocketsphinx-en-us'] }, FALLBACK);
    }
  }
  let koffi: typeof import('koffi');
  try {
    koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  } catch (cause) {
    throw new ComponentMissingError('stt', 'local', 'the FFI package koffi cannot load', { npm: ['koffi@3.3.4'] }, FALLBACK, cause);
  }
  let ps: ReturnType<typeof koffi.load>;
  let sb: ReturnType<typeof koffi.load>;
  try {
    ps = koffi.load('libpocketsphinx.so.3');
    sb = koffi.load('libsphinxbase.so.3');
  } catch (cause) {
    throw new ComponentMissingError('stt', 'local', 'the pocketsphinx library (libpocketsphinx.so.3) is not installed', { debian: ['libpocketsphinx3'] }, FALLBACK, cause);
  }
  const lib = {
    ps_args: ps.func('void *ps_args()'),
    cmd_ln_parse_r: sb.func('void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)'),
    cmd_ln_free_r: sb.func('int cmd_ln_free_r(void *cmdln)'),
    ps_init: ps.func('void *ps_init(void *config)'),
    ps_free: ps.func('int ps_free(void *ps)'),
    ps_start_utt: ps.func('int ps_start_utt(void *ps)'),
    ps_end_utt: ps.func('int ps_end_utt(void *ps)'),
    ps_process_raw: ps.func('int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)'),
    ps_get_hyp: ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)'),
    ps_get_in_speech: ps.func('int ps_get_in_speech(void *ps)'),
    ps_set_search: ps.func('int ps_set_search(void *ps, const char *name)'),
    ps_set_jsgf_string: ps.func('int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)'),
    ps_set_kws: ps.func('int ps_set_kws(void *ps, const char *name, const char *keyfile)'),
    ps_unset_search: ps.func('int ps_unset_search(void *ps, const char *name)'),
  } as unknown as PocketsphinxLib;
  cached = { lib, modelDir };
  return cached;
}

/** Runs a koffi `.async` call as a promise. */
export function callAsync<A extends unknown[], R>(fn: AsyncFn<A, R>, ...args: A): Promise<R> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, res: R) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
  });
}
