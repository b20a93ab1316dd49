/**
 * Bookkeeping for what was found in which text node, without touching the page's DOM:
 *  - per text node (WeakMap) the text it was scanned with and the numbers found in it;
 *  - per owner element (the text's parent) the text nodes it holds, so an IntersectionObserver
 *    on the owner decides which numbers get a highlight range (only those near the viewport);
 *  - removed text nodes release their ranges and stop being observed.
 * Generic over the node, element and range types so it is unit-tested with plain objects.
 */

export interface Mark {
  start: number;
  end: number;
  kind: 'phone' | 'sip';
  dial: string;
  display: string;
}

export interface MarkHost<N, E, R> {
  ownerOf(node: N): E | null;
  makeRange(node: N, start: number, end: number): R;
  paint(ranges: readonly R[]): void;
  unpaint(ranges: readonly R[]): void;
  watch(owner: E): void;
  unwatch(owner: E): void;
  isConnected(node: N): boolean;
}

interface Entry<E, R> {
  marks: Mark[];
  owner: E;
  /** The ranges currently painted, or null while the owner is away from the viewport. */
  ranges: R[] | null;
}

export class MarkStore<N extends object, E extends object, R> {
  private entries = new WeakMap<N, Entry<E, R>>();
  /** Marked nodes in the order they were found (document order for a first scan). */
  private nodes = new Set<N>();
  /** Per owner its marked text nodes: the node itself while it is the only one (the usual case), else a set. */
  private byOwner = new Map<E, N | Set<N>>();
  private visible = new WeakSet<E>();
  /**
   * Per scanned node, the text it was scanned with, so unchanged text is not scanned again even
   * when a change went unobserved (the content script stops observing during a mutation flood).
   * The string is the one the page's node holds (the DOM hands out the same string for unchanged
   * text, so comparing is usually one pointer check), not a copy; the caller also invalidates a
   * node whose change it saw.
   */
  private scanned = new WeakMap<N, string>();

  constructor(
    private readonly host: MarkHost<N, E, R>,
    private readonly maxNodes = 20_000,
  ) {}

  get size(): number {
    return this.nodes.size;
  }

  /** True when `node` was scanned with `text`, its current text (and not invalidated since). */
  wasScanned(node: N, text: string): boolean {
    return this.scanned.get(node) === text;
  }

  /** The node's text changed: its marks are stale until it is scanned again. */
  invalidate(node: N): void {
    this.scanned.delete(node);
  }

  /** Records the result of scanning `node` with `text`; an empty list clears it. */
  record(node: N, marks: Mark[], text: string): void {
    this.scanned.set(node, text);
    const old = this.entries.get(node);
    if (marks.length === 0) {
      if (old) this.release(node, false);
      return;
    }
    const owner = this.host.ownerOf(node);
    if (owner && old && old.owner === owner && sameMarks(old.marks, marks)) return; // a rescan that found the same
    if (owner && old && old.owner === owner) {
      // Same place, new text: swap the ranges but keep the owner observed (no flicker).
      if (old.ranges) this.host.unpaint(old.ranges);
      old.marks = marks;
      old.ranges = null;
      if (this.visible.has(owner)) this.paint(node, old);
      return;
    }
    this.release(node, false);
    if (!owner || this.nodes.size >= this.maxNodes) return;
    const entry: Entry<E, R> = { marks, owner, ranges: null };
    this.entries.set(node, entry);
    this.nodes.add(node);
    const siblings = this.byOwner.get(owner);
    if (siblings === undefined) {
      this.byOwner.set(owner, node);
      this.host.watch(owner);
    } else if (siblings instanceof Set) siblings.add(node);
    else if (siblings !== node) this.byOwner.set(owner, new Set([siblings, node]));
    if (this.visible.has(owner)) this.paint(node, entry);
  }

  /** Forgets a node: its ranges leave the highlight, its owner is unobserved when it holds no more. */
  release(node: N, forgetScan = true): void {
    if (forgetScan) this.scanned.delete(node);
    const entry = this.entries.get(node);
    if (!entry) return;
    this.entries.delete(node);
    this.nodes.delete(node);
    if (entry.ranges) this.host.unpaint(entry.ranges);
    const siblings = this.byOwner.get(entry.owner);
    if (siblings instanceof Set) {
      siblings.delete(node);
      if (siblings.size === 1) this.byOwner.set(entry.owner, siblings.values().next().value!);
    } else if (siblings === node) {
      this.byOwner.delete(entry.owner);
      this.visible.delete(entry.owner);
      this.host.unwatch(entry.owner);
    }
  }

  /** Called by the viewport observer: paint the owner's numbers near the viewport, drop the rest. */
  setVisible(owner: E, visible: boolean): void {
    const siblings = this.byOwner.get(owner);
    if (siblings === undefined) return;
    if (visible) this.visible.add(owner);
    else this.visible.delete(owner);
    if (siblings instanceof Set) for (const node of siblings) this.showOrHide(node, visible);
    else this.showOrHide(siblings, visible);
  }

  private showOrHide(node: N, visible: boolean): void {
    const entry = this.entries.get(node);
    if (!entry) return;
    if (visible && !entry.ranges) this.paint(node, entry);
    else if (!visible && entry.ranges) {
      this.host.unpaint(entry.ranges);
      entry.ranges = null;
    }
  }

  /** The number at a caret offset in `node` (the offset may sit just after its last character). */
  find(node: N, offset: number): Mark | undefined {
    const entry = this.entries.get(node);
    if (!entry) return undefined;
    return entry.marks.find((mark) => offset >= mark.start && offset <= mark.end);
  }

  marksOf(node: N): readonly Mark[] {
    return this.entries.get(node)?.marks ?? [];
  }

  *all(): Generator<{ node: N; mark: Mark }> {
    for (const node of this.nodes) {
      const entry = this.entries.get(node);
      if (entry) for (const mark of entry.marks) yield { node, mark };
    }
  }

  /** Releases every node no longer in the document; returns how many were released. */
  sweep(): number {
    let released = 0;
    for (const node of [...this.nodes]) {
      if (!this.host.isConnected(node)) {
        this.release(node);
        released++;
      }
    }
    return released;
  }

  clear(): void {
    for (const node of [...this.nodes]) this.release(node);
    this.scanned = new WeakMap();
  }

  private paint(node: N, entry: Entry<E, R>): void {
    entry.ranges = entry.marks.map((mark) => this.host.makeRange(node, mark.start, mark.end));
    this.host.paint(entry.ranges);
  }
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.start !== y.start || x.end !== y.end || x.dial !== y.dial) return false;
  }
  return true;
}
