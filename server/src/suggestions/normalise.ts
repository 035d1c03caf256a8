/**
 * Spanish text folded for matching: lower case, accents and the tilde of ñ removed. People type
 * on phones without accents ("capacitacion", "sequia") and on keyboards without ñ ("ninos"), so
 * the folded form is what two ideas must share to match; genuine n/ñ pairs (año/ano) are rarer in
 * workshop ideas than those typos. Display never uses the folded form: titles and shared words
 * show what people wrote (see `describe.ts`).
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
