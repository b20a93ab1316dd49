/**
 * What the click-to-call content script costs a page, measured in Chromium with the built
 * extension against the same pages without it:
 *  - a generated 10,000-row contact table and a 1 MB article;
 *  - first-scan wall time and script time vs a bare TreeWalker pass over the same page;
 *  - script time per 1,000 nodes, longest slice, long tasks (PerformanceObserver) in the scan window;
 *  - the same under 4× CPU throttling (CDP Emulation.setCPUThrottlingRate);
 *  - script time to handle 1,000 appended rows;
 *  - page timings (DOMContentLoaded, load, longest frame gap) with and without the extension;
 *  - the content script's size (gzip; the loader and its module) and its main-thread evaluation
 *    time per page, from a trace of page loads with the extension.
 * The content script reports its own timings only through performance.measure entries named
 * `kandy-c2c:*` (durations and node counts; nothing about the page's content).
 *
 * Run: npm run build && npx tsx bench/detect-dom.ts
 */
import { createServer, type Server } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchProfile } from '../e2e/support/browser.ts';
import { ARTICLE_BYTES, TABLE_ROWS, articlePage, prng, tablePage, tableRow } from './lib/dom-pages.ts';
import { median as medianOf } from './lib/stats.ts';
import { bundleFiles, sizeOf } from './lib/bundles.ts';
import { traceContentEvaluations } from './lib/content-evaluation.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'dist');
const CONTENT_SCRIPT = resolve(DIST, 'content/index.js');
/** The injected loader and the module it imports at once (the phone engine and metadata are counted apart). */
const CONTENT_FILES = bundleFiles(DIST, 'content/index.js').js;
const RESULTS = resolve(ROOT, 'bench/results/detect-dom.json');
const APPENDED_ROWS = 1_000;
const THROTTLE_RATES = [1, 4] as const;
const EVAL_REPEATS = 5;
/** CPU time after appending rows is read this long after the append (× the throttling rate). */
const APPEND_SETTLE_MS = 2500;
const SCROLL_STEPS = 40;
/** Each page load is repeated and the median reported: the machine may be shared and noisy. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/**
 * The article's first scan is short (25–50 ms of script), so one slice preempted by another
 * process moves its per-node figure by a quarter: at 1× CPU it is loaded this many more times
 * with the extension (a load takes a few seconds; the table's take half a minute).
 */
const EXTRA_ARTICLE_RUNS = 3;

const TARGETS = {
  msPer1000Nodes: 3,
  longestTaskMs: 50,
  /**
   * The issue names the pages in this order, "a 1 MB page and a 10,000-row table", and the
   * first-scan targets in the same order, "300 ms / 600 ms". Until 2026-11-25 this bench held
   * them the other way round (the table to 300 ms), a misreading.
   */
  firstScanMs: { article: 300, table: 600 },
  appendMsPer1000Rows: 100,
};

function serve(pages: Record<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\//, '');
    const body = pages[name];
    if (body === undefined) {
      response.writeHead(name === '' ? 200 : 404, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

// ---- in-page instrumentation -------------------------------------------------------------------------

/**
 * Installed before any page script: long tasks, long animation frames and frame gaps. A plain
 * string, so the TypeScript runner cannot add helpers (like esbuild's __name) the page lacks.
 */
const INSTRUMENT = `(() => {
  const bench = { longTasks: [], frameGaps: [], loafScripts: [] };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        for (const script of entry.scripts || []) bench.loafScripts.push({ source: script.sourceURL, duration: script.duration, start: script.startTime });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  let last = performance.now();
  function frame(now) {
    bench.frameGaps.push({ at: now, gap: now - last });
    last = now;
    if (now < 60000) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();`;

interface ScanMeasure {
  start: number;
  duration: number;
  detail: { nodes: number; busyMs: number; slices?: number; longestSliceMs: number; observerMs?: number; longestCallbackMs?: number } | null;
}

async function measures(page: Page, name: string): Promise<ScanMeasure[]> {
  return page.evaluate(
    (name) => performance.getEntriesByName(name, 'measure').map((entry) => ({ start: entry.startTime, duration: entry.duration, detail: (entry as PerformanceMeasure).detail })),
    name,
  ) as Promise<ScanMeasure[]>;
}

async function waitForMeasure(page: Page, name: string, count: number, timeoutMs: number): Promise<ScanMeasure[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await measures(page, name);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no ${name} measure after ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

interface PageState {
  longTasks: { start: number; duration: number }[];
  frameGaps: { at: number; gap: number }[];
  loafScripts: { source: string; duration: number; start: number }[];
  dcl: number;
  load: number;
}

async function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const bench = (window as unknown as { __bench: Omit<PageState, 'dcl' | 'load'> }).__bench;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { ...bench, dcl: navigation?.domContentLoadedEventEnd ?? 0, load: navigation?.loadEventEnd ?? 0 };
  });
}

/** A plain TreeWalker pass over every element and text node, reading each text (the floor for any scan). */
async function bareWalk(page: Page): Promise<{ ms: number; nodes: number; texts: number }> {
  return page.evaluate(() => {
    const runs: number[] = [];
    let nodes = 0;
    let texts = 0;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      let chars = 0;
      nodes = 0;
      texts = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes++;
        if (node.nodeType === 3) {
          texts++;
          chars += (node as Text).data.length;
        }
      }
      runs.push(performance.now() - start + (chars < 0 ? 1 : 0));
    }
    return { ms: Math.min(...runs), nodes, texts };
  });
}

async function appendRows(page: Page, rows: string[]): Promise<number> {
  return page.evaluate((rows) => {
    const start = performance.now();
    const body = document.querySelector('#contacts tbody')!;
    const template = document.createElement('template');
    template.innerHTML = rows.join('');
    body.append(template.content);
    return performance.now() - start;
  }, rows);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Field-by-field median of several runs (numbers only; other fields from the first run). */
function median<T>(runs: T[]): T {
  const first = runs[0] as unknown;
  if (typeof first === 'number') {
    // an even count averages the two middle runs (taking the lower one, as before, flattered every figure)
    return round(medianOf(runs as number[]) ?? NaN, 2) as T;
  }
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first as object)) {
    const values = runs.map((run) => (run as Record<string, unknown>)[key]).filter((value) => value !== undefined);
    out[key] = values.length ? median(values) : undefined;
  }
  return out as T;
}
const longest = (tasks: { duration: number }[]) => tasks.reduce((max, task) => Math.max(max, task.duration), 0);

// ---- one load of one page --------------------------------------------------------------------------

interface RunResult {
  windowMs: number;
  dclMs: number;
  loadMs: number;
  maxFrameGapMs: number;
  longestTaskInWindowMs: number;
  longTasksInWindow: number;
  firstScan?: {
    wallMs: number;
    busyMs: number;
    slices: number;
    longestSliceMs: number;
    /** Longest IntersectionObserver / MutationObserver callback of the content script. */
    longestCallbackMs: number;
    observerMs: number;
    nodes: number;
    msPer1000Nodes: number;
    doneAtMs: number;
    /** The content script's on-demand load of the phone engine (module and metadata), inside the first scan. */
    metadataMs: number | null;
  };
  extensionScriptInLongFramesMs?: number;
  append?: { wallMs: number; busyMs: number; observerMs: number; nodes: number; longestSliceMs: number; longestCallbackMs: number; pageAppendMs: number };
  bareWalk: { ms: number; nodes: number; texts: number };
  /**
   * Main-thread CPU time of the page's renderer (CDP Performance.getMetrics ThreadTime): robust
   * on a busy machine, where wall-clock durations include time the thread was not running.
   */
  cpu: { untilScanEndMs: number; appendMs?: number; scrollMs: number };
  /** Longest 8 ms busy-loop slice measured by a page script: what preemption alone does to a slice here. */
  noiseFloorSliceMs?: number;
}

/** The control build: the same extension with an empty content script (isolates Chrome's own injection cost). */
function controlBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kandy-bench-control-'));
  cpSync(DIST, dir, { recursive: true });
  writeFileSync(join(dir, 'content/index.js'), '');
  return dir;
}

async function noiseFloor(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let longest = 0;
    const end = performance.now() + 1000;
    while (performance.now() < end) {
      const start = performance.now();
      while (performance.now() - start < 8) {
        // busy
      }
      longest = Math.max(longest, performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return longest;
  });
}

/** A profile without extensions, or with the extension built in `extensionDir`. */
async function openProfile(extensionDir?: string): Promise<BrowserContext> {
  const context = await launchProfile(extensionDir ? { extensionDir } : {});
  if (extensionDir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    void worker;
    // the welcome page opens on install; close it so it does not compete for the CPU
    await new Promise((done) => setTimeout(done, 1000));
    for (const page of context.pages()) if (page.url().startsWith('chrome-extension://')) await page.close();
  }
  return context;
}

/**
 * One load of `url`. Long tasks are collected from DOMContentLoaded for `windowMs` (with the
 * extension: until 1 s after its first scan; without: the window of the matching run with it).
 */
async function run(context: BrowserContext, url: string, withExtension: boolean, rate: number, appendable: string[] | undefined, windowMs?: number): Promise<RunResult> {
  const page = await context.newPage();
  await page.bringToFront(); // a background tab neither renders nor runs IntersectionObserver
  await page.addInitScript({ content: INSTRUMENT });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
  await cdp.send('Performance.enable');
  const threadTime = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ThreadTime')?.value ?? 0) * 1000;
  let firstScan: RunResult['firstScan'];
  let windowEnd: number;
  if (withExtension) {
    const [scan] = await waitForMeasure(page, 'kandy-c2c:first-scan', 1, 180_000);
    const detail = scan!.detail!;
    // both start at the first candidate; the detector is installed when the module is in, the engine when the metadata is
    const loads = [...(await measures(page, 'kandy-c2c:detector')), ...(await measures(page, 'kandy-c2c:metadata'))];
    const engineStart = Math.min(...loads.map((load) => load.start));
    const engineEnd = Math.max(...loads.map((load) => load.start + load.duration));
    firstScan = {
      wallMs: round(scan!.duration),
      busyMs: round(detail.busyMs),
      slices: detail.slices ?? 0,
      longestSliceMs: round(detail.longestSliceMs),
      longestCallbackMs: round(detail.longestCallbackMs ?? 0),
      observerMs: round(detail.observerMs ?? 0),
      nodes: detail.nodes,
      msPer1000Nodes: round((detail.busyMs / Math.max(1, detail.nodes)) * 1000, 2),
      doneAtMs: round(scan!.start + scan!.duration),
      metadataMs: loads.length ? round(engineEnd - engineStart) : null,
    };
    windowEnd = scan!.start + scan!.duration + 1000;
  } else {
    const dcl = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd);
    windowEnd = dcl + (windowMs ?? 3000);
  }
  await page.waitForTimeout(1500); // let IntersectionObserver and painting settle
  for (;;) {
    const now = await page.evaluate(() => performance.now());
    if (now >= windowEnd) break;
    await page.waitForTimeout(Math.min(1000, windowEnd - now));
  }
  const state = await pageState(page);
  const untilScanEnd = await threadTime();
  const inWindow = state.longTasks.filter((task) => task.start + task.duration >= state.dcl && task.start <= windowEnd);
  const gaps = state.frameGaps.filter((frame) => frame.at >= state.load && frame.at <= windowEnd + 500);
  const extensionScripts = state.loafScripts.filter((script) => script.source.startsWith('chrome-extension://'));

  let append: RunResult['append'];
  let appendCpu: number | undefined;
  if (appendable) {
    const before = await threadTime();
    const appendStart = Date.now();
    const pageAppendMs = await appendRows(page, appendable);
    if (withExtension) {
      const updates = await waitForMeasure(page, 'kandy-c2c:update', 1, 60_000);
      const update = updates.at(-1)!;
      append = {
        wallMs: round(update.duration),
        busyMs: round(update.detail?.busyMs ?? 0),
        observerMs: round(update.detail?.observerMs ?? 0),
        nodes: update.detail?.nodes ?? 0,
        longestSliceMs: round(update.detail?.longestSliceMs ?? 0),
        longestCallbackMs: round(update.detail?.longestCallbackMs ?? 0),
        pageAppendMs: round(pageAppendMs),
      };
    } else {
      append = { wallMs: 0, busyMs: 0, observerMs: 0, nodes: 0, longestSliceMs: 0, longestCallbackMs: 0, pageAppendMs: round(pageAppendMs) };
    }
    const settle = APPEND_SETTLE_MS * rate - (Date.now() - appendStart);
    if (settle > 0) await page.waitForTimeout(settle);
    appendCpu = (await threadTime()) - before;
  }
  const scrollStart = await threadTime();
  for (let step = 0; step < SCROLL_STEPS; step++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(500);
  const scrollCpu = (await threadTime()) - scrollStart;
  const walk = await bareWalk(page);
  const noise = withExtension ? undefined : await noiseFloor(page);
  await page.close();
  return {
    windowMs: round(windowEnd - state.dcl),
    dclMs: round(state.dcl),
    loadMs: round(state.load),
    maxFrameGapMs: round(gaps.reduce((max, frame) => Math.max(max, frame.gap), 0)),
    longestTaskInWindowMs: round(longest(inWindow)),
    longTasksInWindow: inWindow.length,
    firstScan,
    extensionScriptInLongFramesMs: extensionScripts.length ? round(longest(extensionScripts)) : undefined,
    append,
    bareWalk: { ms: round(walk.ms, 2), nodes: walk.nodes, texts: walk.texts },
    cpu: { untilScanEndMs: round(untilScanEnd), appendMs: appendCpu === undefined ? undefined : round(appendCpu), scrollMs: round(scrollCpu) },
    noiseFloorSliceMs: noise === undefined ? undefined : round(noise),
  };
}

/**
 * The content script's main-thread evaluation per page load, median of EVAL_REPEATS loads of a
 * blank page with the extension, each in a new renderer process (see lib/content-evaluation.ts).
 */
async function evaluationTime(context: BrowserContext, origin: string, rate: number): Promise<{ wallMs: number; cpuMs: number; backgroundCompileCpuMs: number }> {
  const origins = [origin, origin.replace('127.0.0.1', 'localhost')];
  const evaluations = await traceContentEvaluations(context, origins, EVAL_REPEATS, rate);
  const middle = (values: number[]) => round(medianOf(values) ?? NaN);
  return {
    wallMs: middle(evaluations.map((evaluation) => evaluation.wallMs)),
    cpuMs: middle(evaluations.map((evaluation) => evaluation.cpuMs)),
    backgroundCompileCpuMs: middle(evaluations.map((evaluation) => evaluation.backgroundCompileCpuMs)),
  };
}

// ---- report ------------------------------------------------------------------------------------------

type EvaluationFigures = Awaited<ReturnType<typeof evaluationTime>>;
type Row = [string, string, string, string];
interface Cell {
  withoutExtension: RunResult;
  emptyContentScript: RunResult;
  withExtension: RunResult;
  runs: { withoutExtension: RunResult[]; emptyContentScript: RunResult[]; withExtension: RunResult[] };
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'ok' : 'MISSED';
}

function printTable(title: string, rows: Row[]): void {
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`\n${title}`);
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

async function main(): Promise<void> {
  if (!existsSync(CONTENT_SCRIPT)) throw new Error('Build first: npm run build');
  const pages = { 'table.html': tablePage(), 'article.html': articlePage() };
  const appended: string[] = [];
  const random = prng(3);
  for (let i = 0; i < APPENDED_ROWS; i++) appended.push(tableRow(random, TABLE_ROWS + i));
  const server = await serve(pages);
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no server address');
  const origin = `http://127.0.0.1:${address.port}`;
  const bundle = sizeOf(DIST, CONTENT_FILES);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    chromium: execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim(),
    machine: { cpus: os.cpus().length, loadAverageAtStart: os.loadavg().map((load) => round(load, 2)), repeats: REPEATS },
    targets: TARGETS,
    contentScript: { files: CONTENT_FILES, bytes: bundle.bytes, gzipBytes: bundle.gzipBytes, evaluation: {} as Record<string, EvaluationFigures> },
    /** Not part of the script: loaded by it (module and metadata) only when a page has a candidate. */
    phoneMetadata: (() => {
      const json = readFileSync(resolve(DIST, 'content/phone-metadata.json'));
      return { bytes: json.length, gzipBytes: gzipSync(json, { level: 9 }).length };
    })(),
    phoneEngine: (() => {
      const code = readFileSync(resolve(DIST, 'content/phone-engine.js'));
      return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
    })(),
    pages: {} as Record<string, unknown>,
  };

  const controlDir = controlBuild();
  const plain = await openProfile();
  const control = await openProfile(controlDir);
  const withExtension = await openProfile(DIST);
  try {
    for (const rate of THROTTLE_RATES) {
      (results.contentScript as { evaluation: Record<string, EvaluationFigures> }).evaluation[`cpu${rate}x`] = await evaluationTime(withExtension, origin, rate);
    }
    for (const [name, kind] of [['table.html', 'table'], ['article.html', 'article']] as const) {
      const page: Record<string, unknown> = { bytes: pages[name].length };
      for (const rate of THROTTLE_RATES) {
        const appendable = kind === 'table' ? appended : undefined;
        const withoutRuns: RunResult[] = [];
        const controlRuns: RunResult[] = [];
        const withRuns: RunResult[] = [];
        for (let repeat = 1; repeat <= REPEATS; repeat++) {
          console.error(`… ${kind} at ${rate}× CPU, run ${repeat}/${REPEATS}`);
          const withRun = await run(withExtension, `${origin}/${name}`, true, rate, appendable);
          withRuns.push(withRun);
          withoutRuns.push(await run(plain, `${origin}/${name}`, false, rate, appendable, withRun.windowMs));
          controlRuns.push(await run(control, `${origin}/${name}`, false, rate, appendable, withRun.windowMs));
        }
        const extra = kind === 'article' && rate === 1 ? EXTRA_ARTICLE_RUNS : 0;
        for (let repeat = 1; repeat <= extra; repeat++) {
          console.error(`… ${kind} at ${rate}× CPU with the extension, extra run ${repeat}/${extra}`);
          withRuns.push(await run(withExtension, `${origin}/${name}`, true, rate, appendable));
        }
        page[`cpu${rate}x`] = {
          withoutExtension: median(withoutRuns),
          emptyContentScript: median(controlRuns),
          withExtension: median(withRuns),
          runs: { withoutExtension: withoutRuns, emptyContentScript: controlRuns, withExtension: withRuns },
        };
      }
      (results.pages as Record<string, unknown>)[kind] = page;
    }
  } finally {
    await plain.close();
    await control.close();
    await withExtension.close();
    rmSync(controlDir, { recursive: true, force: true });
    server.close();
  }

  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const content = results.contentScript as { files: string[]; bytes: number; gzipBytes: number; evaluation: Record<string, EvaluationFigures> };
  console.log(`\nMedians of ${REPEATS} runs per cell (the article with the extension at 1× CPU: ${REPEATS + EXTRA_ARTICLE_RUNS}); load average at the end ${os.loadavg().map((load) => load.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs.`);
  const evaluation = (figures: EvaluationFigures | undefined) => `${figures?.wallMs} ms wall, ${figures?.cpuMs} ms CPU`;
  console.log(`Content script ${content.files.map((file) => `dist/${file}`).join(' + ')}: ${(content.bytes / 1024).toFixed(1)} KiB, ${(content.gzipBytes / 1024).toFixed(1)} KiB gzip`);
  console.log(
    `Content script evaluation per page on the main thread, median of ${EVAL_REPEATS} loads in new renderers: ${evaluation(content.evaluation.cpu1x)} (${evaluation(content.evaluation.cpu4x)} at 4× CPU throttling); target ≤ 10 ms. Module compile on a background thread: ${content.evaluation.cpu1x?.backgroundCompileCpuMs} ms CPU.`,
  );
  const metadataFile = results.phoneMetadata as { bytes: number; gzipBytes: number };
  const engineFile = results.phoneEngine as { bytes: number; gzipBytes: number };
  console.log(`Loaded only by pages with a candidate: dist/content/phone-engine.js ${(engineFile.bytes / 1024).toFixed(1)} KiB (${(engineFile.gzipBytes / 1024).toFixed(1)} KiB gzip), dist/content/phone-metadata.json ${(metadataFile.bytes / 1024).toFixed(1)} KiB (${(metadataFile.gzipBytes / 1024).toFixed(1)} KiB gzip)`);
  for (const kind of ['table', 'article'] as const) {
    const page = (results.pages as Record<string, Record<string, Cell>>)[kind]!;
    const rows: Row[] = [['metric', '1× CPU', '4× CPU', 'target (1×)']];
    const both = (pick: (run: Cell) => string): [string, string] => [pick(page.cpu1x!), pick(page.cpu4x!)];
    const one = page.cpu1x!;
    const scan = one.withExtension.firstScan!;
    rows.push(['nodes walked (elements + text)', ...both((r) => String(r.withExtension.firstScan?.nodes ?? '')), '']);
    rows.push(['bare TreeWalker pass, ms', ...both((r) => String(r.withExtension.bareWalk.ms)), '']);
    rows.push(['first scan: script time, ms', ...both((r) => String(r.withExtension.firstScan?.busyMs ?? '')), '']);
    rows.push(['first scan: wall time, ms', ...both((r) => String(r.withExtension.firstScan?.wallMs ?? '')), `≤ ${TARGETS.firstScanMs[kind]} ${verdict(scan.wallMs <= TARGETS.firstScanMs[kind])}`]);
    rows.push(['phone engine loaded on demand (module and metadata, within the first scan), ms', ...both((r) => String(r.withExtension.firstScan?.metadataMs ?? '—')), '']);
    rows.push(['first scan done, ms after navigation', ...both((r) => String(r.withExtension.firstScan?.doneAtMs ?? '')), '']);
    rows.push(['script ms per 1,000 nodes', ...both((r) => String(r.withExtension.firstScan?.msPer1000Nodes ?? '')), `≤ ${TARGETS.msPer1000Nodes} ${verdict(scan.msPer1000Nodes <= TARGETS.msPer1000Nodes)}`]);
    const spread = (r: Cell) => {
      const values = r.runs.withExtension.map((one) => one.firstScan?.msPer1000Nodes ?? NaN).sort((a, b) => a - b);
      return `${values.length} runs: ${values.join(', ')}`;
    };
    rows.push(['  each run (with the extension), sorted', ...both(spread), '']);
    rows.push(['slices / longest slice, ms', ...both((r) => `${r.withExtension.firstScan?.slices} / ${r.withExtension.firstScan?.longestSliceMs}`), '']);
    rows.push(['longest observer callback, ms', ...both((r) => String(r.withExtension.firstScan?.longestCallbackMs)), '']);
    const longestOwn = (r: Cell) =>
      Math.max(r.withExtension.firstScan?.longestSliceMs ?? 0, r.withExtension.firstScan?.longestCallbackMs ?? 0, r.withExtension.append?.longestSliceMs ?? 0, r.withExtension.append?.longestCallbackMs ?? 0);
    rows.push(['longest task of the extension, ms', ...both((r) => String(longestOwn(r))), `≤ ${TARGETS.longestTaskMs} ${verdict(longestOwn(one) <= TARGETS.longestTaskMs)}`]);
    rows.push(['longest long task, DCL to scan end + 1 s (with / without)', ...both((r) => `${r.withExtension.longestTaskInWindowMs} / ${r.withoutExtension.longestTaskInWindowMs}`), '']);
    rows.push(['extension script in long animation frames, ms', ...both((r) => String(r.withExtension.extensionScriptInLongFramesMs ?? '—')), '']);
    const cpu = (r: Cell, pick: (run: RunResult) => number | undefined) =>
      `${pick(r.withExtension)} / ${pick(r.emptyContentScript)} / ${pick(r.withoutExtension)}`;
    rows.push(['main-thread CPU, load to scan end + 1 s, ms (with / empty / without)', ...both((r) => cpu(r, (run) => run.cpu.untilScanEndMs)), '']);
    if (one.withExtension.append) rows.push([`main-thread CPU, ${APPENDED_ROWS} appended rows, ms (with / empty / without)`, ...both((r) => cpu(r, (run) => run.cpu.appendMs)), '']);
    rows.push([`main-thread CPU, ${SCROLL_STEPS} wheel steps, ms (with / empty / without)`, ...both((r) => cpu(r, (run) => run.cpu.scrollMs)), '']);
    rows.push(['noise floor: longest 8 ms page busy-loop slice, ms', ...both((r) => String(r.withoutExtension.noiseFloorSliceMs)), '']);
    rows.push(['max frame gap after load, ms (with / without)', ...both((r) => `${r.withExtension.maxFrameGapMs} / ${r.withoutExtension.maxFrameGapMs}`), '']);
    rows.push(['DOMContentLoaded, ms (with / empty script / without)', ...both((r) => `${r.withExtension.dclMs} / ${r.emptyContentScript.dclMs} / ${r.withoutExtension.dclMs}`), '']);
    rows.push(['load, ms (with / empty script / without)', ...both((r) => `${r.withExtension.loadMs} / ${r.emptyContentScript.loadMs} / ${r.withoutExtension.loadMs}`), '']);
    if (one.withExtension.append) {
      const append = one.withExtension.append;
      rows.push([`${APPENDED_ROWS} appended rows: script ms (+observers)`, ...both((r) => `${r.withExtension.append?.busyMs} (+${r.withExtension.append?.observerMs})`), `≤ ${TARGETS.appendMsPer1000Rows} ${verdict(append.busyMs + append.observerMs <= TARGETS.appendMsPer1000Rows)}`]);
      rows.push([`${APPENDED_ROWS} appended rows: wall ms / longest slice`, ...both((r) => `${r.withExtension.append?.wallMs} / ${r.withExtension.append?.longestSliceMs}`), '']);
      rows.push([`${APPENDED_ROWS} appended rows: the page's own append, ms`, ...both((r) => String(r.withExtension.append?.pageAppendMs)), '']);
    }
    printTable(`${kind === 'table' ? `${TABLE_ROWS.toLocaleString('en')}-row contact table` : `${(ARTICLE_BYTES / 1e6).toFixed(0)} MB article`} (${(Number(page.bytes) / 1e6).toFixed(2)} MB HTML)`, rows);
  }
  console.log(`\nJSON: ${RESULTS}`);
}

await main();
