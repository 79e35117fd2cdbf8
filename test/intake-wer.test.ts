/**
 * Issue 5 point 1 on the offline stack: the caller's three phrases, spoken by Flite (`rms`) through
 * 8 kHz G.711 μ-law, recognised by pocketsphinx with the bias the intake dialogue expects after
 * each question, and fed back to the dialogue — as in a call on a fresh install, the recogniser
 * is fresh and the name is the caller's first utterance. The general model's numbers and more
 * phrases are in `bench/intake-wer.ts` and providers/local/README.md.
 *
 * Lives in test/ because it joins the engine (the dialogue) and providers/local (Flite,
 * pocketsphinx), which the layer rule keeps apart inside packages/server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT } from '../packages/server/src/bootstrap.ts';
import type { DialogueInput } from '../packages/server/src/engine/dialogue.ts';
import { IntakeDialogue } from '../packages/server/src/engine/intake/intake-dialogue.ts';
import { FliteTts } from '../packages/server/src/providers/local/flite-tts.ts';
import { PocketsphinxStt } from '../packages/server/src/providers/local/pocketsphinx-stt.ts';
import type { SttEvent } from '../packages/server/src/providers/stt.ts';
import { collect, concat, frames, noise, stream, telephone, wordErrorRate } from '../packages/server/src/providers/testing/audio-fixtures.ts';

const PHRASES = ['Hi, my name is Ada Lovelace.', "I'd like to move my cleaning to next week.", 'You can reach me at 415 555 0134.'];
const never = new AbortController().signal;
const said = new Map<string, Int16Array>();
let stt: PocketsphinxStt;

// The PostgreSQL pass re-runs test/ for the store; this test touches no store.
describe.skipIf(process.env.CALLINGBOX_TEST_DB === 'postgres')('the intake conversation over the offline speech stack', () => {
  beforeAll(async () => {
    const tts = new FliteTts();
    try {
      for (const p of PHRASES) said.set(p, await telephone((await tts.synthesizeSentence(p)).samples));
    } finally {
      await tts.close();
    }
    stt = new PocketsphinxStt({ poolSize: 1 });
  }, 60_000);
  afterAll(() => stt?.close());

  it('recognises the biased phrases with WER under 15 % and fills the reason and the callback number', async () => {
    const dialogue = new IntakeDialogue({ snapshot: { ...DEMO_AGENT, timezone: 'America/Los_Angeles' }, now: () => Date.parse('2026-11-27T18:00:00Z') });
    const ended: string[] = [];
    const tools = { run: (c: { name: string }) => (ended.push(c.name), Promise.resolve({ result: {}, status: 'ok' as const })) };
    const reply = async (input: DialogueInput): Promise<string> => {
      let out = '';
      for await (const d of dialogue.reply(input, { signal: never, tools })) out += d.text;
      return out;
    };
    await reply({ type: 'call_start' });
    const pairs: Array<[string, string]> = [];
    for (const p of PHRASES) {
      const bias = dialogue.expecting();
      expect(bias.kind).toBe('grammar');
      // A caller turn: line noise, the phrase, then silence long enough for the endpoint.
      const audio = concat(noise(8000, 300, 40, 7), said.get(p) as Int16Array, noise(8000, 700, 40, 8));
      const ev: SttEvent[] = await collect(stt.transcribe(stream(frames(audio, 8000)), { signal: never, bias }));
      const text = ev.flatMap((e) => (e.type === 'final' && e.text ? [e.text] : [])).join(' ');
      pairs.push([p, text]);
      await reply({ type: 'caller_turn', text, source: 'speech' });
    }
    const wer = wordErrorRate(pairs);
    const fields = dialogue.filledFields();
    console.log(`intake WER ${(wer * 100).toFixed(1)} %`, pairs, fields);
    expect(wer).toBeLessThan(0.15);
    expect(String(fields.reason)).toMatch(/move my cleaning to next week/i);
    expect(fields.callback_number).toBe('+14155550134');
    // Known gap (README): pocketsphinx hears Flite's "is Ada" as "is Sherry/Cheri/Veda" against
    // any fair list of first names, and "Lovelace" is not among the 666 surnames the grammar
    // offers — so a name is filled, and the caller corrects it when it is said back.
    expect(fields.caller_name).toMatch(/^[A-Z][a-z']+ [A-Z][a-z']+$/);
    expect(ended).toEqual(['end_call']);
  }, 120_000);
});
