/** Order statistics for benchmark samples (nearest-rank on sorted copies; NaN-free input expected). */

export function quantile(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low]!;
  const highValue = sorted[high]!;
  return lowValue + (highValue - lowValue) * (position - low);
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);
export const p90 = (samples: readonly number[]) => quantile(samples, 0.9);

export function mean(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  return samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

export interface Summary {
  n: number;
  median: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p90: p90(samples),
    min: samples.length ? Math.min(...samples) : null,
    max: samples.length ? Math.max(...samples) : null,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with a page's `performance.timeOrigin + performance.now()`. */
export const wallNow = () => performance.timeOrigin + performance.now();
