/**
 * Word error rate of the offline intake conversation (issue 5 point 1): the caller's phrases
 * spoken by Flite (`rms`) through 8 kHz G.711 μ-law, recognised by pocketsphinx with the general
 * model and with the bias the intake dialogue returns for the question before each phrase.
 * `node --import tsx bench/intake-wer.ts` (≈1–2 min on 2 cores; needs Debian's pocketsphinx-en-us).
 *
 * Prints, per phrase: general vs. biased text and WER, decode time; the issue's three phrases on
 * a fresh recogniser (as on a fresh install's first call) and on one that has heard "Hello?";
 * and, to show what the biases cost, more names and reasons than the dialogue was written for.
 */
import { DEMO_AGENT } from '../packages/server/src/bootstrap.ts';
import { IntakeDialogue } from '../packages/server/src/engine/intake/intake-dialogue.ts';
import { biasFor } from '../packages/server/src/engine/intake/bias.ts';
import { fieldsOf } from '../packages/server/src/engine/intake/fields.ts';
import { FliteTts } from '../packages/server/src/providers/local/flite-tts.ts';
import { PocketsphinxStt } from '../packages/server/src/providers/local/pocketsphinx-stt.ts';
import type { RecognitionBias, SttEvent } from '../packages/server/src/providers/stt.ts';
import { collect, concat, frames, noise, stream, telephone, wordErrorRate } from '../packages/server/src/providers/testing/audio-fixtures.ts';

const ISSUE = ['Hi, my name is Ada Lovelace.', "I'd like to move my cleaning to next week.", 'You can reach me at 415 555 0134.'];
const MORE_NAMES = ['This is John Smith.', 'My name is Maria Garcia.', "It's Grace Hopper.", 'My name is Priya Patel.', 'Hello, my name is Margaret Thatcher.'];
const MORE_REASONS = ['Can I come in on Tuesday afternoon?', 'My tooth has been hurting since Monday.', 'I need to cancel my appointment.', 'I have a question about my bill.', 'I want to book a checkup for my son.'];
const never = new AbortController().signal;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

const audio = new Map<string, Int16Array>();
const phrases = ['Hello? Can you hear me?', ...ISSUE, ...MORE_NAMES, ...MORE_REASONS];
// Four sentences per Flite instance: fewer WASI objects alive keeps clear of the Node 20 WASI crash (providers/local README).
for (let i = 0; i < phrases.length; i += 4) {
  const tts = new FliteTts();
  for (const p of phrases.slice(i, i + 4)) audio.set(p, await telephone((await tts.synthesizeSentence(p)).samples));
  await tts.close();
}
console.error(`synthesised ${audio.size} phrases`);

/** A caller turn: line noise, the phrase, then enough silence for the endpoint. */
const turn = (x: Int16Array): Int16Array => concat(noise(8000, 300, 40, 7), x, noise(8000, 700, 40, 8));
async function decode(stt: PocketsphinxStt, phrase: string, bias: RecognitionBias): Promise<{ text: string; ms: number }> {
  const t0 = performance.now();
  const ev: SttEvent[] = await collect(stt.transcribe(stream(frames(turn(audio.get(phrase) as Int16Array), 8000)), { signal: never, bias }));
  return { text: ev.flatMap((e) => (e.type === 'final' && e.text ? [e.text] : [])).join(' '), ms: performance.now() - t0 };
}

/** The issue's conversation: each phrase decoded with the bias the dialogue expects at that point. */
async function conversation(warm: boolean): Promise<void> {
  const general = new PocketsphinxStt({ poolSize: 1 });
  const biased = new PocketsphinxStt({ poolSize: 1 });
  if (warm) for (const s of [general, biased]) await decode(s, 'Hello? Can you hear me?', { kind: 'general' });
  const dialogue = new IntakeDialogue({ snapshot: { ...DEMO_AGENT, timezone: 'America/Los_Angeles' }, now: () => Date.now() });
  const tools = { run: () => Promise.resolve({ result: {}, status: 'ok' as const }) };
  for await (const _ of dialogue.reply({ type: 'call_start' }, { signal: never, tools })) void _;
  const g: Array<[string, string]> = [];
  const b: Array<[string, string]> = [];
  console.log(`\n### ${warm ? 'after a first "Hello? Can you hear me?"' : 'fresh recogniser (first utterance decoded twice)'}\n\n| phrase | bias | general model | WER | biased | WER | decode ms general / biased |\n|---|---|---|---|---|---|---|`);
  for (const p of ISSUE) {
    const bias = dialogue.expecting();
    const gen = await decode(general, p, { kind: 'general' });
    const bi = await decode(biased, p, bias);
    g.push([p, gen.text]);
    b.push([p, bi.text]);
    console.log(`| ${p} | ${bias.kind === 'grammar' ? bias.name : bias.kind} | ${gen.text} | ${pct(wordErrorRate([[p, gen.text]]))} | ${bi.text} | ${pct(wordErrorRate([[p, bi.text]]))} | ${gen.ms.toFixed(0)} / ${bi.ms.toFixed(0)} |`);
    for await (const _ of dialogue.reply({ type: 'caller_turn', text: bi.text, source: 'speech' }, { signal: never, tools })) void _;
  }
  console.log(`| **all three** | | | **${pct(wordErrorRate(g))}** | | **${pct(wordErrorRate(b))}** | |`);
  console.log(`\nfilled: ${JSON.stringify(dialogue.filledFields())}`);
  await general.close();
  await biased.close();
}

await conversation(false);
await conversation(true);

// Beyond the issue's phrases: the same question biases on other callers.
const stt = new PocketsphinxStt({ poolSize: 1 });
await decode(stt, 'Hello? Can you hear me?', { kind: 'general' });
const [nameField, reasonField] = fieldsOf(DEMO_AGENT.returns);
for (const [title, field, phrases] of [['names', nameField, MORE_NAMES], ['reasons', reasonField, MORE_REASONS]] as const) {
  const bias = biasFor({ field: field ?? null, confirming: false, echoed: null });
  const g: Array<[string, string]> = [];
  const b: Array<[string, string]> = [];
  console.log(`\n### other ${title}\n\n| phrase | general | biased |\n|---|---|---|`);
  for (const p of phrases) {
    const gen = await decode(stt, p, { kind: 'general' });
    const bi = await decode(stt, p, bias);
    g.push([p, gen.text]);
    b.push([p, bi.text]);
    console.log(`| ${p} | ${gen.text} | ${bi.text} |`);
  }
  console.log(`| **WER** | **${pct(wordErrorRate(g))}** | **${pct(wordErrorRate(b))}** |`);
}
await stt.close();
