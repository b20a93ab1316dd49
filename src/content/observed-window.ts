/**
 * Which marked elements the IntersectionObserver watches. Watching every one does not scale:
 * Chrome recomputes all observations on every scrolled frame (measured on a 10,000-row table:
 * about 16 ms of extra main-thread time per scroll step with 10,000 targets), and adding them
 * a batch per frame costs O(n) per frame. So at most `size` owners are observed: all of them
 * on ordinary pages, and on huge ones a window of `size` owners in document order around the
 * element at the viewport's centre, moved when the user scrolls. Owners outside the window
 * are not highlighted (they are far from the viewport) but still answer hover and the list.
 *
 * Generic over the element type, with document order given by `compare`, for unit tests.
 */

export interface WindowHost<E> {
  /** Negative when `a` comes before `b` in the document, positive after, 0 when unordered. */
  compare(a: E, b: E): number;
  observe(owner: E): void;
  /** Stop observing; the owner also stops being highlighted. */
  unobserve(owner: E): void;
}

export class ObservedWindow<E> {
  private owners: E[] = [];
  private observed = new Set<E>();
  private removed = new Set<E>();
  private start = 0;

  constructor(
    private readonly host: WindowHost<E>,
    readonly size = 600,
  ) {}

  get count(): number {
    return this.owners.length - this.removed.size;
  }

  get observedCount(): number {
    return this.observed.size;
  }

  /** Index of the first owner not before `element` (binary search in document order). */
  indexOf(element: E): number {
    this.compact();
    let low = 0;
    let high = this.owners.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.host.compare(this.owners[middle]!, element) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(owner: E): void {
    this.compact();
    const last = this.owners[this.owners.length - 1];
    let index: number;
    if (last === undefined || this.host.compare(last, owner) <= 0) {
      index = this.owners.length; // the common case: a scan finds owners in document order
      this.owners.push(owner);
    } else {
      index = this.indexOf(owner);
      this.owners.splice(index, 0, owner);
      if (index < this.start) this.start++;
    }
    if (index >= this.start && index < this.start + this.size) {
      this.observed.add(owner);
      this.host.observe(owner);
      // The window keeps its size: the owner pushed past its end is dropped.
      const pushedOut = this.owners[this.start + this.size];
      if (pushedOut !== undefined && pushedOut !== owner && this.observed.delete(pushedOut)) this.host.unobserve(pushedOut);
    }
  }

  /**
   * Forgets an owner. Removal is lazy (the list is compacted once before its next use), so a
   * page that drops thousands of rows costs one pass, not one splice per row.
   */
  remove(owner: E): void {
    if (this.observed.delete(owner)) this.host.unobserve(owner);
    this.removed.add(owner);
  }

  /** Moves the window so it is centred on `anchor` (an element near the viewport's centre). */
  recenter(anchor: E): void {
    this.compact();
    if (this.owners.length <= this.size) return;
    const centre = this.indexOf(anchor);
    const start = Math.max(0, Math.min(centre - (this.size >> 1), this.owners.length - this.size));
    if (start === this.start) return;
    this.start = start;
    this.refill();
  }

  clear(): void {
    for (const owner of this.observed) this.host.unobserve(owner);
    this.observed.clear();
    this.removed.clear();
    this.owners = [];
    this.start = 0;
  }

  /** Applies pending removals and refills the window. */
  compact(): void {
    if (this.removed.size === 0) return;
    const kept: E[] = [];
    let start = 0;
    for (let index = 0; index < this.owners.length; index++) {
      const owner = this.owners[index]!;
      if (this.removed.has(owner)) continue;
      if (index < this.start) start++;
      kept.push(owner);
    }
    this.owners = kept;
    this.removed.clear();
    this.start = start;
    this.refill();
  }

  private refill(): void {
    this.start = Math.max(0, Math.min(this.start, this.owners.length - this.size));
    const wanted = new Set(this.owners.slice(this.start, this.start + this.size));
    for (const owner of this.observed) {
      if (!wanted.has(owner)) {
        this.observed.delete(owner);
        this.host.unobserve(owner);
      }
    }
    for (const owner of wanted) {
      if (!this.observed.has(owner)) {
        this.observed.add(owner);
        this.host.observe(owner);
      }
    }
  }
}
