import { describe, expect, it } from 'vitest';
import { MarkStore, type Mark, type MarkHost } from './marks';

interface FakeText {
  name: string;
  owner: FakeElement;
  connected: boolean;
}
interface FakeElement {
  name: string;
}
interface FakeRange {
  node: string;
  start: number;
  end: number;
}

function setup(maxNodes?: number) {
  const painted = new Set<FakeRange>();
  const watched = new Set<FakeElement>();
  const host: MarkHost<FakeText, FakeElement, FakeRange> = {
    ownerOf: (node) => node.owner,
    makeRange: (node, start, end) => ({ node: node.name, start, end }),
    paint: (ranges) => ranges.forEach((range) => painted.add(range)),
    unpaint: (ranges) => ranges.forEach((range) => painted.delete(range)),
    watch: (owner) => watched.add(owner),
    unwatch: (owner) => watched.delete(owner),
    isConnected: (node) => node.connected,
  };
  return { store: new MarkStore(host, maxNodes), painted, watched };
}

const TEXT = 'text as scanned';
const mark = (start: number, end: number, dial = '+14155550101'): Mark => ({ start, end, kind: 'phone', dial, display: dial });

describe('mark store', () => {
  it('watches an owner once and paints only while it is near the viewport', () => {
    const { store, painted, watched } = setup();
    const cell: FakeElement = { name: 'td' };
    const a: FakeText = { name: 'a', owner: cell, connected: true };
    const b: FakeText = { name: 'b', owner: cell, connected: true };
    store.record(a, [mark(5, 17)], TEXT);
    store.record(b, [mark(3, 15, '+14155550102')], TEXT);
    expect([...watched]).toEqual([cell]);
    expect(painted.size).toBe(0);
    store.setVisible(cell, true);
    expect(painted.size).toBe(2);
    store.setVisible(cell, false);
    expect(painted.size).toBe(0);
    store.setVisible(cell, true);
    const c: FakeText = { name: 'c', owner: cell, connected: true };
    store.record(c, [mark(0, 15, '+14155550103')], TEXT);
    expect(painted.size).toBe(3); // a node found while its owner is visible is painted at once
  });

  it('keeps watching a shared owner until the last of its nodes goes, painting the ones left', () => {
    const { store, painted, watched } = setup();
    const cell: FakeElement = { name: 'td' };
    const [a, b, c] = ['a', 'b', 'c'].map((name): FakeText => ({ name, owner: cell, connected: true }));
    store.record(a!, [mark(0, 12)], TEXT);
    store.record(b!, [mark(0, 12, '+14155550102')], TEXT);
    store.record(c!, [mark(0, 12, '+14155550103')], TEXT);
    store.release(b!);
    store.setVisible(cell, true);
    expect([...painted].map((range) => range.node).sort()).toEqual(['a', 'c']);
    store.release(a!);
    expect([...watched]).toEqual([cell]);
    expect([...painted].map((range) => range.node)).toEqual(['c']);
    store.setVisible(cell, false);
    store.setVisible(cell, true); // one node left: still repainted
    expect([...painted].map((range) => range.node)).toEqual(['c']);
    store.release(c!);
    expect(watched.size).toBe(0);
    expect(painted.size).toBe(0);
    store.record(a!, [mark(0, 12)], TEXT); // and watched again when a number comes back
    expect([...watched]).toEqual([cell]);
  });

  it('finds the number at a caret offset, including just after its last character', () => {
    const { store } = setup();
    const node: FakeText = { name: 'n', owner: { name: 'p' }, connected: true };
    store.record(node, [mark(5, 17)], TEXT);
    expect(store.find(node, 4)).toBeUndefined();
    expect(store.find(node, 5)?.dial).toBe('+14155550101');
    expect(store.find(node, 17)?.dial).toBe('+14155550101');
    expect(store.find(node, 18)).toBeUndefined();
  });

  it('remembers scanned nodes until their text changes', () => {
    const { store } = setup();
    const node: FakeText = { name: 'n', owner: { name: 'p' }, connected: true };
    store.record(node, [], TEXT);
    expect(store.wasScanned(node, TEXT)).toBe(true);
    store.invalidate(node);
    expect(store.wasScanned(node, TEXT)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('a rescan replaces the old ranges; release and sweep free them and unwatch the owner', () => {
    const { store, painted, watched } = setup();
    const owner: FakeElement = { name: 'p' };
    const node: FakeText = { name: 'n', owner, connected: true };
    store.record(node, [mark(5, 17)], TEXT);
    store.setVisible(owner, true);
    store.record(node, [mark(5, 17), mark(21, 33, '+14155550102')], TEXT);
    expect(painted.size).toBe(2);
    node.connected = false;
    expect(store.sweep()).toBe(1);
    expect(painted.size).toBe(0);
    expect(watched.size).toBe(0);
    expect(store.size).toBe(0);
    expect(store.wasScanned(node, TEXT)).toBe(false);
  });

  it('lists all marks in the order found and clears everything', () => {
    const { store, painted, watched } = setup();
    const owner: FakeElement = { name: 'p' };
    const first: FakeText = { name: '1', owner, connected: true };
    const second: FakeText = { name: '2', owner, connected: true };
    store.record(first, [mark(0, 1, 'A')], TEXT);
    store.record(second, [mark(0, 1, 'B'), mark(2, 3, 'C')], TEXT);
    store.setVisible(owner, true);
    expect([...store.all()].map((entry) => entry.mark.dial)).toEqual(['A', 'B', 'C']);
    store.clear();
    expect(store.size).toBe(0);
    expect(painted.size).toBe(0);
    expect(watched.size).toBe(0);
    expect(store.wasScanned(first, TEXT)).toBe(false);
  });

  it('stops marking new nodes past its limit', () => {
    const { store } = setup(2);
    const owner: FakeElement = { name: 'p' };
    for (const name of ['a', 'b', 'c']) store.record({ name, owner, connected: true }, [mark(0, 1)], TEXT);
    expect(store.size).toBe(2);
  });

  it('a node counts as scanned only with the text it was scanned with; the same result keeps its ranges', () => {
    const { store, painted } = setup();
    const cell: FakeElement = { name: 'td' };
    const a: FakeText = { name: 'a', owner: cell, connected: true };
    store.record(a, [mark(0, 12)], 'call 415-555-0101');
    store.setVisible(cell, true);
    const first = [...painted];
    expect(first).toHaveLength(1);
    expect(store.wasScanned(a, 'call 415-555-0101')).toBe(true);
    expect(store.wasScanned(a, 'call 415-555-0199')).toBe(false); // changed while nobody watched
    store.record(a, [mark(0, 12)], 'call 415-555-0101');
    expect([...painted]).toEqual(first); // the very same range object: no repaint
    store.record(a, [mark(0, 12, '+14155550199')], 'call 415-555-0199');
    expect([...painted]).toHaveLength(1);
    expect([...painted][0]).not.toBe(first[0]);
  });
});
