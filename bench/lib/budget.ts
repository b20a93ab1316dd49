/**
 * The time a benchmark may take: BENCH_TIME_LIMIT_SECONDS (set by scripts/bench.ts from its per-benchmark
 * limit) or the benchmark's own default. Benchmarks shrink their sample counts to fit and say so,
 * rather than being stopped half-way by the runner.
 */
export interface Budget {
  limitSeconds: number;
  /** Milliseconds left until the limit. */
  remainingMs(): number;
  elapsedSeconds(): number;
}

export function budget(defaultSeconds: number): Budget {
  const fromEnv = Number(process.env.BENCH_TIME_LIMIT_SECONDS);
  const limitSeconds = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultSeconds;
  const started = Date.now();
  return {
    limitSeconds,
    remainingMs: () => started + limitSeconds * 1000 - Date.now(),
    elapsedSeconds: () => Math.round((Date.now() - started) / 1000),
  };
}
