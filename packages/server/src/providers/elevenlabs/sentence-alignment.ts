/**
 * Which sentence an ElevenLabs audio chunk speaks (pure). Each sentence is sent with `flush`, so
 * the server renders sentences one after another and never mixes two in a chunk; the chunks'
 * alignment lists the characters they speak. Counting those characters (whitespace aside, which
 * the server trims and adds) against each sentence's length tells where one sentence ends and the
 * next begins — so a barge-in records only the sentences whose audio was played.
 *
 * When the counts disagree (text normalisation, "3" spoken as "three"), a chunk that begins with
 * the next sentence's first characters once the current one is at least half spoken also moves on.
 */
export class SentenceAlignment {
  private readonly sentences: Array<{ index: number; sentence: string; chars: string; spoken: number }> = [];
  private current = 0;

  /** Registers a sentence as it is sent. */
  add(index: number, sentence: string): void {
    this.sentences.push({ index, sentence, chars: squash(sentence), spoken: 0 });
  }

  /** The sentence of a chunk whose alignment lists `chars` (undefined: no alignment, same sentence as before). */
  attribute(chars: readonly string[] | undefined): { index: number; sentence: string } | undefined {
    const text = chars ? squash(chars.join('')) : '';
    if (text) {
      for (;;) {
        const cur = this.sentences[this.current];
        const next = this.sentences[this.current + 1];
        if (!cur || !next) break;
        const done = cur.spoken >= cur.chars.length;
        const startsNext = cur.spoken * 2 >= cur.chars.length && startsLike(text, next.chars);
        if (!done && !startsNext) break;
        this.current++;
      }
    }
    const s = this.sentences[this.current];
    if (!s) return undefined;
    s.spoken += text.length;
    return { index: s.index, sentence: s.sentence };
  }
}

/** Lower case without whitespace: what is compared. */
function squash(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

/** The chunk begins with the sentence's first characters (up to six). */
function startsLike(chunk: string, sentence: string): boolean {
  const n = Math.min(6, chunk.length, sentence.length);
  return n > 0 && chunk.slice(0, n) === sentence.slice(0, n);
}
