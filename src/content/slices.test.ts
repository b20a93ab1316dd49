import { describe, expect, it } from 'vitest';
import { SliceRunner, type SliceClock } from './slices';

/** A fake clock: each unit of work advances time by `costMs`; yields are counted. */
function fakeClock() {
  let time = 0;
  let yields = 0;
  const timers: (() => void)[] = [];
  const clock: SliceClock = {
    now: () => time,
    yieldToBrowser: async () => {
      yields++;
    },
    later(callback) {
      timers.push(callback);
      return () => {
        const index = timers.indexOf(callback);
        if (index >= 0) timers.splice(index, 1);
      };
    },
  };
  return {
    clock,
    advance: (ms: number) => (time += ms),
    yields: () => yields,
    fire: async () => {
      const due = timers.splice(0);
      for (const callback of due) callback();
      for (let i = 0; i < 50; i++) await Promise.resolve();
    },
    pendingTimers: () => timers.length,
  };
}

describe('slice runner', () => {
  it('splits work into slices of at most the budget and yields between them', async () => {
    const fake = fakeClock();
    let items = 100;
    const sliceLengths: number[] = [];
    const runner = new SliceRunner(fake.clock, (deadline) => {
      const start = fake.clock.now();
      while (items > 0 && fake.clock.now() < deadline) {
        items--;
        fake.advance(1); // one item costs 1 ms
      }
      sliceLengths.push(fake.clock.now() - start);
      return items > 0;
    }, 8);
    runner.schedule();
    expect(fake.pendingTimers()).toBe(1);
    await fake.fire();
    expect(items).toBe(0);
    expect(Math.max(...sliceLengths)).toBeLessThanOrEqual(8);
    expect(sliceLengths.length).toBe(13);
    expect(fake.yields()).toBe(12);
    expect(runner.stats).toMatchObject({ slices: 13, busyMs: 100, longestSliceMs: 8 });
  });

  it('coalesces schedules while waiting and reruns when work arrives mid-run', async () => {
    const fake = fakeClock();
    let runs = 0;
    let queue = 1;
    let idle = 0;
    const runner = new SliceRunner(fake.clock, () => {
      runs++;
      queue = Math.max(0, queue - 1);
      if (runs === 1) runner.schedule(); // new work arrives during the slice
      return queue > 0;
    }, 8, () => idle++);
    runner.schedule(50);
    runner.schedule(50);
    expect(fake.pendingTimers()).toBe(1);
    await fake.fire();
    expect(runs).toBe(2);
    expect(idle).toBe(1);
    expect(runner.busy).toBe(false);
  });

  it('survives work that throws and stops for good when stopped', async () => {
    const fake = fakeClock();
    let calls = 0;
    const runner = new SliceRunner(fake.clock, () => {
      calls++;
      throw new Error('hostile page');
    });
    runner.schedule();
    await fake.fire();
    expect(calls).toBe(1);
    runner.stop();
    runner.schedule();
    expect(fake.pendingTimers()).toBe(0);
  });
});
