/**
 * Walks a document (and its open shadow roots) for text that holds phone numbers or SIP
 * addresses, in resumable jobs that a SliceRunner drives a few milliseconds at a time.
 *
 * One TreeWalker over elements and text: elements are only looked at to prune skipped subtrees
 * (scripts, editors, form fields, SVG, …) and to find open shadow roots in the same pass; each
 * text node goes through a cheap prefilter before the detector. Results go to the MarkStore.
 */
import { detect, hasPhoneEngine, MetadataNotLoaded, parseDialable, type CountryCode, type Detection } from './detect';
import { readSipUri } from './detect/sip';
import { detectChunk, type ChunkResult } from './chunks';
import type { Mark, MarkStore } from './marks';
import { CALL_LINK_SCHEME, MIN_CALLABLE_LENGTH, mayContainCallable, mayHostShadowRoot, skipElement } from './node-filter';

/** Text nodes longer than this are detected in pieces across slices. */
const LONG_TEXT = 16_384;
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const DOCUMENT_FRAGMENT_NODE = 11;
/** How many nodes are walked between two looks at the clock. */
const CLOCK_EVERY = 16;
/** A walk whose position was removed from the page starts over (cheaply: scanned text is remembered). */
const MAX_RESTARTS = 3;

interface WalkJob {
  kind: 'walk';
  root: Node;
  walker: TreeWalker | null;
  /** The walker's current element is skipped: continue after its subtree. */
  skipSubtree: boolean;
  restarts: number;
}

interface ChunkJob {
  kind: 'chunk';
  node: Text;
  data: string;
  from: number;
  found: Mark[];
}

type Job = WalkJob | ChunkJob;

export interface ScannerOptions {
  doc: Document;
  country: CountryCode;
  /** The extension's own UI hosts: never scanned. */
  own: ReadonlySet<Element>;
  marks: MarkStore<Text, Element, AbstractRange>;
  /** An open shadow root was found (the caller observes it and styles its highlights). */
  onShadowRoot(root: ShadowRoot): void;
  /**
   * Text that may hold a phone number was reached before the phone metadata was loaded: the
   * scanner set it aside and walks on; the caller loads the metadata and schedules `work` again.
   */
  needMetadata(): void;
  now(): number;
}

/**
 * What is kept per number found: four fields, nothing else retained (a big table holds
 * thousands). The display string is worked out from the dial string only when read, for the
 * call button's label or the number list, never for the numbers nobody points at.
 */
class PageMark implements Mark {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly kind: Mark['kind'],
    readonly dial: string,
  ) {}

  get display(): string {
    if (this.kind === 'sip') return readSipUri(this.dial, 0)?.display ?? this.dial;
    // a phone mark exists only once the phone engine is loaded; its dial is E.164 (;ext=…)
    const parsed = parseDialable(`tel:${this.dial}`, 'US');
    return parsed.ok ? parsed.display : this.dial;
  }
}

export function toMark(detection: Detection): Mark {
  return new PageMark(detection.start, detection.end, detection.kind, detection.dial);
}

/** The element an IntersectionObserver watches for a text node: its parent, or its shadow host. */
export function ownerOf(node: Node): Element | null {
  const parent = node.parentNode;
  if (!parent) return null;
  if (parent.nodeType === ELEMENT_NODE) return parent as Element;
  if (parent.nodeType === DOCUMENT_FRAGMENT_NODE) return (parent as ShadowRoot).host ?? null;
  return null;
}

export class Scanner {
  private jobs: Job[] = [];
  private head = 0;
  private pending = new WeakSet<Node>();
  private shadowRoots = new Set<ShadowRoot>();
  /** Ancestor verdicts for mutation roots; cleared whenever the runner goes idle. */
  private insideSkippedCache = new WeakMap<Element, boolean>();
  private sweepNeeded = false;
  /**
   * Text nodes that need the phone metadata, set aside until it is loaded. The walk goes on
   * meanwhile, so the metadata's fetch overlaps the rest of the first scan instead of stalling it.
   */
  private deferred: Text[] = [];
  /** The text each deferred node had: not read from the page a second time. */
  private deferredData: string[] = [];
  private deferredHead = 0;
  /** Nodes (elements and text) visited since the scanner was made. */
  nodesVisited = 0;
  textsDetected = 0;

  /** Only XML documents can have elements of other namespaces outside <svg> and <math> (see isSkipped). */
  private readonly foreignElementsPossible: boolean;

  constructor(private readonly options: ScannerOptions) {
    this.foreignElementsPossible = options.doc.contentType !== 'text/html';
  }

  /** Open shadow roots found so far, pruned of those no longer in the page. */
  openShadowRoots(): ShadowRoot[] {
    for (const root of this.shadowRoots) if (!root.host.isConnected) this.shadowRoots.delete(root);
    return [...this.shadowRoots];
  }

  hasWork(): boolean {
    return this.head < this.jobs.length || this.sweepNeeded;
  }

  /** True while text set aside waits for the phone metadata (the scan is not done yet). */
  get waitingForMetadata(): boolean {
    return this.deferredHead < this.deferred.length && !hasPhoneEngine();
  }

  enqueue(node: Node): void {
    if (this.pending.has(node)) return;
    this.pending.add(node);
    this.jobs.push({ kind: 'walk', root: node, walker: null, skipSubtree: false, restarts: 0 });
  }

  /** The whole page again (SPA navigation, re-enable): unchanged text is not detected twice. */
  enqueueDocument(): void {
    const { doc } = this.options;
    this.enqueue(doc.body ?? doc.documentElement);
    for (const root of this.openShadowRoots()) this.enqueue(root);
  }

  requestSweep(): void {
    this.sweepNeeded = true;
  }

  idle(): void {
    this.insideSkippedCache = new WeakMap();
  }

  /** SliceWork: runs jobs until `deadline`; true while work remains. */
  work(deadline: number): boolean {
    const { now, marks } = this.options;
    if (this.sweepNeeded) {
      this.sweepNeeded = false;
      marks.sweep();
    }
    if (this.deferredHead < this.deferred.length && hasPhoneEngine() && !this.scanDeferred(deadline)) return true;
    while (this.head < this.jobs.length) {
      const job = this.jobs[this.head]!;
      const finished = job.kind === 'walk' ? this.walk(job, deadline) : this.chunk(job, deadline);
      if (finished) {
        this.jobs[this.head] = undefined as unknown as Job;
        this.head++;
      }
      if (now() >= deadline) break;
    }
    if (this.head >= this.jobs.length) {
      this.jobs = [];
      this.head = 0;
      return this.sweepNeeded || (this.deferredHead < this.deferred.length && hasPhoneEngine());
    }
    if (this.head > 1024) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  private walk(job: WalkJob, deadline: number): boolean {
    const { doc, now, own } = this.options;
    if (!job.walker) {
      const root = job.root;
      this.pending.delete(root);
      if (!root.isConnected) return true;
      if (root.nodeType === TEXT_NODE) {
        if (!this.insideSkipped(ownerOf(root))) this.scanText(root as Text);
        return true;
      }
      if (root.nodeType === ELEMENT_NODE) {
        if (this.insideSkipped(root as Element)) return true;
        const shadow = (root as Element).shadowRoot;
        if (shadow) this.addShadowRoot(shadow);
      } else if (root.nodeType === DOCUMENT_FRAGMENT_NODE) {
        const host = (root as ShadowRoot).host;
        if (!host || this.insideSkipped(host)) return true;
      } else return true;
      job.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    } else if (!job.walker.currentNode.isConnected) {
      // The page removed the node we stopped at: start this root over.
      if (job.restarts++ >= MAX_RESTARTS || !job.root.isConnected) return true;
      job.walker = doc.createTreeWalker(job.root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      job.skipSubtree = false;
    }
    const walker = job.walker;
    let count = 0;
    for (;;) {
      let node: Node | null;
      if (job.skipSubtree) {
        job.skipSubtree = false;
        node = nextOutside(walker);
      } else node = walker.nextNode();
      if (!node) return true;
      this.nodesVisited++;
      if (node.nodeType === TEXT_NODE) {
        this.scanText(node as Text);
      } else {
        const element = node as Element;
        const name = element.localName;
        if (skipElement(element, own, name, this.foreignElementsPossible)) {
          job.skipSubtree = true;
          // a call link (skipped: the link mode handles it) dials through the metadata when hovered or clicked
          if (!hasPhoneEngine() && name === 'a' && CALL_LINK_SCHEME.test(element.getAttribute('href') ?? '')) this.options.needMetadata();
        } else if (mayHostShadowRoot(name)) {
          const shadow = element.shadowRoot;
          if (shadow) this.addShadowRoot(shadow);
        }
      }
      if (++count % CLOCK_EVERY === 0 && now() >= deadline) return false;
    }
  }

  /** Text set aside before the metadata came, in document order; false when the deadline passed. */
  private scanDeferred(deadline: number): boolean {
    const { now } = this.options;
    while (this.deferredHead < this.deferred.length) {
      const index = this.deferredHead++;
      const node = this.deferred[index]!;
      // the text it had when set aside: had it changed since, the change queued it again, and that later scan wins
      const data = this.deferredData[index]!;
      if (!node.isConnected) {
        // gone from the page: nothing to mark
      } else if (data.length > LONG_TEXT) this.jobs.push({ kind: 'chunk', node, data, from: 0, found: [] });
      else this.detectText(node, data);
      if ((this.deferredHead & 15) === 0 && now() >= deadline) break;
    }
    if (this.deferredHead < this.deferred.length) return false;
    this.deferred = [];
    this.deferredData = [];
    this.deferredHead = 0;
    return true;
  }

  /** Sets a candidate aside until the phone engine is loaded, and asks for it. */
  private defer(node: Text, data: string): void {
    this.setAside(node, data);
    this.options.needMetadata();
  }

  private setAside(node: Text, data: string): void {
    this.deferred.push(node);
    this.deferredData.push(data);
  }

  private scanText(node: Text): void {
    const { marks } = this.options;
    // the length is a number; reading the text makes the page's string a script string first
    if (node.length < MIN_CALLABLE_LENGTH) {
      marks.release(node, false);
      return;
    }
    const data = node.data;
    if (!mayContainCallable(data)) {
      marks.release(node, false);
      return;
    }
    if (marks.wasScanned(node, data)) return;
    if (data.length > LONG_TEXT) {
      this.jobs.push({ kind: 'chunk', node, data, from: 0, found: [] });
      return;
    }
    // once one text needed the engine, the next candidates wait for it without trying
    if (this.waitingForMetadata) {
      this.setAside(node, data);
      return;
    }
    this.detectText(node, data);
  }

  /** Detects in `data` (the node's text, a candidate) and records what was found. */
  private detectText(node: Text, data: string): void {
    let found: Detection[];
    try {
      found = detect(data, { defaultCountry: this.options.country });
    } catch (error) {
      if (!(error instanceof MetadataNotLoaded)) throw error;
      this.defer(node, data);
      return;
    }
    this.textsDetected++;
    this.options.marks.record(node, found.map(toMark), data);
  }

  private chunk(job: ChunkJob, deadline: number): boolean {
    const { now, marks, country } = this.options;
    if (!job.node.isConnected) return true;
    if (job.node.data !== job.data) {
      this.enqueue(job.node);
      return true;
    }
    do {
      let piece: ChunkResult<Detection>;
      try {
        piece = detectChunk(job.data, job.from, (text) => detect(text, { defaultCountry: country }));
      } catch (error) {
        if (!(error instanceof MetadataNotLoaded)) throw error;
        this.defer(job.node, job.data); // detected whole, from its start, once the metadata is in
        return true;
      }
      const { found, next } = piece;
      for (const detection of found) job.found.push(toMark(detection));
      if (next < 0) {
        this.textsDetected++;
        marks.record(job.node, job.found, job.data);
        return true;
      }
      job.from = next;
    } while (now() < deadline);
    return false;
  }

  private addShadowRoot(root: ShadowRoot): void {
    if (!this.shadowRoots.has(root)) {
      this.shadowRoots.add(root);
      this.options.onShadowRoot(root);
    }
    this.enqueue(root);
  }

  /** True when the element or one of its ancestors (across shadow boundaries) is skipped. */
  private insideSkipped(start: Element | null): boolean {
    const chain: Element[] = [];
    let verdict = false;
    for (let element = start; element; ) {
      const cached = this.insideSkippedCache.get(element);
      if (cached !== undefined) {
        verdict = cached;
        break;
      }
      chain.push(element);
      element = ownerOf(element);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const element = chain[i]!;
      verdict = verdict || skipElement(element, this.options.own);
      this.insideSkippedCache.set(element, verdict);
    }
    return verdict;
  }
}

/** Moves the walker past the current node's subtree (TreeWalker has no "skip children" step). */
function nextOutside(walker: TreeWalker): Node | null {
  for (;;) {
    const sibling = walker.nextSibling();
    if (sibling) return sibling;
    if (!walker.parentNode()) return null;
  }
}
