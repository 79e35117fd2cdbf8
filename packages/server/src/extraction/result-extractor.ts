/**
 * The extraction the call lifecycle runs after a connected call ends (and `POST
 * /v1/calls/{id}/extract` re-runs): with the configured extraction model when there is one,
 * otherwise from the offline intake dialogue's confirmed fields. Built in the composition root.
 */
import type { LlmProvider } from '../providers/llm.ts';
import { extractResult } from './extract-result.ts';
import { extractFromDialogue } from './local-extraction.ts';
import type { ExtractionOutcome, TranscriptLine } from './outcome.ts';

export interface ExtractionRequest {
  readonly returns: unknown;
  readonly segments: readonly TranscriptLine[];
  /** The intake dialogue's confirmed fields (offline extraction's source); null for an LLM dialogue. */
  readonly dialogueFields: Readonly<Record<string, unknown>> | null;
  readonly timezone?: string | undefined;
  readonly endedAt?: Date | null | undefined;
  readonly signal: AbortSignal;
}

/** The port the lifecycle depends on. Rejects only with an AbortError; failures are `failed` outcomes. */
export interface ResultExtractor {
  /** True when results come from the intake dialogue's fields rather than a model. */
  readonly offline: boolean;
  extract(req: ExtractionRequest): Promise<ExtractionOutcome>;
}

/** Extraction with `llm`, or offline from the dialogue's fields when `llm` is null (`CALLINGBOX_EXTRACTION_LLM=local`). */
export class CallResultExtractor implements ResultExtractor {
  readonly offline: boolean;

  constructor(private readonly d: { llm: LlmProvider | null; now?: () => number }) {
    this.offline = d.llm === null;
  }

  async extract(req: ExtractionRequest): Promise<ExtractionOutcome> {
    if (req.signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const now = this.d.now;
    if (!this.d.llm) return extractFromDialogue({ returns: req.returns, fields: req.dialogueFields, timezone: req.timezone, ...(now ? { now } : {}) });
    return extractResult({ returns: req.returns, segments: req.segments, llm: this.d.llm, signal: req.signal, timezone: req.timezone, endedAt: req.endedAt, ...(now ? { now } : {}) });
  }
}
