/**
 * Decides when caller speech over the agent is an interruption (`calls.md` → Barge-in): speech
 * longer than `interruption_min_ms`, and — with `ignore_backchannels` — words that are not a
 * backchannel, or speech too long to be one. Pure: fed media time and events, no timers.
 */
import { hasContent } from './backchannel.ts';

export interface BargeInSettings {
  readonly interruptionMinMs: number;
  readonly ignoreBackchannels: boolean;
  /** Speech this long interrupts even when no word was recognised yet (a backchannel is shorter). Default 900 ms. */
  readonly backchannelMaxMs?: number;
}

/** "Mm-hmm", "okay, yeah": measured Flite and human backchannels last 250–800 ms. */
const DEFAULT_BACKCHANNEL_MAX_MS = 900;

export class BargeInDetector {
  private speechStartMs: number | undefined;
  private text = '';

  constructor(private readonly s: BargeInSettings) {}

  /** The caller started speaking at `speechStartMs` on the media timeline. */
  speechStarted(speechStartMs: number): void {
    this.speechStartMs = speechStartMs;
    this.text = '';
  }

  /** The caller stopped: speech that did not interrupt so far never will (a backchannel or noise). */
  speechEnded(): void {
    this.speechStartMs = undefined;
    this.text = '';
  }

  /** What the recogniser heard of this speech so far. */
  heard(text: string): void {
    this.text = text;
  }

  /** Whether the speech in progress at `nowMs` interrupts the agent. */
  shouldInterrupt(nowMs: number): boolean {
    if (this.speechStartMs === undefined) return false;
    const spokenMs = nowMs - this.speechStartMs;
    if (spokenMs < this.s.interruptionMinMs) return false;
    if (!this.s.ignoreBackchannels) return true;
    return hasContent(this.text) || spokenMs >= (this.s.backchannelMaxMs ?? DEFAULT_BACKCHANNEL_MAX_MS);
  }
}
