/**
 * Memory of the extension.
 *
 *  - The offscreen document (the phone: Kandy SDK, call state) at idle (signed in, online) and during
 *    a connected call. CDP: browser session → Target.getTargets → the offscreen target (type
 *    'background_page', url …/offscreen/index.html) → attach → HeapProfiler.collectGarbage →
 *    Runtime.getHeapUsage. Runtime.getHeapUsage covers the whole isolate of the extension's renderer
 *    process, which every open extension page shares, so the harness's control page is navigated
 *    away first; the offscreen document is then the only extension page in that process.
 *    Baseline: a blank extension-less page's heap (an isolate's floor), measured the same way.
 *  - The content script on generated contact tables of 1k, 10k and 100k rows served from
 *    127.0.0.1: the page's heap (Runtime.getHeapUsage on the page after two forced GCs, after the
 *    first scan has finished — the content script's `kandy-c2c:first-scan` performance measure —
 *    and 1 s more) in the extension profile vs a plain profile; the difference is what the content
 *    script (its isolated world and what it keeps for the page) costs.
 *
 * Run: npm run build && npx tsx bench/memory.ts
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchProfile } from '../e2e/support/browser.ts';
import { demoUser } from '../e2e/support/demo-users.ts';
import { launchExtensionUser, type ExtensionUser } from '../e2e/support/extension.ts';
import { connectCall, endCall, online } from './lib/calls.ts';
import { attachTarget, heapAfterGc, listTargets, type HeapUsage } from './lib/cdp-target.ts';
import { budget } from './lib/budget.ts';
import { contactTablePage } from './lib/contacts-page.ts';
import { servePages, type PageServer } from './lib/http-server.ts';
import { figure, round, writeResult, type Figure } from './lib/results.ts';
import { median, sleep } from './lib/stats.ts';

const SIZES = [1_000, 10_000, 100_000];
/** Repeats per size (the 100k page takes long to load and scan: once). */
const REPEATS: Record<number, number> = { 1_000: 2, 10_000: 1, 100_000: 1 };
const HEAP_SAMPLES = 3;
const SCAN_MARK = 'kandy-c2c:first-scan';
const SETTLE_MS = 1000;
const NO_MARK_WAIT_MS = 3000;
/** Give up waiting for load + first scan after this long (measured anyway, and said so). */
const SCAN_TIMEOUT_MS = 90_000;
const MB = 1e6;

// ---- offscreen document ----------------------------------------------------------------------------

async function offscreenHeap(user: ExtensionUser, browserSession: CDPSession): Promise<{ heaps: HeapUsage[]; otherExtensionPages: string[] }> {
  const targets = await listTargets(browserSession);
  const origin = `chrome-extension://${user.extensionId}/`;
  const offscreen = targets.find((target) => target.url.startsWith(origin) && target.url.endsWith('/offscreen/index.html'));
  if (!offscreen) throw new Error(`no offscreen document among ${targets.map((target) => `${target.type} ${target.url}`).join(', ')}`);
  const otherExtensionPages = targets.filter((target) => target.url.startsWith(origin) && target !== offscreen && target.type !== 'service_worker').map((target) => `${target.type} ${target.url}`);
  const session = await attachTarget(browserSession, offscreen.targetId);
  try {
    const heaps: HeapUsage[] = [];
    for (let i = 0; i < HEAP_SAMPLES; i++) {
      heaps.push(await heapAfterGc((method, params) => session.send(method, params)));
      await sleep(300);
    }
    return { heaps, otherExtensionPages };
  } finally {
    await session.detach();
  }
}

/** Navigates the control page off the extension (so only the offscreen document is left in that process), measures, comes back. */
async function offscreenAlone(user: ExtensionUser, browserSession: CDPSession, blankUrl: string): Promise<{ heaps: HeapUsage[]; otherExtensionPages: string[] }> {
  const back = user.controlPage.url();
  await user.controlPage.goto(blankUrl);
  await sleep(1500);
  try {
    return await offscreenHeap(user, browserSession);
  } finally {
    await user.controlPage.goto(back);
  }
}

async function pageHeap(page: Page, context: BrowserContext): Promise<HeapUsage> {
  const cdp = await context.newCDPSession(page);
  try {
    const heaps: HeapUsage[] = [];
    for (let i = 0; i < 2; i++) heaps.push(await heapAfterGc((method, params) => cdp.send(method as 'Runtime.getHeapUsage', params)));
    return heaps.reduce((low, heap) => (heap.usedSize < low.usedSize ? heap : low));
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

// ---- content script ------------------------------------------------------------------------------------

interface PageSample {
  rows: number;
  extension: boolean;
  usedMB: number;
  embedderMB: number | null;
  loadMs: number;
  scan?: { wallMs: number; nodes: number | null };
  scanMarkSeen: boolean;
}

async function loadAndMeasure(context: BrowserContext, url: string, rows: number, extension: boolean, timeoutMs: number): Promise<PageSample> {
  const deadline = Date.now() + timeoutMs;
  const page = await context.newPage();
  try {
    await page.bringToFront(); // a background tab runs no IntersectionObserver and renders nothing
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: Math.max(5_000, deadline - Date.now()) });
    const loadMs = Date.now() - started;
    let scan: PageSample['scan'];
    let scanMarkSeen = false;
    if (extension) {
      while (Date.now() < deadline) {
        const found = await page.evaluate((name) => {
          const entry = performance.getEntriesByName(name, 'measure')[0] as PerformanceMeasure | undefined;
          return entry ? { wallMs: entry.duration, nodes: ((entry.detail as { nodes?: number } | null)?.nodes ?? null) as number | null } : null;
        }, SCAN_MARK);
        if (found) {
          scan = found;
          scanMarkSeen = true;
          break;
        }
        await sleep(250);
      }
      await sleep(scanMarkSeen ? SETTLE_MS : NO_MARK_WAIT_MS);
    } else {
      await sleep(SETTLE_MS);
    }
    const heap = await pageHeap(page, context);
    return {
      rows,
      extension,
      usedMB: heap.usedSize / MB,
      embedderMB: heap.embedderHeapUsedSize === undefined ? null : heap.embedderHeapUsedSize / MB,
      loadMs,
      scan,
      scanMarkSeen,
    };
  } finally {
    await page.close();
  }
}

// ---- main ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const time = budget(600);
  const notes: string[] = [
    'MB = 10^6 bytes. "JS heap" = Runtime.getHeapUsage usedSize after two HeapProfiler.collectGarbage; "DOM/embedder heap" = its embedderHeapUsedSize (Blink objects: nodes, ranges, highlights).',
    'Shared 2-core machine with other agents running Chromium: load and scan times are noisy; heap sizes much less so. The plain and the extension profile load each page at the same time.',
    'The page itself runs no script, so without the extension its JS heap stays at an empty page\'s; its DOM/embedder heap (nodes and layout objects) grows with the rows either way.',
  ];
  const pages: Record<string, string> = {};
  for (const rows of SIZES) pages[`contacts-${rows}.html`] = contactTablePage(rows);

  let server: PageServer | undefined;
  let gateway: Gateway | undefined;
  let alice: ExtensionUser | undefined;
  let bob: ExtensionUser | undefined;
  let plain: BrowserContext | undefined;
  const failures: string[] = [];
  let idle: HeapUsage[] = [];
  let idleWithPopup: HeapUsage[] = [];
  let inCall: HeapUsage[] = [];
  let blank: HeapUsage | undefined;
  let otherPages: string[] = [];
  const samples: PageSample[] = [];
  try {
    server = await servePages(pages);
    gateway = await startGateway({ port: 0, log: 'silent' });
    [alice, bob, plain] = await Promise.all([
      launchExtensionUser({ ...demoUser('alice'), port: gateway.port }),
      launchExtensionUser({ ...demoUser('bob'), port: gateway.port }),
      launchProfile(),
    ]);
    await alice.waitForState(online, 'alice online', 30_000);
    await bob.waitForState(online, 'bob online', 30_000);
    const browserSession = await alice.context.browser()!.newBrowserCDPSession();
    await sleep(2000);
    // extension pages opened on install (welcome/onboarding) share the offscreen document's process and heap
    const extensionOrigin = `chrome-extension://${alice.extensionId}/`;
    for (const page of alice.context.pages()) {
      if (page !== alice.controlPage && page.url().startsWith(extensionOrigin)) {
        notes.push(`Closed ${page.url().slice(extensionOrigin.length - 1)} (opened by the extension) before measuring.`);
        await page.close();
      }
    }

    // offscreen document: idle (with the control page open, then alone), during a call
    idleWithPopup = (await offscreenHeap(alice, browserSession)).heaps;
    const alone = await offscreenAlone(alice, browserSession, server.url('blank'));
    idle = alone.heaps;
    otherPages = alone.otherExtensionPages;
    const callId = await connectCall(alice, bob, 'bob');
    await sleep(3000);
    inCall = (await offscreenAlone(alice, browserSession, server.url('blank'))).heaps;
    await endCall(alice, bob, callId);

    const blankPage = await plain.newPage();
    await blankPage.goto(server.url('blank'));
    blank = await pageHeap(blankPage, plain);
    await blankPage.close();

    // content script: the same page in the plain and the extension profile at the same time
    // (heap sizes do not depend on timing; loading both at once halves the wall time)
    for (const rows of SIZES) {
      // the 100k-row page takes ~40 s to load and scan on a quiet 2-core machine, minutes on a busy one
      const needMs = rows >= 100_000 ? 60_000 : 20_000;
      if (time.remainingMs() < needMs) {
        notes.push(`Skipped the ${rows.toLocaleString('en')}-row page: not enough of the ${time.limitSeconds} s time limit left (slow machine).`);
        continue;
      }
      for (let repeat = 0; repeat < (REPEATS[rows] ?? 1); repeat++) {
        if (repeat > 0 && time.remainingMs() < needMs) break;
        // load + first scan must fit in what is left (the rest is kept for measuring and writing)
        const timeoutMs = Math.max(10_000, Math.min(SCAN_TIMEOUT_MS, time.remainingMs() - 15_000));
        const loads = ([
          [plain, false],
          [alice.context, true],
        ] as const).map(([context, extension]) =>
          loadAndMeasure(context, server!.url(`contacts-${rows}.html`), rows, extension, timeoutMs).then(
            (sample) => void samples.push(sample),
            (error: unknown) => void failures.push(`${rows} rows ${extension ? 'with' : 'without'} the extension: ${error instanceof Error ? error.message : String(error)}`),
          ),
        );
        await Promise.all(loads);
        process.stderr.write(`… ${rows} rows, run ${repeat + 1}\n`);
      }
    }
  } finally {
    await alice?.close().catch(() => undefined);
    await bob?.close().catch(() => undefined);
    await plain?.close().catch(() => undefined);
    await gateway?.close();
    await server?.close();
  }

  const used = (heaps: HeapUsage[]) => median(heaps.map((heap) => heap.usedSize / MB));
  const embedder = (heaps: HeapUsage[]) => median(heaps.filter((heap) => heap.embedderHeapUsedSize !== undefined).map((heap) => heap.embedderHeapUsedSize! / MB));
  const blankMB = blank ? blank.usedSize / MB : null;
  const figures: Figure[] = [
    figure('offscreen document JS heap, idle (signed in)', used(idle), 'MB', { baseline: blankMB, baselineLabel: 'blank extension-less page' }),
    figure('offscreen document JS heap, during a call', used(inCall), 'MB', { baseline: used(idle), baselineLabel: 'offscreen document at idle' }),
  ];
  const idleMB = used(idle);
  const withPopupMB = used(idleWithPopup);
  if (idleMB !== null && withPopupMB !== null) notes.push(`With the harness's control page (the popup UI) open in the same process, the extension renderer's JS heap was ${round(withPopupMB)} MB, i.e. about ${round(withPopupMB - idleMB)} MB for one open popup.`);
  notes.push(
    `Offscreen DOM/embedder heap: idle ${round(embedder(idle) ?? NaN)} MB, in call ${round(embedder(inCall) ?? NaN)} MB. Each offscreen figure is the median of ${HEAP_SAMPLES} samples.`,
    otherPages.length ? `Other extension pages open while measuring the offscreen document alone: ${otherPages.join(', ')} (they share its heap).` : 'No other extension page was open while measuring the offscreen document alone.',
  );

  const deltas: { rows: number; withMB: number; withoutMB: number; deltaMB: number; embedderDeltaMB: number | null }[] = [];
  for (const rows of SIZES) {
    const withExt = samples.filter((sample) => sample.rows === rows && sample.extension);
    const without = samples.filter((sample) => sample.rows === rows && !sample.extension);
    const withMB = median(withExt.map((sample) => sample.usedMB));
    const withoutMB = median(without.map((sample) => sample.usedMB));
    if (withMB === null || withoutMB === null) continue;
    const embedderWith = median(withExt.map((sample) => sample.embedderMB).filter((value): value is number => value !== null));
    const embedderWithout = median(without.map((sample) => sample.embedderMB).filter((value): value is number => value !== null));
    deltas.push({ rows, withMB, withoutMB, deltaMB: withMB - withoutMB, embedderDeltaMB: embedderWith !== null && embedderWithout !== null ? embedderWith - embedderWithout : null });
    if (embedderWith !== null && embedderWithout !== null) {
      figures.push(
        figure(`page heap (JS + DOM) with the extension, ${rows.toLocaleString('en')} rows`, withMB + embedderWith, 'MB', {
          baseline: withoutMB + embedderWithout,
          baselineLabel: 'same page, plain profile',
        }),
      );
    }
    const scans = withExt.map((sample) => sample.scan?.wallMs).filter((value): value is number => value !== undefined);
    notes.push(
      `${rows.toLocaleString('en')} rows (${round(pages[`contacts-${rows}.html`]!.length / MB)} MB HTML): JS heap ${round(withMB)} MB with / ${round(withoutMB)} MB without (Δ ${round(withMB - withoutMB)} MB); DOM/embedder heap Δ ${round(embedderWith !== null && embedderWithout !== null ? embedderWith - embedderWithout : NaN)} MB; first scan ${scans.length ? `${round(median(scans)!)} ms` : 'mark not seen'} (${withExt.length} run(s) with, ${without.length} without).`,
    );
  }
  const first = deltas[0];
  const last = deltas.at(-1);
  if (first && last && last !== first) {
    const slope = ((last.deltaMB - first.deltaMB) / (last.rows - first.rows)) * 1000;
    figures.push(figure(`content script JS heap per 1,000 rows (slope ${first.rows.toLocaleString('en')}→${last.rows.toLocaleString('en')} rows)`, slope, 'MB'));
    if (first.embedderDeltaMB !== null && last.embedderDeltaMB !== null) {
      figures.push(figure('content script DOM/embedder heap per 1,000 rows (same slope)', ((last.embedderDeltaMB - first.embedderDeltaMB) / (last.rows - first.rows)) * 1000, 'MB'));
    }
  }
  for (const rows of SIZES) {
    const delta = deltas.find((entry) => entry.rows === rows);
    if (delta) figures.push(figure(`content script JS heap, ${rows.toLocaleString('en')} rows (with − without)`, delta.deltaMB, 'MB'));
  }
  if (samples.some((sample) => sample.extension && !sample.scanMarkSeen)) notes.push(`Some pages showed no ${SCAN_MARK} measure within the time allowed (at most ${SCAN_TIMEOUT_MS / 1000} s for load + scan; the scan was still running, or the mark is gone); they were measured then.`);
  else notes.push(`Pages with the extension were measured ${SETTLE_MS / 1000} s after the content script's ${SCAN_MARK} performance measure; plain pages ${SETTLE_MS / 1000} s after load.`);
  notes.push('The content script keeps marks for at most 20,000 text nodes (MarkStore maxNodes), so its growth should flatten on the largest page.');
  for (const failure of failures) notes.push(`Failed: ${failure}`);

  writeResult({
    name: 'memory',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    figures,
    notes,
    details: { offscreen: { idle, idleWithPopup, inCall, blank }, pages: samples, deltas },
  });
}

await main();
