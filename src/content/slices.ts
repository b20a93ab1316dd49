/**
 * Runs page work in short slices so the extension never holds the main thread for long: each
 * slice gets a time budget (the content script gives 16 ms), then the runner yields to the browser (input,
 * rendering, the page's own tasks) before the next one. `requestIdleCallback` is not used on
 * purpose: on a busy page (a big table that keeps re-rendering) idle time may never come.
 */

export interface SliceClock {
  now(): number;
  /** Gives the browser a turn; resolves when the runner may continue. */
  yieldToBrowser(): Promise<void>;
  /** Starts the first slice later (batches bursts of work); returns a cancel function. */
  later(callback: () => void, ms: number): () => void;
}

/** Does work until `deadline` (a `now()` value); returns true while work remains. */
export type SliceWork = (deadline: number) => boolean;

export interface SliceStats {
  slices: number;
  busyMs: number;
  longestSliceMs: number;
  /** The first few slices that ran over twice the budget: [slice number, ms]. */
  overruns: [number, number][];
}

export class SliceRunner {
  private running = false;
  private stopped = false;
  private cancelLater: (() => void) | undefined;
  /** Set while a slice runs and more work was scheduled meanwhile. */
  private again = false;
  readonly stats: SliceStats = { slices: 0, busyMs: 0, longestSliceMs: 0, overruns: [] };

  constructor(
    private readonly clock: SliceClock,
    private readonly work: SliceWork,
    private readonly budgetMs = 8,
    private readonly onIdle: () => void = () => undefined,
  ) {}

  /** Makes sure the work runs: now-ish, or after `delayMs` to gather a burst. */
  schedule(delayMs = 0): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.cancelLater) return;
    this.cancelLater = this.clock.later(() => {
      this.cancelLater = undefined;
      void this.loop();
    }, delayMs);
  }

  /** Starts a new measuring period for `longestSliceMs` (totals keep counting). */
  resetPeak(): void {
    this.stats.longestSliceMs = 0;
  }

  get busy(): boolean {
    return this.running || this.cancelLater !== undefined;
  }

  stop(): void {
    this.stopped = true;
    this.cancelLater?.();
    this.cancelLater = undefined;
  }

  private async loop(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        this.again = false;
        const start = this.clock.now();
        let more: boolean;
        try {
          more = this.work(start + this.budgetMs);
        } catch {
          more = false; // a hostile or broken page must never take the runner down with it
        }
        const spent = this.clock.now() - start;
        this.stats.slices++;
        this.stats.busyMs += spent;
        if (spent > this.stats.longestSliceMs) this.stats.longestSliceMs = spent;
        if (spent > 2 * this.budgetMs && this.stats.overruns.length < 8) this.stats.overruns.push([this.stats.slices, Math.round(spent * 10) / 10]);
        if (this.stopped || (!more && !this.again)) break;
        await this.clock.yieldToBrowser();
        if (this.stopped) break;
      }
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.onIdle();
  }
}

interface PostTaskScheduler {
  postTask(callback: () => void, options?: { priority?: 'user-blocking' | 'user-visible' | 'background' }): Promise<unknown>;
}

/**
 * The browser clock. Between slices the runner waits for a *normal-priority* task
 * (`scheduler.postTask` at 'user-visible', else a MessageChannel hop, which has no 4 ms clamp).
 * Not `scheduler.yield()`: its continuations run ahead of every other queued task, so a long scan
 * made of yields still starves the page's own timers and events (measured: the load event of a
 * 1 MB article came 290 ms later). Not 'background' priority or requestIdleCallback either: on
 * a busy page those may never run.
 */
export function browserSliceClock(): SliceClock {
  const perf = performance;
  const scheduler = (globalThis as { scheduler?: Partial<PostTaskScheduler> }).scheduler;
  let nextTask: () => Promise<void>;
  if (typeof scheduler?.postTask === 'function') {
    const postTask = scheduler.postTask.bind(scheduler);
    nextTask = () => postTask(() => undefined, { priority: 'user-visible' }).then(() => undefined);
  } else {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    nextTask = () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      });
  }
  return {
    now: () => perf.now(),
    yieldToBrowser: nextTask,
    later(callback, ms) {
      const handle = setTimeout(callback, ms);
      return () => clearTimeout(handle);
    },
  };
}
