/**
 * One pocketsphinx decoder: a loaded acoustic model, language model and dictionary (≈96 MB,
 * 0.3–1 s to create), used by one stream at a time. Calls are serialised; the heavy ones
 * (`ps_init`, `ps_process_raw`, `ps_end_utt`) run on the thread pool.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProviderError } from '../../provider-error.ts';
import type { RecognitionBias } from '../../stt.ts';
import { callAsync, type PocketsphinxInstall } from './library.ts';

/** pocketsphinx's name for the search built from `-lm`. */
const DEFAULT_SEARCH = '_default';

/**
 * Initial cepstral means for telephone audio (8 kHz G.711 upsampled to 16 kHz). The model's own
 * `feat.params` starts live CMN from wideband means, so the first utterance of a fresh decoder
 * on phone audio decodes as noise ("what", "hm") until CMN adapts. These values are where live
 * CMN converged on the real human recordings of Debian's `pocketsphinx-testdata` (LibriVox)
 * passed through 8 kHz μ-law — measured, not tuned on our synthetic test voice.
 */
export const TELEPHONE_CMN_INIT = [43.5, 39.2, -37.8, 36.8, -5.5, -23.8, 22.3, -22.4, -1.2, 11.3, -13.2, 6.9, -2.2] as const;

/**
 * Silence probability (`-silprob`, default 0.005). Raised so that the pause between digit groups
 * ("415 · 555 · 0134") is read as silence, not as an inserted digit, which the default and 0.1
 * did on a warmed-up decoder; the general model's results on our fixtures were unchanged by it.
 */
const SIL_PROB = '0.3';

export interface DecoderConfig {
  /**
   * Silence, in 10 ms frames, after which pocketsphinx's own voice detector ends an utterance
   * (`-vad_postspeech`, default 50). 30 = 300 ms, the default `min_endpointing_ms` of `calls.md`.
   */
  readonly postSpeechFrames?: number;
  /** Initial cepstral means; default `TELEPHONE_CMN_INIT`, `'model'` keeps the model's wideband ones. */
  readonly cmnInit?: readonly number[] | 'model';
  /** Extra command-line arguments (`['-beam', '1e-60']`). */
  readonly extraArgs?: readonly string[];
}

/** The grammar or keyword list was refused (a word missing from the dictionary, a JSGF syntax error). */
export class GrammarError extends ProviderError {
  constructor(name: string, detail: string) {
    super(`pocketsphinx refused the recognition bias '${name}': ${detail}. Every word must be in cmudict-en-us.dict, lower case, without punctuation.`, 'provider_unavailable', 'local');
  }
}

export class PocketsphinxDecoder {
  private readonly searches = new Map<string, string>();
  private inUtterance = false;
  private freed = false;
  /** Live CMN has been updated from real speech on this decoder (after its first utterance). */
  cmnAdapted = false;

  private constructor(
    private readonly install: PocketsphinxInstall,
    private readonly ps: unknown,
  ) {}

  /** Loads a decoder off the event loop. */
  static async create(install: PocketsphinxInstall, config: DecoderConfig = {}): Promise<PocketsphinxDecoder> {
    const { lib, modelDir } = install;
    // pocketsphinx reads feat.params after the command line and lets it win, so a different
    // `-cmninit` takes a copy of the model's feat.params (read during ps_init, removed after).
    const cmn = config.cmnInit ?? TELEPHONE_CMN_INIT;
    const dir = cmn === 'model' ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-ps-'));
    const featArgs: string[] = [];
    if (dir && cmn !== 'model') {
      const params = fs.readFileSync(`${modelDir}/en-us/feat.params`, 'utf8').replace(/^-cmninit .*$/m, '').trimEnd();
      fs.writeFileSync(path.join(dir, 'feat.params'), `${params}\n-cmninit ${cmn.join(',')}\n`);
      featArgs.push('-featparams', path.join(dir, 'feat.params'));
    }
    try {
      return await PocketsphinxDecoder.init(install, [...featArgs, '-silprob', SIL_PROB, '-vad_postspeech', String(config.postSpeechFrames ?? 30), ...(config.extraArgs ?? [])]);
    } finally {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private static async init(install: PocketsphinxInstall, args: readonly string[]): Promise<PocketsphinxDecoder> {
    const { lib, modelDir } = install;
    // Later arguments win (cmd_ln rejects a repeated flag).
    const byFlag = new Map<string, string>();
    const all = ['-hmm', `${modelDir}/en-us`, '-lm', `${modelDir}/en-us.lm.bin`, '-dict', `${modelDir}/cmudict-en-us.dict`, '-logfn', '/dev/null', ...args];
    for (let i = 0; i + 1 < all.length; i += 2) byFlag.set(all[i] as string, all[i + 1] as string);
    const argv = [...byFlag].flat();
    const cfg = lib.cmd_ln_parse_r(null, lib.ps_args(), argv.length, argv, 1);
    if (!cfg) throw new ProviderError(`pocketsphinx rejected its arguments: ${argv.join(' ')}`, 'provider_unavailable', 'local');
    const ps = await callAsync(lib.ps_init, cfg);
    // ps_init keeps its own reference to the configuration.
    lib.cmd_ln_free_r(cfg);
    if (!ps) throw new ProviderError(`pocketsphinx could not load the model in ${modelDir} (is pocketsphinx-en-us complete?)`, 'provider_unavailable', 'local');
    return new PocketsphinxDecoder(install, ps);
  }

  /** Selects the search for the next utterance; grammars are compiled once per decoder and name. */
  useBias(bias: RecognitionBias = { kind: 'general' }): void {
    const { lib } = this.install;
    if (this.inUtterance) throw new Error('useBias() during an utterance');
    if (bias.kind === 'general') {
      lib.ps_set_search(this.ps, DEFAULT_SEARCH);
      return;
    }
    const key = bias.kind === 'grammar' ? bias.jsgf : JSON.stringify(bias.keywords);
    const name = `${bias.kind}:${bias.name}`;
    if (this.searches.get(name) !== key) {
      if (this.searches.has(name)) lib.ps_unset_search(this.ps, name);
      let rc: number;
      if (bias.kind === 'grammar') {
        rc = lib.ps_set_jsgf_string(this.ps, name, bias.jsgf);
      } else {
        // pocketsphinx reads keyword lists from a file: one phrase per line with its threshold.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callingbox-kws-'));
        try {
          const file = path.join(dir, 'keywords.txt');
          fs.writeFileSync(file, bias.keywords.map((k) => `${k.phrase.toLowerCase()} /${(k.threshold ?? 1e-20).toExponential()}/`).join('\n') + '\n');
          rc = lib.ps_set_kws(this.ps, name, file);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
      if (rc < 0) throw new GrammarError(bias.name, bias.kind === 'grammar' ? 'the JSGF did not compile' : 'the keyword list did not load');
      this.searches.set(name, key);
    }
    if (lib.ps_set_search(this.ps, name) < 0) throw new GrammarError(bias.name, 'the search could not be selected');
  }

  startUtterance(): void {
    if (this.inUtterance) return;
    if (this.install.lib.ps_start_utt(this.ps) < 0) throw new ProviderError('pocketsphinx could not start an utterance', 'provider_unavailable', 'local');
    this.inUtterance = true;
  }

  /** Feeds 16 kHz PCM16; resolves with whether pocketsphinx's voice detector hears speech. */
  async process(samples: Int16Array): Promise<boolean> {
    const { lib } = this.install;
    const rc = await callAsync(lib.ps_process_raw, this.ps, samples, samples.length, 0, 0);
    if (rc < 0) throw new ProviderError('pocketsphinx failed to process audio', 'provider_unavailable', 'local');
    return lib.ps_get_in_speech(this.ps) !== 0;
  }

  /** The best hypothesis so far (partial) or of the ended utterance; '' when none. */
  hypothesis(): string {
    return normalise(this.install.lib.ps_get_hyp(this.ps, [0]));
  }

  /** Ends the utterance (the final search pass runs on the thread pool) and returns its text. */
  async endUtterance(): Promise<string> {
    if (!this.inUtterance) return '';
    this.inUtterance = false;
    await callAsync(this.install.lib.ps_end_utt, this.ps);
    return this.hypothesis();
  }

  get utteranceOpen(): boolean {
    return this.inUtterance;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.install.lib.ps_free(this.ps);
  }
}

/** Lower case, single spaces, no filler tokens such as `<sil>` or `[NOISE]`. */
function normalise(hyp: string | null): string {
  return (hyp ?? '').replace(/<[^>]*>|\[[^\]]*\]|\(\d+\)/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}
