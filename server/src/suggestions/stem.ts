import { StemmerEs } from '@nlpjs/lang-es';

/**
 * nlp.js's Snowball Spanish stemmer, which works on folded words (no accents), as `fold` makes
 * them: "capacitación", "capacitacion" and "capacitaciones" all give "capacit".
 */
const stemmer = new StemmerEs();
/** Workshop vocabularies are a few thousand words; the memo is dropped whole past this. */
const MAX_MEMO_ENTRIES = 50_000;
const memo = new Map<string, string>();

/** The stem of a folded word. */
export function stem(folded: string): string {
  let s = memo.get(folded);
  if (s === undefined) {
    if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
    s = stemmer.stemWord(folded);
    memo.set(folded, s);
  }
  return s;
}
