import { describe, expect, it } from 'vitest';
import { ScriptedTts } from '@callingbox/testkit/scripted-speech.ts';
import { CachingTts } from './tts-cache.ts';
import type { TtsFrame } from './tts.ts';

async function collect(it: AsyncIterable<TtsFrame>): Promise<TtsFrame[]> {
  const out: TtsFrame[] = [];
  for await (const f of it) out.push(f);
  return out;
}

const signal = new AbortController().signal;

describe('CachingTts', () => {
  it('synthesises a sentence once per voice, then replays it with the right sentence index', async () => {
    const inner = new ScriptedTts(20); // one 20 ms frame per word
    const tts = new CachingTts(inner);
    await tts.warm('Hello there.', { signal });
    const frames = await collect(tts.synthesize('New words here. Hello there.', { signal }));
    expect(inner.spoken).toEqual(['Hello there.', 'New words here.']);
    expect(frames.filter((f) => f.sentence === 'Hello there.').every((f) => f.sentenceIndex === 1)).toBe(true);
    expect(frames.filter((f) => f.sentence === 'Hello there.')).toHaveLength(2);
    await collect(tts.synthesize('Hello there.', { signal, voice: 'other' }));
    expect(inner.spoken).toEqual(['Hello there.', 'New words here.', 'Hello there.']);
  });

  it('keeps nothing of an aborted synthesis and stays within its sample budget', async () => {
    const inner = new ScriptedTts(20); // one 20 ms frame per word
    const tts = new CachingTts(inner, 160 * 5);
    const ac = new AbortController();
    for await (const f of tts.synthesize('One two three.', { signal: ac.signal })) {
      void f;
      ac.abort();
    }
    await collect(tts.synthesize('One two three.', { signal }));
    expect(inner.spoken).toEqual(['One two three.', 'One two three.']);
    await collect(tts.synthesize('Four five. Six seven.', { signal }));
    // The budget holds five frames: 3 + 2 + 2 pushed the oldest sentence out.
    await collect(tts.synthesize('One two three.', { signal }));
    expect(inner.spoken.filter((s) => s === 'One two three.')).toHaveLength(3);
  });

  it('a synthesis that needs a sentence being warmed waits for it instead of synthesising it twice', async () => {
    const inner = new ScriptedTts(20);
    const tts = new CachingTts(inner);
    const warming = tts.warm('Good morning.', { signal });
    const frames = await collect(tts.synthesize('Good morning.', { signal }));
    await warming;
    expect(inner.spoken).toEqual(['Good morning.']);
    expect(frames).toHaveLength(2);
  });
});
