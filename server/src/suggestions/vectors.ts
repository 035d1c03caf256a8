/** A document as weights by stem, of unit length (or empty: a text with no telling word). */
export type SparseVector = ReadonlyMap<string, number>;

export interface Weighted {
  vectors: SparseVector[];
  /** Idf times the question factor of a stem: how telling the word is among these documents. */
  weightOf(stem: string): number;
}

/**
 * TF-IDF vectors: sublinear term frequency (1 + ln tf) times smoothed idf
 * (ln((1 + N) / (1 + df)) + 1), each vector scaled to unit length so that a dot product is a
 * cosine. Stems in `downWeighted` (the question's own words, which every idea under it shares)
 * count `downWeight` times as much.
 */
export function tfidf(docs: readonly (readonly string[])[], downWeighted: ReadonlySet<string>, downWeight: number): Weighted {
  const df = new Map<string, number>();
  for (const doc of docs) for (const s of new Set(doc)) df.set(s, (df.get(s) ?? 0) + 1);
  const n = docs.length;
  const weights = new Map<string, number>();
  for (const [s, count] of df) weights.set(s, (Math.log((1 + n) / (1 + count)) + 1) * (downWeighted.has(s) ? downWeight : 1));
  const weightOf = (s: string) => weights.get(s) ?? 0;

  const vectors = docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const s of doc) tf.set(s, (tf.get(s) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [s, count] of tf) {
      const w = (1 + Math.log(count)) * weightOf(s);
      v.set(s, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [s, w] of v) v.set(s, w / norm);
    return v;
  });
  return { vectors, weightOf };
}
