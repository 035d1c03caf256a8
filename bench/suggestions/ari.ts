/**
 * Adjusted Rand index (Hubert & Arabie, 1985) of two partitions of the same items, given as one
 * label per item: 1 for identical partitions, about 0 for chance agreement, negative below it.
 * No well-kept npm package provides it, and it is a few lines over the contingency table.
 */
export function adjustedRandIndex(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new RangeError('both partitions must label the same items');
  const pairs = (k: number) => (k * (k - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  a.forEach((x, i) => {
    const y = b[i]!;
    const cell = JSON.stringify([x, y]);
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  });
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, k) => s + pairs(k), 0);
  const index = sum(cells);
  const rowPairs = sum(rows);
  const colPairs = sum(cols);
  const expected = (rowPairs * colPairs) / pairs(a.length);
  const max = (rowPairs + colPairs) / 2;
  // Both partitions all singletons, or both one group (or n < 2): they agree, as scikit-learn says.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
