/**
 * Click to call on one document while it is enabled: scanning (first pass and changes), the
 * highlights near the viewport, the hover/focus call button, the keyboard list and call links.
 * `destroy()` takes every trace of it off the page again.
 */
import { MetadataNotLoaded, parseDialable } from './detect/engine';
import type { CountryCode } from './detect/types';
import type { ContentConfig } from '../shared/messages';
import { callLinkTarget, type CallTarget } from './links';
import { MarkStore, type Mark } from './marks';
import { ObservedWindow } from './observed-window';
import { CALL_LINK_SCHEME } from './node-filter';
import { ownerOf, Scanner, type EnginePart } from './scanner';
import { browserSliceClock, SliceRunner } from './slices';
import { FloatingButton, NumberList, type ListEntry, type Rect, type StartCall } from './ui';

/**
 * The highlight's name, styled by content/highlight.css (injected by the manifest before the
 * page renders). A fixed name: the page can list the registry's names anyway.
 */
export const HIGHLIGHT_NAME = 'kandy-callable';
/** The same rule for open shadow roots, which document styles do not reach. */
const SHADOW_HIGHLIGHT_CSS = `::highlight(${HIGHLIGHT_NAME}) { background-color: rgba(26, 115, 232, 0.14); text-decoration: underline dotted rgba(26, 115, 232, 0.9); }`;

/** Prefix of the performance entries the content script leaves (timings only, never content). */
export const PERF_PREFIX = 'kandy-c2c:';
const MAX_UPDATE_MEASURES = 50;
const MIN_NODES_FOR_MEASURE = 100;
/**
 * A flood: more mutation records than this in one observer callback, or than FLOOD_RATE in a
 * second. The content script then stops observing for a while and rescans the page afterwards.
 */
const FLOOD_RECORDS = 256;
const FLOOD_RATE = 1000;
/** The pause is 20× what the last rescan after a flood cost (≤ 5 % of the CPU), within these bounds. */
const FLOOD_PAUSE_FACTOR = 20;
const FLOOD_PAUSE_MIN_MS = 500;
const FLOOD_PAUSE_MAX_MS = 5000;
/** Mutations are gathered this long before they are scanned. */
const MUTATION_DELAY_MS = 50;
/**
 * About one frame, and half the yields of 8 ms slices. Longest slice measured: 16–28 ms at 1×;
 * 31–56 ms at 4× CPU throttling, where the overruns are garbage collection inside a slice (8 ms
 * slices reached 39 ms). In an interleaved A/B on the 10,000-row table the first scan took 385 ms
 * (median) with 16 ms slices, 403 with 12 and 444 with 8.
 */
const SLICE_BUDGET_MS = 16;
/** Highlights are painted for numbers within this distance of the viewport. */
const VIEWPORT_MARGIN = '1200px 0px';
/**
 * Highlight changes are applied at most this often, and not while the page scrolls: Chrome
 * repaints the whole document for any change to a highlight (measured: ~30 ms per change on a
 * 10,000-row table, 1.3 s of main-thread time over 40 scroll steps when applied per frame).
 */
const PAINT_FLUSH_MS = 150;
/**
 * While a scan runs, highlight changes wait for it to finish (one repaint instead of one per
 * flush: on the 10,000-row table each repaint cost the scan ~30 ms of wall time), but no longer
 * than this, so a slow scan on a huge page still shows its numbers as it goes.
 */
const PAINT_WAIT_FOR_SCAN_MS = 1000;
const MAX_LIST_ENTRIES = 50;
/** While the user scrolls a huge page, the observed window follows at most this often. */
const RECENTER_MS = 200;
const MAX_FOCUS_TEXTS = 200;
const HIT_SLOP = 1;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export interface SessionHooks {
  startCall: StartCall;
  /** False once the extension was updated or removed under this page. */
  alive(): boolean;
  /** Called when `alive()` turned false: the controller tears everything down. */
  onDead(): void;
  /** Loads a part of the phone engine (see phone-metadata.ts); resolves false if it cannot. */
  loadEngine(part: EnginePart): Promise<boolean>;
}

/** Wraps a callback so nothing it throws (on a broken or hostile page) escapes into the page's console. */
function guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      callback(...args);
    } catch {
      // keep going; the next event starts from a clean slate
    }
  };
}

/** The element itself, or the shadow host that puts it in the document tree. */
function treeAnchor(element: Element): Element {
  let current = element;
  for (let depth = 0; depth < 32; depth++) {
    const root = current.getRootNode();
    if (root.nodeType !== 11 || !(root as ShadowRoot).host) return current;
    current = (root as ShadowRoot).host;
  }
  return current;
}

function documentOrder(a: Element, b: Element): number {
  if (a === b) return 0;
  // In the same tree (the common case) the DOM answers at once; across shadow trees it gives an
  // arbitrary order, so their hosts are compared instead.
  const direct = a.compareDocumentPosition(b);
  if (!(direct & 1 /* DISCONNECTED */)) return direct & 4 /* FOLLOWING */ ? -1 : direct & 2 /* PRECEDING */ ? 1 : 0;
  const first = treeAnchor(a);
  const second = treeAnchor(b);
  if (first === second) return 0;
  const position = first.compareDocumentPosition(second);
  if (position & 4 /* FOLLOWING */) return -1;
  if (position & 2 /* PRECEDING */) return 1;
  return 0;
}

function contains(rect: DOMRect, x: number, y: number): boolean {
  return x >= rect.left - HIT_SLOP && x <= rect.right + HIT_SLOP && y >= rect.top - HIT_SLOP && y <= rect.bottom + HIT_SLOP;
}

export class Session {
  readonly country: CountryCode;
  private linkMode: ContentConfig['linkMode'];
  private readonly own = new Set<Element>();
  private readonly highlightName = HIGHLIGHT_NAME;
  private readonly highlight = new Highlight();
  private readonly sheet = new CSSStyleSheet();
  private readonly styledRoots = new Set<ShadowRoot>();
  private readonly marks: MarkStore<Text, Element, AbstractRange>;
  private readonly scanner: Scanner;
  private readonly runner: SliceRunner;
  private readonly viewport: IntersectionObserver;
  private readonly observedWindow: ObservedWindow<Element>;
  private recenterTimer: ReturnType<typeof setTimeout> | undefined;
  private floodTimer: ReturnType<typeof setTimeout> | undefined;
  private floodPauseMs = FLOOD_PAUSE_MIN_MS;
  /** Runner busy time when the last rescan after a flood started, until it is measured. */
  private floodRescanBusyStart: number | undefined;
  private recordWindowStart = 0;
  private recordsInWindow = 0;
  private readonly pendingPaint = new Set<AbstractRange>();
  private readonly pendingUnpaint = new Set<AbstractRange>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest highlight change still waiting was queued. */
  private paintQueuedAt = 0;
  private lastScrollAt = 0;
  private readonly mutations: MutationObserver;
  private readonly button: FloatingButton;
  private readonly list: NumberList;
  private readonly listeners = new AbortController();
  private readonly linkCache = new WeakMap<Element, { href: string; target: CallTarget | undefined }>();
  private pointer: { x: number; y: number; target: EventTarget | null } | undefined;
  private frameRequested = false;
  private readonly engineRequests = new Set<EnginePart>();
  private engineFailureReported = false;
  private shownByFocus = false;
  private destroyed = false;
  // timings for performance.measure
  private firstScanStart = 0;
  private firstScanDone = false;
  private updateMeasures = 0;
  private batchStart = 0;
  private batchNodes = 0;
  private batchBusy = 0;
  private observerMs = 0;
  private longestCallbackMs = 0;

  constructor(
    private readonly doc: Document,
    config: ContentConfig,
    private readonly hooks: SessionHooks,
  ) {
    this.country = config.defaultCountry as CountryCode;
    this.linkMode = config.linkMode;
    this.marks = new MarkStore<Text, Element, AbstractRange>({
      ownerOf,
      makeRange: (node, start, end) => new StaticRange({ startContainer: node, startOffset: start, endContainer: node, endOffset: end }),
      paint: (ranges) => {
        for (const range of ranges) this.pendingPaint.add(range);
        this.scheduleFlush();
      },
      unpaint: (ranges) => {
        for (const range of ranges) {
          if (!this.pendingPaint.delete(range)) this.pendingUnpaint.add(range);
        }
        this.scheduleFlush();
      },
      watch: (owner) => this.observedWindow.add(owner),
      unwatch: (owner) => this.observedWindow.remove(owner),
      isConnected: (node) => node.isConnected,
    });
    this.viewport = new IntersectionObserver(guard((entries: IntersectionObserverEntry[]) => this.onViewport(entries)), { rootMargin: VIEWPORT_MARGIN });
    this.observedWindow = new ObservedWindow<Element>({
      compare: documentOrder,
      observe: (owner) => this.viewport.observe(owner),
      unobserve: (owner) => {
        this.viewport.unobserve(owner);
        this.marks.setVisible(owner, false);
      },
    });
    this.mutations = new MutationObserver(guard((records: MutationRecord[]) => this.onMutations(records)));
    const clock = browserSliceClock();
    this.scanner = new Scanner({
      doc,
      country: this.country,
      own: this.own,
      marks: this.marks,
      now: clock.now,
      onShadowRoot: (root) => this.adoptShadowRoot(root),
      needEngine: (part) => this.requestEngine(part),
    });
    this.runner = new SliceRunner(clock, (deadline) => this.scanner.work(deadline), SLICE_BUDGET_MS, () => this.onIdle());
    this.button = new FloatingButton(doc, hooks.startCall, this.own);
    this.list = new NumberList(doc, hooks.startCall, this.own);
  }

  start(): void {
    const { doc } = this;
    this.sheet.replaceSync(SHADOW_HIGHLIGHT_CSS);
    CSS.highlights.set(this.highlightName, this.highlight);
    this.mutations.observe(doc, { childList: true, characterData: true, subtree: true });
    const win = doc.defaultView;
    if (win) {
      const options = { capture: true, passive: true, signal: this.listeners.signal };
      win.addEventListener('mousemove', guard((event: MouseEvent) => this.onMouseMove(event)), options);
      win.addEventListener('scroll', guard(() => this.onScroll()), options);
      win.addEventListener('resize', guard(() => this.onScroll()), options);
      win.addEventListener('focusin', guard((event: FocusEvent) => this.onFocusIn(event)), options);
      win.addEventListener('focusout', guard((event: FocusEvent) => this.onFocusOut(event)), options);
      const active = { capture: true, signal: this.listeners.signal };
      win.addEventListener('keydown', guard((event: KeyboardEvent) => this.onKeyDown(event)), active);
      win.addEventListener('click', guard((event: MouseEvent) => this.onClick(event)), active);
      win.addEventListener('popstate', guard(() => this.rescan()), options);
      const navigation = (win as { navigation?: EventTarget }).navigation;
      navigation?.addEventListener('navigatesuccess', guard(() => this.rescan()), { signal: this.listeners.signal });
    }
    this.firstScanStart = performance.now();
    this.scanner.enqueueDocument();
    this.runner.schedule(0);
  }

  setLinkMode(mode: ContentConfig['linkMode']): void {
    this.linkMode = mode;
    this.button.hide();
  }

  /** Scans the page again (SPA navigation): text already scanned and unchanged costs little. */
  rescan(): void {
    if (this.destroyed) return;
    this.scanner.requestSweep();
    this.scanner.enqueueDocument();
    this.runner.schedule(MUTATION_DELAY_MS);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.listeners.abort();
    this.runner.stop();
    this.mutations.disconnect();
    this.viewport.disconnect();
    if (this.recenterTimer !== undefined) clearTimeout(this.recenterTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    if (this.floodTimer !== undefined) clearTimeout(this.floodTimer);
    this.pendingPaint.clear();
    this.pendingUnpaint.clear();
    this.button.destroy();
    this.list.destroy();
    try {
      this.observedWindow.clear();
      this.marks.clear();
      this.highlight.clear();
      if (CSS.highlights.get(this.highlightName) === this.highlight) CSS.highlights.delete(this.highlightName);
    } catch {
      // the page may have replaced the registry entries; nothing of ours is left to remove
    }
    for (const root of this.styledRoots) {
      try {
        const sheets = root.adoptedStyleSheets;
        const index = sheets.indexOf(this.sheet);
        if (index >= 0) sheets.splice(index, 1);
      } catch {
        // ignore
      }
    }
    this.styledRoots.clear();
  }

  // ---- scanning -------------------------------------------------------------------------

  private styleRoot(root: ShadowRoot): void {
    try {
      if (!root.adoptedStyleSheets.includes(this.sheet)) root.adoptedStyleSheets.push(this.sheet);
      this.styledRoots.add(root);
    } catch {
      // a page can freeze its style sheets; the numbers still work, they are just not underlined
    }
  }

  private adoptShadowRoot(root: ShadowRoot): void {
    // ::highlight() rules apply per tree scope, so each open shadow root needs the rule too.
    this.styleRoot(root);
    this.mutations.observe(root, { childList: true, characterData: true, subtree: true });
  }

  private onMutations(records: MutationRecord[]): void {
    const started = performance.now();
    if (!this.hooks.alive()) {
      this.hooks.onDead();
      return;
    }
    if (started - this.recordWindowStart > 1000) {
      this.recordWindowStart = started;
      this.recordsInWindow = 0;
    }
    this.recordsInWindow += records.length;
    if (records.length > FLOOD_RECORDS || this.recordsInWindow > FLOOD_RATE) {
      this.pauseForFlood();
      this.callbackDone(started);
      return;
    }
    for (const record of records) {
      if (record.type === 'characterData') {
        this.marks.invalidate(record.target as Text);
        this.scanner.enqueue(record.target);
        continue;
      }
      for (const node of record.addedNodes) {
        const type = node.nodeType;
        if (type === TEXT_NODE || (type === ELEMENT_NODE && !this.own.has(node as Element))) this.scanner.enqueue(node);
      }
      if (record.removedNodes.length > 0) this.scanner.requestSweep();
    }
    if (!this.runner.busy) this.startBatch();
    this.callbackDone(started);
    this.runner.schedule(MUTATION_DELAY_MS);
  }

  /**
   * A page rewriting itself thousands of times a second (a live ticker, a hostile page): every
   * record delivered to this isolated world costs a wrapper per record and per node, which made
   * single callbacks take 100-300 ms (bench/hostile-mutations.ts). So the observer is
   * disconnected for a while, and the whole page is rescanned afterwards. Text that changed unseen
   * meanwhile is found by comparing it with the text it was scanned with (MarkStore.wasScanned);
   * unchanged text is not detected again.
   */
  private pauseForFlood(): void {
    if (this.floodTimer !== undefined || this.destroyed) return;
    this.mutations.disconnect();
    this.floodTimer = setTimeout(
      guard(() => this.resumeAfterFlood()),
      this.floodPauseMs,
    );
  }

  private resumeAfterFlood(): void {
    this.floodTimer = undefined;
    if (this.destroyed) return;
    this.recordWindowStart = performance.now();
    this.recordsInWindow = 0;
    this.mutations.observe(this.doc, { childList: true, characterData: true, subtree: true });
    for (const root of this.scanner.openShadowRoots()) this.mutations.observe(root, { childList: true, characterData: true, subtree: true });
    if (!this.runner.busy) this.startBatch();
    this.floodRescanBusyStart = this.runner.stats.busyMs;
    this.rescan();
  }

  private onViewport(entries: IntersectionObserverEntry[]): void {
    const started = performance.now();
    for (const entry of entries) this.marks.setVisible(entry.target, entry.isIntersecting);
    this.callbackDone(started);
  }

  private callbackDone(started: number): void {
    const spent = performance.now() - started;
    this.observerMs += spent;
    if (spent > this.longestCallbackMs) this.longestCallbackMs = spent;
  }

  private startBatch(): void {
    this.batchStart = performance.now();
    this.batchNodes = this.scanner.nodesVisited;
    this.batchBusy = this.runner.stats.busyMs;
    this.observerMs = 0;
    this.longestCallbackMs = 0;
    this.runner.resetPeak();
  }

  private requestEngine(part: EnginePart): void {
    if (this.engineRequests.has(part) || this.destroyed) return;
    this.engineRequests.add(part);
    const start = performance.now();
    void this.hooks.loadEngine(part).then((loaded) => {
      try {
        performance.measure(`${PERF_PREFIX}${part}`, { start, end: performance.now(), detail: { loaded } });
      } catch {
        // timing is a nicety
      }
      if (this.destroyed) return;
      if (loaded) {
        this.engineRequests.delete(part);
      } else {
        // the loader's false is final (it retried already): stay in engineRequests, never ask again
        this.scanner.engineUnavailable(part);
        if (!this.engineFailureReported) {
          this.engineFailureReported = true; // a failed module fails both parts: one warning
          const unmarked = part === 'detector' ? 'phone numbers and SIP addresses' : 'phone numbers';
          console.warn(`Kandy Click-to-Call: could not load its phone number ${part === 'detector' ? 'detector' : 'data'}; ${unmarked} on this page are not marked. Reloading the page may help.`);
        }
      }
      this.runner.schedule(0);
    });
  }

  private onIdle(): void {
    if (this.scanner.waitingForEngine) return; // not done: the scan resumes when it arrives
    if (this.floodRescanBusyStart !== undefined) {
      const spent = this.runner.stats.busyMs - this.floodRescanBusyStart;
      this.floodRescanBusyStart = undefined;
      this.floodPauseMs = Math.min(FLOOD_PAUSE_MAX_MS, Math.max(FLOOD_PAUSE_MIN_MS, FLOOD_PAUSE_FACTOR * spent));
    }
    this.scanner.idle();
    this.observedWindow.compact();
    this.recenter();
    this.flushAfterScan();
    const stats = this.runner.stats;
    const end = performance.now();
    try {
      if (!this.firstScanDone) {
        this.firstScanDone = true;
        performance.measure(`${PERF_PREFIX}first-scan`, {
          start: this.firstScanStart,
          end,
          detail: {
            nodes: this.scanner.nodesVisited,
            busyMs: stats.busyMs,
            slices: stats.slices,
            longestSliceMs: stats.longestSliceMs,
            overruns: stats.overruns,
            observerMs: this.observerMs,
            longestCallbackMs: this.longestCallbackMs,
          },
        });
      } else {
        const nodes = this.scanner.nodesVisited - this.batchNodes;
        if (nodes >= MIN_NODES_FOR_MEASURE && this.updateMeasures < MAX_UPDATE_MEASURES) {
          this.updateMeasures++;
          performance.measure(`${PERF_PREFIX}update`, {
            start: this.batchStart,
            end,
            detail: { nodes, busyMs: stats.busyMs - this.batchBusy, observerMs: this.observerMs, longestSliceMs: stats.longestSliceMs, longestCallbackMs: this.longestCallbackMs },
          });
        }
      }
    } catch {
      // timing is a nicety
    }
    this.startBatch();
  }

  // ---- finding what is under the pointer or focus -------------------------------------------

  /** The call link (tel:, sip:, sips:, callto:) at or above `start`, with what it dials. */
  private callLinkAt(start: EventTarget | null | undefined): { element: Element; target: CallTarget } | undefined {
    let node = start as Node | null | undefined;
    for (let depth = 0; node && depth < 12; depth++) {
      if (node.nodeType === ELEMENT_NODE) {
        const element = node as Element;
        if (element.localName === 'a') {
          const href = element.getAttribute('href');
          if (href === null || !CALL_LINK_SCHEME.test(href)) return undefined;
          let cached = this.linkCache.get(element);
          if (!cached || cached.href !== href) {
            let target: CallTarget | undefined;
            try {
              target = callLinkTarget(href, (input) => parseDialable(input, this.country));
            } catch (error) {
              if (!(error instanceof MetadataNotLoaded)) throw error;
              this.requestEngine('metadata'); // the scan asked for it already; this covers links added since
              return undefined;
            }
            cached = { href, target };
            this.linkCache.set(element, cached);
          }
          return cached.target ? { element, target: cached.target } : undefined;
        }
        if (this.own.has(element)) return undefined;
      }
      node = ownerOf(node);
    }
    return undefined;
  }

  /** The client rect of `mark` in `node` that contains the point (or the last one when no point). */
  private markRect(node: Text, mark: Mark, x?: number, y?: number): DOMRect | undefined {
    if (!this.marks.wasScanned(node, node.data)) return undefined; // changed since; a rescan is queued
    const range = this.doc.createRange();
    try {
      range.setStart(node, mark.start);
      range.setEnd(node, mark.end);
    } catch {
      return undefined;
    }
    const rects = range.getClientRects();
    if (x === undefined || y === undefined) return rects[rects.length - 1];
    for (const rect of rects) if (contains(rect, x, y)) return rect;
    return undefined;
  }

  private caretAt(x: number, y: number): { node: Node; offset: number } | undefined {
    const doc = this.doc;
    if (typeof doc.caretPositionFromPoint === 'function') {
      const position = doc.caretPositionFromPoint(x, y, { shadowRoots: this.scanner.openShadowRoots() });
      return position ? { node: position.offsetNode, offset: position.offset } : undefined;
    }
    const range = doc.caretRangeFromPoint(x, y);
    return range ? { node: range.startContainer, offset: range.startOffset } : undefined;
  }

  private targetAtPoint(x: number, y: number, eventTarget: EventTarget | null): { target: CallTarget; rect: Rect } | undefined {
    if (this.marks.size > 0) {
      const caret = this.caretAt(x, y);
      if (caret && caret.node.nodeType === TEXT_NODE) {
        const node = caret.node as Text;
        const mark = this.marks.find(node, caret.offset);
        if (mark) {
          const rect = this.markRect(node, mark, x, y);
          if (rect) return { target: mark, rect };
        }
      }
    }
    if (this.linkMode === 'offer') {
      const link = this.callLinkAt(eventTarget);
      if (link) {
        for (const rect of link.element.getClientRects()) if (contains(rect, x, y)) return { target: link.target, rect };
        return { target: link.target, rect: link.element.getBoundingClientRect() };
      }
    }
    return undefined;
  }

  private onMouseMove(event: MouseEvent): void {
    if (!event.isTrusted) return;
    this.pointer = { x: event.clientX, y: event.clientY, target: event.composedPath()[0] ?? null };
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(
      guard(() => {
        this.frameRequested = false;
        this.hitTest();
      }),
    );
  }

  private hitTest(): void {
    if (this.destroyed || !this.pointer) return;
    if (!this.hooks.alive()) {
      this.hooks.onDead();
      return;
    }
    // Over our own UI (the window sees our hosts, never what is inside them): keep it as it is.
    if (this.pointer.target && this.own.has(this.pointer.target as Element)) return;
    try {
      const found = this.targetAtPoint(this.pointer.x, this.pointer.y, this.pointer.target);
      if (found) {
        this.shownByFocus = false;
        this.button.show(found.target, found.rect);
      } else if (!this.shownByFocus) this.button.hideSoon();
    } catch {
      this.button.hideSoon();
    }
  }

  /** On huge pages, moves the observed window to the owners around the viewport's centre. */
  private recenter(): void {
    if (this.destroyed || this.observedWindow.count <= this.observedWindow.size) return;
    const view = this.doc.defaultView;
    if (!view) return;
    const anchor = this.viewportAnchor(view.innerWidth, view.innerHeight);
    if (anchor) this.observedWindow.recenter(anchor);
  }

  /** Some page element around the middle of the viewport (not the page background, not our UI). */
  private viewportAnchor(width: number, height: number): Element | undefined {
    const { doc } = this;
    for (const y of [0.5, 0.3, 0.7, 0.1, 0.9]) {
      for (const x of [0.5, 0.25, 0.1, 0.75, 0.9, 0.02]) {
        const element = doc.elementFromPoint(width * x, height * y);
        if (element && element !== doc.body && element !== doc.documentElement && !this.own.has(element)) return element;
      }
    }
    return undefined;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.destroyed) return;
    if (this.pendingPaint.size + this.pendingUnpaint.size === 0) return;
    if (this.paintQueuedAt === 0) this.paintQueuedAt = performance.now();
    this.flushTimer = setTimeout(
      guard(() => {
        this.flushTimer = undefined;
        const scanning = this.runner.busy && performance.now() - this.paintQueuedAt < PAINT_WAIT_FOR_SCAN_MS; // onIdle paints
        if (this.scrolling() || scanning) this.scheduleFlush(); // a scroll: paint once it settles
        else this.flushPaint();
      }),
      PAINT_FLUSH_MS,
    );
  }

  /** The scan finished: what it found near the viewport is painted now (unless the page scrolls). */
  private flushAfterScan(): void {
    if (this.pendingPaint.size + this.pendingUnpaint.size === 0 || this.scrolling()) return;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushPaint();
  }

  private scrolling(): boolean {
    return performance.now() - this.lastScrollAt < PAINT_FLUSH_MS;
  }

  /** Applies the queued highlight changes in one go: one repaint for all of them. */
  private flushPaint(): void {
    for (const range of this.pendingUnpaint) this.highlight.delete(range);
    for (const range of this.pendingPaint) this.highlight.add(range);
    this.pendingUnpaint.clear();
    this.pendingPaint.clear();
    this.paintQueuedAt = 0;
  }

  private onScroll(): void {
    this.lastScrollAt = performance.now();
    if (this.button.visible && !this.button.hovered) this.button.hide();
    if (this.recenterTimer === undefined && this.observedWindow.count > this.observedWindow.size) {
      this.recenterTimer = setTimeout(
        guard(() => {
          this.recenterTimer = undefined;
          this.recenter();
        }),
        RECENTER_MS,
      );
    }
  }

  private onFocusIn(event: FocusEvent): void {
    if (!event.isTrusted) return;
    const start = event.composedPath()[0] as Node | undefined;
    if (!start || start.nodeType !== ELEMENT_NODE || this.own.has(start as Element)) return;
    const element = start as Element;
    try {
      if (this.linkMode === 'offer') {
        const link = this.callLinkAt(element);
        if (link) {
          this.shownByFocus = true;
          this.button.show(link.target, link.element.getBoundingClientRect());
          return;
        }
      }
      const inside = this.firstMarkIn(element);
      if (inside) {
        const rect = this.markRect(inside.node, inside.mark);
        if (rect) {
          this.shownByFocus = true;
          this.button.show(inside.mark, rect);
        }
      }
    } catch {
      // nothing to offer for this element
    }
  }

  private onFocusOut(event: FocusEvent): void {
    if (!event.isTrusted || !this.shownByFocus) return;
    this.shownByFocus = false;
    this.button.hideSoon();
  }

  private firstMarkIn(element: Element): { node: Text; mark: Mark } | undefined {
    if (this.marks.size === 0) return undefined;
    const walker = this.doc.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let i = 0; i < MAX_FOCUS_TEXTS; i++) {
      const node = walker.nextNode() as Text | null;
      if (!node) return undefined;
      const mark = this.marks.marksOf(node)[0];
      if (mark) return { node, mark };
    }
    return undefined;
  }

  // ---- keyboard list and call links ---------------------------------------------------------

  private onKeyDown(event: KeyboardEvent): void {
    if (!event.isTrusted || event.code !== 'KeyK' || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    if (!this.hooks.alive()) {
      this.hooks.onDead();
      return;
    }
    if (this.list.isOpen) this.list.close();
    else {
      this.button.hide();
      this.list.open(this.listEntries());
    }
  }

  /** Numbers shown on the page (deduplicated, visible ones only), then call links. */
  listEntries(): ListEntry[] {
    const entries: ListEntry[] = [];
    const seen = new Set<string>();
    const visible = new Map<Element, boolean>();
    const isVisible = (element: Element): boolean => {
      let result = visible.get(element);
      if (result === undefined) {
        result = element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
        visible.set(element, result);
      }
      return result;
    };
    for (const { node, mark } of this.marks.all()) {
      if (entries.length >= MAX_LIST_ENTRIES) return entries;
      if (seen.has(mark.dial) || !node.isConnected) continue;
      const owner = ownerOf(node);
      if (!owner || !isVisible(owner)) continue;
      seen.add(mark.dial);
      entries.push({ dial: mark.dial, display: mark.display, kind: mark.kind });
    }
    if (this.linkMode === 'off') return entries;
    for (const root of [this.doc, ...this.scanner.openShadowRoots()]) {
      for (const anchor of root.querySelectorAll('a[href]')) {
        if (entries.length >= MAX_LIST_ENTRIES) return entries;
        const link = this.callLinkAt(anchor);
        if (!link || seen.has(link.target.dial) || !isVisible(anchor)) continue;
        seen.add(link.target.dial);
        entries.push({ ...link.target, kind: 'link' });
      }
    }
    return entries;
  }

  private onClick(event: MouseEvent): void {
    if (!event.isTrusted || this.linkMode !== 'take-over' || event.button !== 0 || event.defaultPrevented) return;
    const link = this.callLinkAt(event.composedPath()[0]);
    if (!link) return;
    event.preventDefault(); // the call goes through the extension instead of the OS handler
    if (!this.hooks.alive()) {
      this.hooks.onDead();
      return;
    }
    void this.hooks.startCall(link.target);
  }
}
