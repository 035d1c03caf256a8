import { clusterBySimilarity } from './cluster.ts';
import { describeGroup } from './describe.ts';
import { similarityMatrix } from './similarity.ts';
import { analyse } from './terms.ts';
import { tfidf } from './vectors.ts';

export interface IdeaText {
  id: string;
  text: string;
}

export interface SuggestedGroup {
  /** Its most telling words, as a title to accept or rename. */
  title: string;
  ideaIds: string[];
  /** The words its ideas share: why they were put together. */
  words: string[];
}

export interface Suggestions {
  groups: SuggestedGroup[];
  /** Ideas that matched no other closely enough. */
  unplaced: string[];
}

export interface SuggestOptions {
  /**
   * The cut: groups join while the mean cosine over all pairs of their ideas is at least this.
   * Two ideas of about eight telling words that share one ordinary word score about 1/8; ideas
   * that share only a question word, or one common word among many, stay apart.
   */
  minSimilarity: number;
  /** How much the question's own words count, since every idea under it shares them. */
  questionWordWeight: number;
}

export { MAX_SUGGESTION_IDEAS } from './limits.ts';

export const DEFAULT_SUGGEST_OPTIONS: SuggestOptions = { minSimilarity: 0.1, questionWordWeight: 0.25 };

/**
 * Suggested groups for the ideas under one question: Spanish terms (folded, stop words out,
 * stemmed), TF-IDF vectors, cosine similarity, average-linkage clustering cut at
 * `minSimilarity`. Groups of one idea are "unplaced". A pure function of its input: the ideas are
 * taken in id order, so the same ideas give the same answer whatever order they come in; groups
 * list their ideas in input order, largest group first.
 */
export function suggestGroups(input: { question: string; ideas: readonly IdeaText[] }, options: Partial<SuggestOptions> = {}): Suggestions {
  const { minSimilarity, questionWordWeight } = { ...DEFAULT_SUGGEST_OPTIONS, ...options };
  const position = new Map(input.ideas.map((idea, i) => [idea.id, i]));
  const ideas = [...input.ideas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const texts = ideas.map((idea) => analyse(idea.text));
  const questionStems = new Set(analyse(input.question).terms.map((t) => t.stem));
  const { vectors, weightOf } = tfidf(
    texts.map(({ terms }) => terms.map((t) => t.stem)),
    questionStems,
    questionWordWeight
  );
  const byInputOrder = (a: number, b: number) => position.get(ideas[a]!.id)! - position.get(ideas[b]!.id)!;
  // Members come in id order, so titles do not depend on the input's order either.
  const clusters = clusterBySimilarity(similarityMatrix(vectors), minSimilarity);

  const groups = clusters
    .filter((members) => members.length > 1)
    .map((members) => ({ members, inOrder: [...members].sort(byInputOrder) }))
    .sort((a, b) => b.members.length - a.members.length || byInputOrder(a.inOrder[0]!, b.inOrder[0]!))
    .map(({ members, inOrder }) => {
      const { title, words } = describeGroup(
        members.map((i) => texts[i]!),
        weightOf
      );
      return { title, ideaIds: inOrder.map((i) => ideas[i]!.id), words };
    });
  const unplaced = clusters
    .filter((members) => members.length === 1)
    .map(([i]) => i!)
    .sort(byInputOrder)
    .map((i) => ideas[i]!.id);
  return { groups, unplaced };
}
