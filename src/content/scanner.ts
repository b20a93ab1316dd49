/**
 * Walks a document (and its open shadow roots) for text that holds phone numbers or SIP
 * addresses, in resumable jobs that a SliceRunner drives a few milliseconds at a time.
 *
 * One TreeWalker over elements and text: elements are only looked at to prune skipped subtrees
 * (scripts, editors, form fields, SVG, …) and to find open shadow roots in the same pass; each
 * text node goes through a cheap prefilter before the detector. Results go to the MarkStore.
 */
import { detector, hasPhoneEngine, parseDialable } from './detect/engine';
import type { CountryCode, Detection } from './detect/types';
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

/** The part of the phone engine a set-aside text waits for (see phone-metadata.ts). */
export type EnginePart = 'detector' | 'metadata';

/** Thrown out of a chunk's detection when the engine part it needs is missing. */
const NEEDS_ENGINE = Symbol('needs engine');

export interface ScannerOptions {
  doc: Document;
  country: CountryCode;
  /** The extension's own UI hosts: never scanned. */
  own: ReadonlySet<Element>;
  marks: MarkStore<Text, Element, AbstractRange>;
  /** An open shadow root was found (the caller observes it and styles its highlights). */
  onShadowRoot(root: ShadowRoot): void;
  /**
   * Text that may hold a number was reached before the part of the phone engine it needs was
   * loaded: the scanner set it aside and walks on; the caller loads that part and schedules
   * `work` again.
   */
  needEngine(part: EnginePart): void;
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
    // a mark exists only once the detector is loaded, and a phone mark only with the metadata
    if (this.kind === 'sip') return detector()?.sipDisplay(this.dial) ?? this.dial;
    // a phone mark's dial is E.164 (;ext=…)
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
   * Text nodes that need a part of the phone engine, set aside until it is loaded. The walk goes
   * on meanwhile, so the engine's load overlaps the rest of the first scan instead of stalling it.
   */
  private deferred: Text[] = [];
  /** The text each deferred node had: not read from the page a second time. */
  private deferredData: string[] = [];
  private deferredHead = 0;
  /** What the set-aside text waits for. */
  private waitingFor: EnginePart = 'detector';
  /** Parts the loader gave up on: text that needs one is taken as holding nothing callable. */
  private unavailable = new Set<EnginePart>();
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

  /** True while text set aside waits for a part of the phone engine (the scan is not done yet). */
  get waitingForEngine(): boolean {
    return this.deferredHead < this.deferred.length && !this.engineAnswered(this.waitingFor);
  }

  /**
   * The loader gave up on `part` (and the metadata with the detector): the set-aside text and
   * every later candidate are finished without it, so the scan ends and nothing piles up.
   */
  engineUnavailable(part: EnginePart): void {
    this.unavailable.add(part);
    if (part === 'detector') this.unavailable.add('metadata');
  }

  private engineAnswered(part: EnginePart): boolean {
    return (part === 'detector' ? detector() !== null : hasPhoneEngine()) || this.unavailable.has(part);
  }

  private get deferredReady(): boolean {
    return this.deferredHead < this.deferred.length && !this.waitingForEngine;
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
    if (this.deferredReady && !this.scanDeferred(deadline) && !this.waitingForEngine) return true;
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
      return this.sweepNeeded || this.deferredReady;
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
          if (!this.engineAnswered('metadata') && name === 'a' && CALL_LINK_SCHEME.test(element.getAttribute('href') ?? '')) this.options.needEngine('metadata');
        } else if (mayHostShadowRoot(name)) {
          const shadow = element.shadowRoot;
          if (shadow) this.addShadowRoot(shadow);
        }
      }
      if (++count % CLOCK_EVERY === 0 && now() >= deadline) return false;
    }
  }

  /**
   * Text set aside before the engine came, in document order; false when the deadline passed or
   * a text needs a part of the engine still missing (it stays first in line, and was requested).
   */
  private scanDeferred(deadline: number): boolean {
    const { now, marks } = this.options;
    while (this.deferredHead < this.deferred.length) {
      const index = this.deferredHead;
      const node = this.deferred[index]!;
      // the text it had when set aside: had it changed since, the change queued it again, and that later scan wins
      const data = this.deferredData[index]!;
      if (!node.isConnected) {
        // gone from the page: nothing to mark
      } else if (data.length > LONG_TEXT) this.jobs.push({ kind: 'chunk', node, data, from: 0, found: [] });
      else {
        const found = this.detectIn(data);
        if (!found) return false;
        this.textsDetected++;
        marks.record(node, found.map(toMark), data);
      }
      this.deferredHead++;
      if ((this.deferredHead & 15) === 0 && now() >= deadline) break;
    }
    if (this.deferredHead < this.deferred.length) return false;
    this.deferred = [];
    this.deferredData = [];
    this.deferredHead = 0;
    return true;
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
    if (this.waitingForEngine) {
      this.setAside(node, data);
      return;
    }
    this.detectText(node, data);
  }

  /** Detects in `data` (the node's text, a candidate) and records what was found, or sets it aside. */
  private detectText(node: Text, data: string): void {
    const found = this.detectIn(data);
    if (!found) {
      this.setAside(node, data);
      return;
    }
    this.textsDetected++;
    this.options.marks.record(node, found.map(toMark), data);
  }

  /**
   * What `data` holds, or null when the part of the engine it needs is missing (then it is asked
   * for). Nothing, when that part could not be loaded.
   */
  private detectIn(data: string): Detection[] | null {
    const current = detector();
    if (!current) return this.need('detector');
    return current.detect(data, this.options.country) ?? this.need('metadata');
  }

  private need(part: EnginePart): Detection[] | null {
    if (this.unavailable.has(part)) return [];
    this.waitingFor = part;
    this.options.needEngine(part);
    return null;
  }

  private chunk(job: ChunkJob, deadline: number): boolean {
    const { now, marks } = this.options;
    if (!job.node.isConnected) return true;
    if (job.node.data !== job.data) {
      this.enqueue(job.node);
      return true;
    }
    do {
      let piece: ChunkResult<Detection>;
      try {
        piece = detectChunk(job.data, job.from, (text) => {
          const found = this.detectIn(text);
          if (!found) throw NEEDS_ENGINE;
          return found;
        });
      } catch (error) {
        if (error !== NEEDS_ENGINE) throw error;
        this.setAside(job.node, job.data); // detected whole, from its start, once the engine is in
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
