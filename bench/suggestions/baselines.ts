import { isStopWord } from '../../server/src/suggestions/stop-words.ts';
import { tokenise } from '../../server/src/suggestions/tokenise.ts';
import type { Random } from '../lib/random.ts';

/** The same group sizes as `labels`, dealt to the items at random. */
export function randomGrouping(labels: readonly string[], random: Random): string[] {
  const shuffled = [...labels];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled;
}

/**
 * What a plain keyword search would do: ideas that share a word other than a stop word, written
 * exactly alike (lower case, no stemming or accent folding), end up together, transitively.
 */
export function keywordGrouping(texts: readonly string[]): string[] {
  const parent = texts.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const firstWith = new Map<string, number>();
  texts.forEach((text, i) => {
    for (const { surface, key } of tokenise(text)) {
      if (isStopWord(key)) continue;
      const j = firstWith.get(surface);
      if (j === undefined) firstWith.set(surface, i);
      else parent[root(i)] = root(j);
    }
  });
  return texts.map((_, i) => `k${root(i)}`);
}
