import type { IdeaText, Suggestions } from './suggest.ts';

type SuggestInput = { question: string; ideas: readonly IdeaText[] };

/** Boards × questions whose last answer is kept (a workshop has at most 8 × 8 of them in play). */
export const MEMO_ENTRIES = 256;

/**
 * The last suggestions per board question, reused while its ideas are unchanged: asking again is
 * then free, so repeated requests (a reload, a participant pressing the button over and over)
 * cost no clustering. Changing the ideas means writing to the board, which is rate limited.
 */
export function createSuggestionMemo(compute: (input: SuggestInput) => Suggestions, maxEntries = MEMO_ENTRIES) {
  const entries = new Map<string, { fingerprint: string; result: Suggestions }>();
  return (scope: string, input: SuggestInput): { result: Suggestions; reused: boolean } => {
    const fingerprint = JSON.stringify([input.question, input.ideas.map((i) => [i.id, i.text])]);
    const hit = entries.get(scope);
    entries.delete(scope);
    if (hit?.fingerprint === fingerprint) {
      entries.set(scope, hit);
      return { result: hit.result, reused: true };
    }
    const result = compute(input);
    entries.set(scope, { fingerprint, result });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return { result, reused: false };
  };
}
