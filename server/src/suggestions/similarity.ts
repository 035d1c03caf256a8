import type { SparseVector } from './vectors.ts';

/** Cosine similarity of two unit-length sparse vectors (0 when either is empty). */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [s, w] of small) {
    const other = large.get(s);
    if (other !== undefined) dot += w * other;
  }
  return dot;
}

/** Every pair's cosine, as a symmetric matrix with 1 on the diagonal. */
export function similarityMatrix(vectors: readonly SparseVector[]): number[][] {
  const n = vectors.length;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    m[i]![i] = 1;
    for (let j = 0; j < i; j++) {
      const s = cosine(vectors[i]!, vectors[j]!);
      m[i]![j] = s;
      m[j]![i] = s;
    }
  }
  return m;
}
