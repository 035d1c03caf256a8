import { fold } from './normalise.ts';

export interface Token {
  /** As written, in lower case (accents and ñ kept): what people read. */
  surface: string;
  /** Folded (`fold`): what matching compares. */
  key: string;
}

/** Runs of letters and digits with inner apostrophes or hyphens ("e-mail", "pa'"). */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const DIGITS = /^\p{N}+$/u;

/** The words of a text, in order. Pure numbers and one-letter words carry no topic and are dropped. */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const [word] of text.matchAll(WORD)) {
    if (word.length < 2 || DIGITS.test(word)) continue;
    const surface = word.toLowerCase();
    tokens.push({ surface, key: fold(surface) });
  }
  return tokens;
}
