import { describe, expect, it } from 'vitest';
import { ObservedWindow } from './observed-window';

function setup(size: number) {
  const observed = new Set<number>();
  const calls = { observe: 0, unobserve: 0 };
  const window = new ObservedWindow<number>(
    {
      compare: (a, b) => a - b,
      observe: (owner) => {
        calls.observe++;
        observed.add(owner);
      },
      unobserve: (owner) => {
        calls.unobserve++;
        observed.delete(owner);
      },
    },
    size,
  );
  return { window, observed, calls };
}

const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);

describe('observed window', () => {
  it('observes every owner while there are few', () => {
    const { window, observed } = setup(10);
    for (const owner of [5, 1, 9, 3]) window.add(owner);
    expect(sorted(observed)).toEqual([1, 3, 5, 9]);
    window.remove(3);
    expect(sorted(observed)).toEqual([1, 5, 9]);
    expect(window.count).toBe(3);
  });

  it('caps the observed owners and moves the window with the viewport', () => {
    const { window, observed } = setup(4);
    for (let owner = 0; owner < 20; owner++) window.add(owner);
    expect(sorted(observed)).toEqual([0, 1, 2, 3]);
    window.recenter(10);
    expect(sorted(observed)).toEqual([8, 9, 10, 11]);
    window.recenter(19);
    expect(sorted(observed)).toEqual([16, 17, 18, 19]);
    window.recenter(-5);
    expect(sorted(observed)).toEqual([0, 1, 2, 3]);
  });

  it('keeps the window full and in order when owners come and go', () => {
    const { window, observed } = setup(4);
    for (let owner = 0; owner < 20; owner += 2) window.add(owner); // 0 2 4 … 18
    window.recenter(10); // 6 8 10 12
    expect(sorted(observed)).toEqual([6, 8, 10, 12]);
    window.add(9); // inserted inside the window: the last one drops out
    expect(sorted(observed)).toEqual([6, 8, 9, 10]);
    window.add(1); // before the window: nothing changes
    expect(sorted(observed)).toEqual([6, 8, 9, 10]);
    window.remove(8);
    window.compact();
    expect(sorted(observed)).toEqual([6, 9, 10, 12]);
    window.remove(18);
    window.remove(16);
    window.remove(14);
    window.compact();
    expect(observed.size).toBe(4);
    expect(window.count).toBe(8);
    window.clear();
    expect(observed.size).toBe(0);
    expect(window.count).toBe(0);
  });

  it('removes thousands in one pass and keeps the window full', () => {
    const { window, observed, calls } = setup(100);
    for (let owner = 0; owner < 10_000; owner++) window.add(owner);
    window.recenter(5000);
    for (let owner = 0; owner < 10_000; owner += 2) window.remove(owner);
    window.compact();
    expect(window.count).toBe(5000);
    expect(observed.size).toBe(100);
    expect([...observed].every((owner) => owner % 2 === 1)).toBe(true);
    expect(calls.observe).toBeLessThan(400);
  });

  it('finds positions by binary search', () => {
    const { window } = setup(100);
    for (let owner = 0; owner < 50; owner += 5) window.add(owner);
    expect(window.indexOf(0)).toBe(0);
    expect(window.indexOf(12)).toBe(3);
    expect(window.indexOf(100)).toBe(10);
  });
});
