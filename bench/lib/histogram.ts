/**
 * Latency histogram with logarithmic bins: a value lands in bin floor(log(v / MIN_MS) / log(1 +
 * precision)), so every percentile is within `precision` of the truth, and histograms of several
 * processes merge by adding counts. Values are milliseconds.
 */
const MIN_MS = 0.01;

export interface HistogramData {
  precision: number;
  /** [bin, count] pairs of the non-empty bins. */
  bins: [number, number][];
  count: number;
  sum: number;
  max: number;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  private readonly logBase: number;
  count = 0;
  sum = 0;
  max = 0;

  constructor(readonly precision = 0.01) {
    this.logBase = Math.log(1 + precision);
  }

  record(ms: number, times = 1): void {
    const v = Math.max(ms, MIN_MS);
    const bin = Math.floor(Math.log(v / MIN_MS) / this.logBase);
    this.counts.set(bin, (this.counts.get(bin) ?? 0) + times);
    this.count += times;
    this.sum += v * times;
    if (v > this.max) this.max = v;
  }

  /** The value below which `p` (0..1) of the samples fall; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(p * this.count);
    let seen = 0;
    for (const bin of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bin)!;
      // Upper edge of the bin, capped by the exact max.
      if (seen >= rank) return Math.min(this.max, MIN_MS * Math.exp((bin + 1) * this.logBase));
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  merge(other: Histogram | HistogramData): void {
    const bins = other instanceof Histogram ? [...other.counts.entries()] : other.bins;
    if (other.precision !== this.precision) throw new Error('cannot merge histograms of different precision');
    for (const [bin, n] of bins) this.counts.set(bin, (this.counts.get(bin) ?? 0) + n);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  toJSON(): HistogramData {
    return { precision: this.precision, bins: [...this.counts.entries()], count: this.count, sum: this.sum, max: this.max };
  }

  static from(data: HistogramData): Histogram {
    const h = new Histogram(data.precision);
    h.merge(data);
    return h;
  }
}
