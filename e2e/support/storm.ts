/**
 * Runs the mutation storm of e2e/fixtures/pages/mutation-storm.html for a while and reads what the
 * page measured of itself and what the content script measured of its own work in that window
 * (its `kandy-c2c:*` performance.measure entries: durations and node counts, nothing of the page).
 * Shared by the browser test (bounds on the extension's own slices) and bench/hostile-mutations.ts.
 */
import type { Page } from 'playwright-core';

export interface StormPage {
  seconds: number;
  mutationsPerSecond: number;
  framesPerSecond: number;
  longTasks: number;
  longestTaskMs: number;
  /** The page's own 8 ms slices (flat-out mode) as measured: preemption by the machine stretches them too. */
  longestPageSliceMs: number;
}

export interface StormExtension {
  /** `kandy-c2c:update` measures that started in the window. */
  updates: number;
  nodes: number;
  /** Script time of the scanner's slices plus the observer callbacks. */
  busyMs: number;
  longestSliceMs: number;
  longestCallbackMs: number;
}

interface UpdateDetail {
  nodes: number;
  busyMs: number;
  observerMs?: number;
  longestSliceMs: number;
  longestCallbackMs?: number;
}

/** Waits for the content script's first scan (it leaves one measure when it is done). */
export async function waitForFirstScan(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByName('kandy-c2c:first-scan', 'measure').length > 0, undefined, { timeout: timeoutMs, polling: 100 });
}

export async function runStorm(page: Page, durationMs: number): Promise<{ page: StormPage; extension: StormExtension }> {
  await page.evaluate(() => (window as unknown as { startStorm(): void }).startStorm());
  await page.waitForTimeout(durationMs);
  const figures = await page.evaluate(() => (window as unknown as { stopStorm(): StormPage & { startedAt: number; stoppedAt: number } }).stopStorm());
  // A batch that started in the window is reported when it goes idle, just after the storm stops.
  await page.waitForTimeout(300);
  const updates = await page.evaluate(
    ({ from, to }) =>
      performance
        .getEntriesByName('kandy-c2c:update', 'measure')
        .filter((entry) => entry.startTime >= from && entry.startTime <= to)
        .map((entry) => (entry as PerformanceMeasure).detail as UpdateDetail),
    { from: figures.startedAt, to: figures.stoppedAt },
  );
  const { startedAt: _startedAt, stoppedAt: _stoppedAt, ...pageFigures } = figures;
  return {
    page: pageFigures,
    extension: {
      updates: updates.length,
      nodes: updates.reduce((sum, update) => sum + update.nodes, 0),
      busyMs: updates.reduce((sum, update) => sum + update.busyMs + (update.observerMs ?? 0), 0),
      longestSliceMs: updates.reduce((max, update) => Math.max(max, update.longestSliceMs), 0),
      longestCallbackMs: updates.reduce((max, update) => Math.max(max, update.longestCallbackMs ?? 0), 0),
    },
  };
}
