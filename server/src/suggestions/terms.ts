import { stem } from './stem.ts';
import { isStopWord } from './stop-words.ts';
import { tokenise, type Token } from './tokenise.ts';

export interface Term {
  /** The stem that matching compares. */
  stem: string;
  /** The word as written (lower case), for display. */
  surface: string;
  /** Its place among the text's tokens. */
  at: number;
}

export interface AnalysedText {
  tokens: Token[];
  /** The tokens that can tell ideas apart: stop words out, stemmed. */
  terms: Term[];
}

export function analyse(text: string): AnalysedText {
  const tokens = tokenise(text);
  const terms: Term[] = [];
  tokens.forEach(({ surface, key }, at) => {
    if (isStopWord(key)) return;
    const s = stem(key);
    if (s.length >= 2) terms.push({ stem: s, surface, at });
  });
  return { tokens, terms };
}
