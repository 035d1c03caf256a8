import { agnes } from 'ml-hclust';

/**
 * Agglomerative clustering with average linkage (UPGMA, ml-hclust), cut where groups stop being
 * alike: two groups are joined only while the mean similarity over all pairs of their members is
 * at least `minSimilarity`. Returns groups of indices, each in ascending order, singletons
 * included. Deterministic: ties are broken by index.
 */
export function clusterBySimilarity(similarity: readonly (readonly number[])[], minSimilarity: number): number[][] {
  const n = similarity.length;
  if (n === 0) return [];
  if (n === 1) return [[0]];
  const distances = similarity.map((row) => row.map((s) => 1 - s));
  const tree = agnes(distances, { method: 'average', isDistanceMatrix: true });
  return tree
    .cut(1 - minSimilarity)
    .map((node) => node.indices().sort((a, b) => a - b));
}
