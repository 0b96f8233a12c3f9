/** Grows like an array but keeps numbers unboxed: a 64-connection run records ~10^5 latencies. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  append(other: Samples): void {
    for (const value of other.values()) this.push(value);
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  /** p in [0, 100], nearest-rank on a sorted copy; NaN when empty. */
  percentile(p: number): number {
    return percentiles(this.values(), [p])[0]!;
  }
}

export function percentiles(values: ArrayLike<number>, ps: number[]): number[] {
  if (values.length === 0) return ps.map(() => Number.NaN);
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
}

export function median(values: number[]): number {
  return percentiles(values, [50])[0]!;
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
