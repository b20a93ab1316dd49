/**
 * What the content script costs a page's main thread before it does any work, read from a
 * Chromium trace (categories devtools.timeline and v8) of real page loads with the extension.
 *
 * The injected script (content/index.js) is a loader that imports the real code as a module
 * (content/page.js). Per load this counts, on the page's main thread:
 *  - the loader's EvaluateScript (its compile and run, including the first touch of `chrome.*`);
 *  - the module's v8.compileModule (the part of its compile left on the main thread; with
 *    streaming, the rest runs as v8.parseOnBackground on a worker, which is reported apart);
 *  - the module's v8.evaluateModule, its top-level run (that event names no file: it is the
 *    first one after the module's compile on the same thread).
 */

import type { BrowserContext } from 'playwright-core';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  ts: number;
  args?: { data?: { url?: string } };
}

export interface ContentEvaluation {
  /** Main thread, wall time. */
  wallMs: number;
  /** Main thread, thread (CPU) time. */
  cpuMs: number;
  /** The module's compile on a background thread, CPU time (0 when it was compiled on the main thread). */
  backgroundCompileCpuMs: number;
  /** False when the trace holds no run of the module after the loader (its import failed or the trace ended). */
  moduleEvaluated: boolean;
}

export const LOADER_FILE = '/content/index.js';
export const PAGE_MODULE_FILE = '/content/page.js';

const complete = (event: TraceEvent) => event.ph === 'X';
const urlOf = (event: TraceEvent) => event.args?.data?.url ?? '';
const ms = (micros: number | undefined) => (micros ?? 0) / 1000;

/** One entry per run of the loader, in trace order. */
export function contentEvaluations(events: readonly TraceEvent[]): ContentEvaluation[] {
  const ordered = events.filter(complete).sort((a, b) => a.ts - b.ts);
  const results: ContentEvaluation[] = [];
  /** Per thread: the evaluation the thread's next module events belong to. */
  const current = new Map<string, { result: ContentEvaluation; awaitingEvaluation: boolean }>();
  const backgroundCompiles = ordered.filter((event) => event.name === 'v8.parseOnBackground' && urlOf(event).endsWith(PAGE_MODULE_FILE));
  for (const event of ordered) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.name === 'EvaluateScript' && urlOf(event).endsWith(LOADER_FILE)) {
      const result = { wallMs: ms(event.dur), cpuMs: ms(event.tdur ?? event.dur), backgroundCompileCpuMs: 0, moduleEvaluated: false };
      results.push(result);
      current.set(thread, { result, awaitingEvaluation: false });
      continue;
    }
    const open = current.get(thread);
    if (!open) continue;
    if (event.name === 'v8.compileModule' && urlOf(event).endsWith(PAGE_MODULE_FILE)) {
      open.result.wallMs += ms(event.dur);
      open.result.cpuMs += ms(event.tdur ?? event.dur);
      open.awaitingEvaluation = true;
      // the background compile of this load's module is the last one that started before it
      const compile = backgroundCompiles.filter((candidate) => candidate.pid === event.pid && candidate.ts <= event.ts).at(-1);
      if (compile) open.result.backgroundCompileCpuMs = ms(compile.tdur ?? compile.dur);
    } else if (event.name === 'v8.evaluateModule' && open.awaitingEvaluation) {
      open.result.wallMs += ms(event.dur);
      open.result.cpuMs += ms(event.tdur ?? event.dur);
      open.result.moduleEvaluated = true;
      current.delete(thread);
    }
  }
  return results;
}

/**
 * Loads `${origins[i % origins.length]}/blank?load=i` `loads` times in one tab of `context` (a
 * profile with the extension) under `rate`× CPU throttling, tracing, and returns the content
 * script's evaluation per load. Give two origins of different sites (127.0.0.1 and localhost):
 * each load then lands in a new renderer process, where nothing was compiled before.
 */
export async function traceContentEvaluations(context: BrowserContext, origins: readonly string[], loads: number, rate = 1): Promise<ContentEvaluation[]> {
  const page = await context.newPage();
  try {
    await page.bringToFront();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8'] }, transferMode: 'ReportEvents' });
    for (let i = 0; i < loads; i++) {
      await page.goto(`${origins[i % origins.length]}/blank?load=${i}`, { waitUntil: 'load' });
      // the module loads after the page's load event may have fired
      await page.waitForTimeout(400 * rate);
    }
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.end');
    await complete;
    const evaluations = contentEvaluations(events);
    if (evaluations.length !== loads) throw new Error(`expected ${loads} content script evaluations in the trace, found ${evaluations.length}`);
    evaluations.forEach((evaluation, index) => {
      if (!evaluation.moduleEvaluated) throw new Error(`load ${index}: the content script's module (content/page.js) did not run`);
    });
    return evaluations;
  } finally {
    await page.close();
  }
}
