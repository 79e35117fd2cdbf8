/**
 * The media of a bridged transfer (`telephony.md` → Transfer): the caller's audio plays on the
 * outbound leg, the leg's audio plays to the caller, the leg's DTMF reaches the caller, until
 * either side hangs up — then the other side is hung up too. Both sides are `MediaTransport`s;
 * nothing here knows SIP.
 */
import type { AudioFrame } from '../core/audio/audio-frame.ts';
import type { MediaTransport } from '../telephony/transport.ts';

export interface BridgeSides {
  readonly caller: MediaTransport;
  /**
   * The caller's audio. The voice session owns `caller.fromCaller` (it can be iterated once) and
   * hands its frames over here; the iterable ends when the caller's side ends.
   */
  readonly callerFrames: AsyncIterable<AudioFrame>;
  readonly leg: MediaTransport;
}

/** Which side hung up first. */
export type BridgeEnd = 'caller' | 'leg';

/** Runs the bridge until either side ends; resolves after both are hung up and every pump stopped. Never rejects. */
export async function runBridge({ caller, callerFrames, leg }: BridgeSides): Promise<BridgeEnd> {
  const either = AbortSignal.any([caller.ended, leg.ended]);
  const pumps = [
    leg.play({ frames: callerFrames }, { signal: either }),
    caller.play({ frames: leg.fromCaller }, { signal: either }),
    (async () => {
      for await (const e of leg.events) {
        if (e.type === 'dtmf') await caller.sendDtmf(e.digit, { signal: either }).catch(() => {});
      }
    })(),
  ];
  if (!either.aborted) await new Promise((resolve) => either.addEventListener('abort', resolve, { once: true }));
  const first: BridgeEnd = leg.ended.aborted && !caller.ended.aborted ? 'leg' : 'caller';
  // The side that stayed is hung up on behalf of the one that left: the call ends as transferred.
  if (first === 'leg') await caller.hangup({ cause: 'transferred', by: 'agent' });
  else await leg.hangup({ cause: 'transferred', by: 'caller' });
  await Promise.allSettled(pumps);
  return first;
}
