/**
 * Click to call on web pages, end to end: the built extension in two Chromium profiles (alice
 * calls, bob rings) through the local gateway, on fixture pages served from 127.0.0.1. Every
 * hover and click is Playwright's real (trusted) mouse or keyboard; page scripts are simulated
 * with page.evaluate in the page's main world, which is exactly where a page's scripts run.
 *
 * Run: npm run build && node --import tsx --test e2e/click-to-call.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Frame, Page, Worker } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type CallLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';
import { runStorm, waitForFirstScan } from './support/storm.ts';

const PAGES = resolve(import.meta.dirname, 'fixtures/pages');
const BUTTON_HOST = 'kandy-click-to-call';
const LIST_HOST = 'kandy-click-to-call-list';
/** The content handler accepts one page-initiated call per tab every 2 s. */
const PAGE_CALL_INTERVAL_MS = 2100;
const TEST_TIMEOUT = { timeout: 180_000 };

let gateway: Gateway;
let server: Server;
let origin: string;
let alice: ExtensionUser;
let bob: ExtensionUser;

const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

async function serveFixtures(): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };
  const fixtures = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://fixture').pathname);
    const file = join(PAGES, path === '/' ? 'index.html' : path);
    if (!file.startsWith(PAGES + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => fixtures.listen(0, '127.0.0.1', done));
  return fixtures;
}

// ---- the page, seen from its main world ---------------------------------------------------------

interface Where {
  /** id of an iframe holding the text (same-origin, or sandboxed with an opaque origin) */
  frame?: string;
  /** id of an element whose open shadow root holds the text */
  shadowHost?: string;
}
interface Point {
  x: number;
  y: number;
}

/**
 * The frame that holds `where`'s text and where its viewport sits in the page's. Reached through
 * Playwright rather than `contentDocument`, so a sandboxed frame (opaque origin) works the same.
 */
async function frameOf(page: Page, where: Where): Promise<{ frame: Frame; dx: number; dy: number }> {
  if (!where.frame) return { frame: page.mainFrame(), dx: 0, dy: 0 };
  const element = await page.locator(`#${where.frame}`).elementHandle();
  const frame = await element?.contentFrame();
  assert.ok(element && frame, `the frame #${where.frame} is on the page`);
  const offset = await element.evaluate((iframe) => {
    const box = iframe.getBoundingClientRect();
    return { dx: box.left + iframe.clientLeft, dy: box.top + iframe.clientTop };
  });
  return { frame, ...offset };
}

async function textPoint(page: Page, snippet: string, where: Where = {}): Promise<Point> {
  const { frame, dx, dy } = await frameOf(page, where);
  const point = await frame.evaluate(({ snippet, shadowHost }) => {
    const root: Node = shadowHost ? document.getElementById(shadowHost)!.shadowRoot! : document;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(snippet);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + snippet.length);
      const rect = range.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return null;
  }, { snippet, shadowHost: where.shadowHost });
  assert.ok(point, `"${snippet}" is on the page`);
  return { x: dx + point.x, y: dy + point.y };
}

/** Centre of the visible call button (its host has the button's box), or null. */
async function buttonPoint(page: Page, where: Where = {}, hostId = BUTTON_HOST): Promise<Point | null> {
  const { frame, dx, dy } = await frameOf(page, where);
  const point = await frame.evaluate((hostId) => {
    const host = document.getElementById(hostId);
    if (!host || getComputedStyle(host).display === 'none') return null;
    const rect = host.getBoundingClientRect();
    return rect.width > 0 ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : null;
  }, hostId);
  return point && { x: dx + point.x, y: dy + point.y };
}

/** The text of every highlighted range in a document (the registry is shared with the page). */
async function highlightedTexts(page: Page, where: Where = {}): Promise<string[]> {
  const { frame } = await frameOf(page, where);
  return frame.evaluate(() => {
    const texts: string[] = [];
    for (const highlight of CSS.highlights.values()) {
      for (const range of highlight) texts.push((range.startContainer as Text).data.slice(range.startOffset, range.endOffset));
    }
    return texts;
  });
}

async function hover(page: Page, snippet: string, where: Where = {}): Promise<Point> {
  const point = await textPoint(page, snippet, where);
  await page.mouse.move(point.x - 60, point.y + 60);
  await page.mouse.move(point.x, point.y, { steps: 5 });
  return waitFor(async () => (await buttonPoint(page, where)) ?? undefined, `the call button next to "${snippet}"`, 15_000);
}

/** Hover the number with the real mouse, then click the button that appears. */
async function hoverAndClick(page: Page, snippet: string, where: Where = {}): Promise<void> {
  const button = await hover(page, snippet, where);
  await page.waitForTimeout(500); // the button ignores clicks in its first 350 ms on screen
  await pageCallAllowed();
  await page.mouse.click(button.x, button.y);
}

async function openFixture(name: string): Promise<Page> {
  const page = await alice.context.newPage();
  await page.goto(`${origin}/${name}`);
  await page.bringToFront();
  return page;
}

// ---- calls ----------------------------------------------------------------------------------------

let lastPageCall = 0;
/** Call right before the action that makes the page ask for a call. */
async function pageCallAllowed(): Promise<void> {
  const wait = lastPageCall + PAGE_CALL_INTERVAL_MS - Date.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
  lastPageCall = Date.now();
}

async function hangUp(): Promise<void> {
  const state = await alice.state();
  for (const call of state.calls.filter((candidate) => candidate.phase !== 'ended')) {
    await alice.send({ type: 'ui/intent', intentId: `end-${call.id}`.slice(0, 90), intent: { kind: 'end', callId: call.id } });
  }
  await alice.waitForState(noLiveCall, 'alice has no call left', 30_000);
  await bob.waitForState(noLiveCall, 'bob has no call left', 30_000);
}

/** Bob's phone rings with a call from alice to bob's number (or SIP address); then alice hangs up. */
async function expectBobRings(what: string): Promise<void> {
  await bob.waitForState((state) => state.calls.some((call) => call.direction === 'incoming' && call.phase !== 'ended'), `bob to ring (${what})`, 30_000);
  const state = await alice.waitForState((candidate) => liveCall(candidate) !== undefined, `alice's outgoing call (${what})`, 10_000);
  assert.match(liveCall(state)?.remoteAddress ?? '', /4155550101|bob/, `alice called bob (${what})`);
  await hangUp();
}

async function callIds(): Promise<string[]> {
  return (await alice.state()).calls.map((call) => call.id);
}

async function expectNoNewCall(before: string[], ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const state = await alice.state();
    const fresh = state.calls.filter((call) => !before.includes(call.id));
    assert.deepEqual(fresh, [], `no call was started (${what})`);
    assert.ok(noLiveCall(await bob.state()), `bob's phone stays quiet (${what})`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function saveSettings(settings: Record<string, unknown>): Promise<void> {
  const reply = await alice.send<{ ok: boolean; error?: string }>({ type: 'ui/save-settings', settings });
  assert.ok(reply.ok, `save-settings: ${reply.error}`);
}

function extensionWorker(): Worker {
  const worker = alice.context.serviceWorkers().find((candidate) => candidate.url().startsWith(`chrome-extension://${alice.extensionId}/`));
  assert.ok(worker, 'the extension service worker is running');
  return worker;
}

before(async () => {
  gateway = await startGateway({ port: 0, log: 'silent' });
  server = await serveFixtures();
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  origin = `http://127.0.0.1:${address.port}`;
  alice = await launchExtensionUser({ ...demoUser('alice'), port: gateway.port });
  bob = await launchExtensionUser({ ...demoUser('bob'), port: gateway.port });
  await alice.waitForState((state) => state.connection.status === 'online', 'alice online', 60_000);
  await bob.waitForState((state) => state.connection.status === 'online', 'bob online', 60_000);
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
});

// Runs before the main suite: its last test reloads the extension, which closes the control page.
describe('hostile environments', () => {
  test('a page that sabotages prototypes, JSON, Promise and listeners, has a strict CSP with Trusted Types, storms the DOM and carries script payloads cannot stop, fool or reach us', TEST_TIMEOUT, async () => {
    const dialogs: string[] = [];
    const page = await openFixture('hostile-env.html');
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const before = await callIds();
    // Our content script lives in its own world: the page's sabotage does not reach it.
    await waitFor(async () => (await highlightedTexts(page)).some((text) => text.includes('555-0101')), 'the number next to the payloads to be marked', 30_000);
    const marked = await highlightedTexts(page);
    assert.ok(!marked.some((text) => /2024-03-12/.test(text)), 'storm dates are not marked');
    const reach = await page.evaluate((id) => (window as unknown as { tryExtension(id: string): string }).tryExtension(id), alice.extensionId);
    assert.match(reach, /no chrome\.runtime|threw/, `the page cannot message the extension (${reach})`);
    await expectNoNewCall(before, 2000, 'page scripts with our extension id');
    const sabotage = await page.evaluate(() => {
      const state = (window as unknown as { sabotage: { errors: string[]; mutations: number } }).sabotage;
      return { errors: state.errors, mutations: state.mutations, pwned: (window as unknown as { pwned?: number }).pwned };
    });
    assert.ok(sabotage.mutations > 2000, `the storm ran (${sabotage.mutations} mutations)`);
    assert.equal(sabotage.pwned, undefined, 'text around numbers was never run as script');
    assert.deepEqual(sabotage.errors, [], 'no payload ran');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    // And the user can still call from it with a real click.
    await hoverAndClick(page, '(415) 555-0101');
    await expectBobRings('real click on the sabotaged page');
    await page.close();
  });
});

describe('hostile environments: the detection budget', () => {
  test('a page that mutates the DOM as fast as it can: no task of the extension over 50 ms, script time within a generous bound per node', TEST_TIMEOUT, async () => {
    // The budget (issue #4): no main-thread task caused by the extension over 50 ms, ≤ 3 ms of
    // script per 1,000 nodes. The figures, with and without the extension, are in
    // bench/hostile-mutations.ts; here only bounds that a busy machine cannot trip.
    const page = await openFixture('mutation-storm.html?mode=flat-out');
    await waitForFirstScan(page);
    // A text scanned without a number; during the storm (when the content script stops watching
    // the page for a while) it gains one. It must be found once the storm is over.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'changed-unseen';
      p.textContent = 'Sales: updated 2024-03-12 12:30'; // scanned (six digits), nothing found
      document.body.insertBefore(p, document.getElementById('storm'));
    });
    await page.waitForTimeout(500);
    const changeDuringStorm = setTimeout(() => {
      void page.evaluate(() => {
        (document.getElementById('changed-unseen')!.firstChild as Text).data = 'Sales: 415-555-0177';
      });
    }, 1500);
    const { page: own, extension } = await runStorm(page, 3000);
    clearTimeout(changeDuringStorm);
    await waitFor(async () => (await highlightedTexts(page)).includes('415-555-0177') || undefined, 'the number written during the storm to be marked after it', 15_000);
    assert.ok(own.mutationsPerSecond > 1000, `the storm ran (${Math.round(own.mutationsPerSecond)} mutations/s)`);
    assert.ok(extension.updates > 0 && extension.nodes > 0, `the content script worked through the storm (${JSON.stringify(extension)})`);
    // Wall-clock slices stretch when the machine preempts the renderer; the page's own 8 ms slices
    // in the same window show by how much, so that is allowed on top of the 50 ms.
    const longest = Math.max(extension.longestSliceMs, extension.longestCallbackMs);
    const allowed = Math.max(50, own.longestPageSliceMs);
    assert.ok(longest <= allowed, `the extension's longest slice or callback took ${longest.toFixed(1)} ms (allowed ${allowed.toFixed(1)} ms)`);
    // Generous: 15× the 3 ms budget. Before flood handling this page cost 180 ms per 1,000 nodes;
    // bench/hostile-mutations.ts reports the real figure against the 3 ms target.
    const msPer1000 = (extension.busyMs / extension.nodes) * 1000;
    assert.ok(msPer1000 <= 45, `script time per 1,000 nodes: ${msPer1000.toFixed(1)} ms (${JSON.stringify(extension)})`);
    await page.close();
  });
});

describe('click to call on web pages', () => {
  test('marks numbers in prose, a table, a frame, a shadow root and late content, but not fields, code or call links; the DOM is untouched', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    const before = await page.evaluate(() => ({ prose: document.getElementById('prose')!.childNodes.length, html: document.body.innerHTML.length }));
    const expected = ['(415) 555-0101', '+1 415 555 0101', '+1 415 555 0102', '415-555-0101'];
    const marked = await waitFor(async () => {
      const texts = await highlightedTexts(page);
      return expected.every((text) => texts.includes(text)) ? texts : undefined;
    }, 'the numbers to be highlighted', 20_000);
    const inFrame = await waitFor(async () => {
      const texts = await highlightedTexts(page, { frame: 'frame' });
      return texts.includes('+1 (415) 555-0101') ? texts : undefined;
    }, 'the number in the iframe to be highlighted', 20_000);
    assert.equal(inFrame.length, 1);
    const late = await waitFor(async () => {
      const texts = await highlightedTexts(page);
      return texts.includes('415.555.0101') ? texts : undefined;
    }, 'the number added 2 s later to be highlighted', 20_000);
    // Nothing in the textarea, the <code> block or the link text; each number exactly once.
    assert.deepEqual([...late].sort(), [...expected, '415.555.0101'].sort(), `highlighted: ${JSON.stringify(marked)}`);

    const after = await page.evaluate(() => ({
      prose: document.getElementById('prose')!.childNodes.length,
      html: document.body.innerHTML.length,
      rootChildren: [...document.documentElement.children].map((element) => element.localName),
      attributes: [...document.querySelectorAll('*')].flatMap((element) => element.getAttributeNames()).filter((name) => /kandy|c2c/i.test(name)),
    }));
    assert.equal(after.prose, before.prose, 'the prose paragraph is not split into new nodes');
    assert.ok(after.html >= before.html && after.html - before.html < 200, 'only the late paragraph was added to the body');
    assert.deepEqual(after.rootChildren, ['head', 'body'], 'no UI is added until it is needed');
    assert.deepEqual(after.attributes, []);
    await page.close();
  });

  test('hovering a number shows one call button; clicking it calls bob (prose, table, frame, shadow root, late content)', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    await waitFor(async () => (await highlightedTexts(page)).includes('415.555.0101'), 'the late number to be marked', 20_000);
    const cases: [string, string, Where][] = [
      ['prose', '(415) 555-0101', {}],
      ['table', '+1 415 555 0101', {}],
      ['iframe', '+1 (415) 555-0101', { frame: 'frame' }],
      ['shadow root', '415-555-0101', { shadowHost: 'card' }],
      ['late content', '415.555.0101', {}],
    ];
    for (const [what, snippet, where] of cases) {
      await hoverAndClick(page, snippet, where);
      await expectBobRings(what);
    }
    const hosts = await page.evaluate((id) => document.querySelectorAll(`#${id}`).length, BUTTON_HOST);
    assert.equal(hosts, 1, 'one shared button host in the top document');
    // Moving away hides the button again.
    await page.mouse.move(5, 700);
    await waitFor(async () => (await buttonPoint(page)) === null, 'the button to hide', 5000);
    await page.close();
  });

  test('sandboxed frames (opaque origin; a mail tool\'s message, scripts off or on): their numbers are marked, and clicking one calls bob', TEST_TIMEOUT, async () => {
    const page = await openFixture('sandboxed.html');
    const cases: [string, string][] = [
      ['message', '(415) 555-0101'],
      ['widget', '+1 415 555 0101'],
    ];
    for (const [id, snippet] of cases) {
      const { frame } = await frameOf(page, { frame: id });
      assert.equal(await frame.evaluate(() => origin), 'null', `the ${id} frame has an opaque origin`);
      await waitFor(async () => (await highlightedTexts(page, { frame: id })).includes(snippet), `the number in the ${id} frame to be marked`, 20_000);
      await hoverAndClick(page, snippet, { frame: id });
      await expectBobRings(`sandboxed ${id} frame`);
    }
    await page.close();
  });

  test('a single-page app: a new view’s number is marked and callable, the old view’s mark is released, and Back brings it again', TEST_TIMEOUT, async () => {
    const page = await openFixture('spa.html');
    const marked = (expected: string[]) => async () => {
      const texts = await highlightedTexts(page);
      return JSON.stringify([...texts].sort()) === JSON.stringify([...expected].sort()) ? texts : undefined;
    };
    await waitFor(marked(['(415) 555-0102']), 'the first view’s number to be marked', 20_000);
    await page.click('#to-contacts'); // a real click on the app's own link: pushState and a new view, no page load
    assert.match(page.url(), /#contacts$/);
    await waitFor(marked(['+1 415 555 0101']), 'only the new view’s number to be marked (the old one released)', 20_000);
    await hoverAndClick(page, '+1 415 555 0101');
    await expectBobRings('single-page app view');
    await page.goBack(); // popstate: the app renders the first view again
    await waitFor(marked(['(415) 555-0102']), 'the first view’s number to be marked again after Back', 20_000);
    await page.close();
  });

  test('link mode "offer": hovering a tel: link offers the button; "take-over": a real click on the link calls through the extension', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    await waitFor(async () => (await highlightedTexts(page)).length > 0, 'the page to be scanned', 20_000);
    await hoverAndClick(page, "Bob's desk line");
    await expectBobRings('offered tel: link');

    await saveSettings({ linkMode: 'take-over' });
    await page.mouse.move(5, 700);
    // The pushed config reaches the page asynchronously (worker → tab → get-config); until it
    // does, a click is an ordinary tel: link click (nothing happens headless), so click again.
    const clickLinkUntilBobRings = async (selector: string, what: string) => {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box);
      await waitFor(async () => {
        await pageCallAllowed();
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        return bob.waitForState((state) => state.calls.some((call) => call.direction === 'incoming' && call.phase !== 'ended'), what, 2500).catch(() => undefined);
      }, `bob to ring (${what})`, 30_000);
      await expectBobRings(what);
    };
    await clickLinkUntilBobRings('#tel-link', 'taken-over tel: link');
    await clickLinkUntilBobRings('#sip-link', 'taken-over sip: link');
    assert.equal(page.url(), `${origin}/index.html`, 'the page did not navigate');

    await saveSettings({ linkMode: 'off' });
    await page.waitForTimeout(1500);
    const before = await callIds();
    await hover(page, '(415) 555-0101'); // numbers in text are still offered
    const desk = await textPoint(page, "Bob's desk line");
    await page.mouse.move(desk.x, desk.y, { steps: 3 });
    await waitFor(async () => (await buttonPoint(page)) === null, 'no button on a link in mode "off"', 5000);
    await expectNoNewCall(before, 500, 'link mode off');
    await saveSettings({ linkMode: 'offer' });
    await page.close();
  });

  test('keyboard: Alt+Shift+K lists the page’s numbers, Esc closes, Enter calls', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    await waitFor(async () => (await highlightedTexts(page)).length >= 4, 'the page to be scanned', 20_000);
    await page.mouse.click(700, 690); // focus the page, on nothing in particular
    await page.keyboard.press('Alt+Shift+K');
    await waitFor(() => buttonPoint(page, {}, LIST_HOST), 'the number list to open', 5000);
    assert.equal(await page.evaluate(() => document.activeElement?.id), LIST_HOST, 'focus moved into the list');
    await page.keyboard.press('Escape');
    await waitFor(async () => (await buttonPoint(page, {}, LIST_HOST)) === null, 'Esc to close the list', 5000);
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), LIST_HOST, 'focus left the list');

    await page.keyboard.press('Alt+Shift+K');
    await waitFor(() => buttonPoint(page, {}, LIST_HOST), 'the number list to open again', 5000);
    await pageCallAllowed();
    await page.keyboard.press('Enter'); // the first entry: bob's number, first in the page
    await expectBobRings('keyboard list');
    await waitFor(async () => (await buttonPoint(page, {}, LIST_HOST)) === null, 'the list to close after calling', 5000);
    await page.close();
  });

  test('a page cannot press the button, open the list, fake a hover or read the numbers from the UI', TEST_TIMEOUT, async () => {
    const page = await openFixture('hostile.html');
    await waitFor(async () => (await highlightedTexts(page)).length === 1, 'the bait number to be marked', 20_000);
    const before = await callIds();
    const button = await hover(page, '(415) 555-0101');
    await page.waitForTimeout(600); // past the button's click delay: only isTrusted stops a synthetic click now
    const report = await page.evaluate(({ x, y }) => (window as unknown as { attack(x: number, y: number): Record<string, unknown> }).attack(x, y), button);
    assert.equal(report.hostFound, true);
    assert.equal(report.shadowRoot, null, 'the shadow root is closed');
    assert.equal(report.hitTarget, BUTTON_HOST, 'the page only ever sees the host');
    assert.doesNotMatch(String(report.hostHtml), /415|555|0101/, 'no number in the host markup');
    assert.doesNotMatch((report.hostAttributes as string[]).join(' '), /555|0101/, 'no number in host attributes');
    assert.equal(report.hostText, '', 'no text reachable through the host');
    assert.deepEqual(report.globals, [], 'no globals');
    assert.equal(await buttonPoint(page, {}, LIST_HOST), null, 'synthetic Alt+Shift+K does not open the list');
    await expectNoNewCall(before, 3000, 'synthetic clicks and keys');

    // A synthetic mousemove over the number does not bring the button back.
    await page.mouse.move(5, 700);
    await waitFor(async () => (await buttonPoint(page)) === null, 'the button to hide', 5000);
    const bait = await textPoint(page, '(415) 555-0101');
    await page.evaluate(({ x, y }) => {
      for (let i = 0; i < 5; i++) document.elementFromPoint(x, y)?.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true, clientX: x + i, clientY: y }));
    }, bait);
    await page.waitForTimeout(800);
    assert.equal(await buttonPoint(page), null, 'synthetic mousemove is ignored');

    // The same button still works for the user.
    await hoverAndClick(page, '(415) 555-0101');
    await expectBobRings('real click on the hostile page');
    await page.close();
  });

  test('a page that imports the content script module itself (with its per-session URL) starts nothing', TEST_TIMEOUT, async () => {
    const page = await openFixture('hostile.html');
    await waitFor(async () => (await highlightedTexts(page)).length === 1, 'the bait number to be marked', 20_000);
    // The URL a page would need: the dynamic one, as the content script itself resolves it (from its world, through CDP).
    const cdp = await alice.context.newCDPSession(page);
    const worlds: { id: number; name: string; auxData?: { frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (event) => worlds.push(event.context as (typeof worlds)[number]));
    await cdp.send('Runtime.enable');
    const ours = worlds.find((world) => world.name !== '' && world.name !== 'main' && /click-to-call/i.test(world.name));
    assert.ok(ours, `the content script's world is listed (${worlds.map((world) => world.name).join(', ')})`);
    const resolved = await cdp.send('Runtime.evaluate', { contextId: ours.id, expression: "chrome.runtime.getURL('content/page.js')", returnByValue: true });
    const moduleUrl = String(resolved.result.value);
    assert.match(moduleUrl, /^chrome-extension:\/\/[^/]+\/content\/page\.js$/);
    await cdp.detach();
    const before = await callIds();
    const report = await page.evaluate(async (url) => {
      const hostsBefore = document.querySelectorAll('*').length;
      let loaded: string;
      try {
        const module = (await import(url)) as Record<string, unknown>;
        loaded = `loaded, exports: ${Object.keys(module).join(',') || 'none'}`;
      } catch (error) {
        loaded = `refused: ${String(error)}`;
      }
      await new Promise((done) => setTimeout(done, 1500));
      return { loaded, addedElements: document.querySelectorAll('*').length - hostsBefore, hasRuntime: typeof (globalThis as { chrome?: { runtime?: { id?: string } } }).chrome?.runtime?.id };
    }, moduleUrl);
    assert.equal(report.hasRuntime, 'undefined', 'a page has no extension runtime');
    assert.equal(report.addedElements, 0, `importing the module added nothing to the page (${report.loaded})`);
    assert.equal((await highlightedTexts(page)).length, 1, 'no second set of marks');
    await expectNoNewCall(before, 1000, 'the module imported by the page');
    await page.close();
  });

  test('a big table: only numbers near the viewport are highlighted, and the highlights follow scrolling', TEST_TIMEOUT, async () => {
    const page = await openFixture('big.html');
    const highlightedRows = () =>
      page.evaluate(() => {
        const rows: number[] = [];
        for (const highlight of CSS.highlights.values()) {
          for (const range of highlight) {
            const row = (range.startContainer as Text).parentElement?.closest('tr');
            if (row) rows.push(Number(row.id.slice('row-'.length)));
          }
        }
        return rows.sort((a, b) => a - b);
      });
    await waitFor(async () => (await page.evaluate(() => performance.getEntriesByName('kandy-c2c:first-scan').length)) > 0, 'the first scan to finish', 60_000);
    const top = await waitFor(async () => {
      const rows = await highlightedRows();
      return rows.includes(0) ? rows : undefined;
    }, 'the first rows to be highlighted', 20_000);
    assert.ok(top.length < 300, `only rows near the viewport are highlighted (${top.length})`);
    assert.ok(Math.max(...top) < 300, 'nothing far below the viewport is highlighted');

    await page.evaluate(() => document.getElementById('row-2999')!.scrollIntoView({ block: 'end' }));
    const bottom = await waitFor(async () => {
      const rows = await highlightedRows();
      return rows.includes(2999) ? rows : undefined;
    }, 'the last rows to be highlighted after scrolling', 20_000);
    assert.ok(bottom.length < 300 && Math.min(...bottom) > 2500, `the highlights moved with the viewport (${bottom.length} rows from ${Math.min(...bottom)})`);
    await hover(page, '+1 415 555 3998'); // row 2998
    await page.close();
  });

  test('per-site disable and the global switch remove marks and UI; turning back on restores them', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    await waitFor(async () => (await highlightedTexts(page)).length >= 4, 'the page to be scanned', 20_000);
    await waitFor(async () => (await highlightedTexts(page, { frame: 'frame' })).length === 1, 'the frame to be scanned', 20_000);
    await hover(page, '(415) 555-0101');

    const registrySize = () => page.evaluate(() => CSS.highlights.size);
    const frameRegistrySize = () => page.evaluate(() => ((document.getElementById('frame') as HTMLIFrameElement).contentWindow as unknown as typeof globalThis).CSS.highlights.size);
    for (const [off, on] of [
      [{ disabledSites: ['127.0.0.1'] }, { disabledSites: [] }],
      [{ detectionEnabled: false }, { detectionEnabled: true }],
    ] as const) {
      await saveSettings(off);
      await waitFor(async () => (await registrySize()) === 0 && (await frameRegistrySize()) === 0, `marks removed after ${JSON.stringify(off)}`, 15_000);
      assert.equal(await buttonPoint(page), null, 'the button is gone');
      assert.equal(await page.evaluate((id) => document.getElementById(id), BUTTON_HOST), null, 'its host was removed');
      const point = await textPoint(page, '(415) 555-0101');
      await page.mouse.move(point.x + 3, point.y, { steps: 3 });
      await page.waitForTimeout(800);
      assert.equal(await buttonPoint(page), null, 'no button while disabled');

      await saveSettings(on);
      await waitFor(async () => (await highlightedTexts(page)).length >= 5, `marks back after ${JSON.stringify(on)}`, 15_000);
      await waitFor(async () => (await highlightedTexts(page, { frame: 'frame' })).length === 1, 'frame marks back', 15_000);
    }
    await page.close();
  });

  // A native context menu cannot be clicked in headless Chromium, so the test fires the real
  // chrome.contextMenus.onClicked event in the service worker (recipe §5): the same listener
  // and code path a menu click runs, minus Chrome's menu UI.
  test('context menu: "Call “<selection>”" and "Call this number" on a sip: link call bob', TEST_TIMEOUT, async () => {
    const worker = extensionWorker();
    const exists = await worker.evaluate(async () => {
      const ids = ['kandy-call-selection', 'kandy-call-link'];
      const found: string[] = [];
      for (const id of ids) {
        try {
          await chrome.contextMenus.update(id, {});
          found.push(id);
        } catch {
          // missing
        }
      }
      return found;
    });
    assert.deepEqual(exists, ['kandy-call-selection', 'kandy-call-link'], 'both menu items were created on install');

    await worker.evaluate((selectionText) => {
      const info = { menuItemId: 'kandy-call-selection', selectionText, editable: false, pageUrl: 'http://127.0.0.1/' };
      (chrome.contextMenus.onClicked as unknown as { dispatch(...args: unknown[]): void }).dispatch(info, undefined);
    }, '(415) 555-0101');
    await expectBobRings('context menu on a selection');

    await worker.evaluate(() => {
      const info = { menuItemId: 'kandy-call-link', linkUrl: 'sip:bob@kandy.example', editable: false, pageUrl: 'http://127.0.0.1/' };
      (chrome.contextMenus.onClicked as unknown as { dispatch(...args: unknown[]): void }).dispatch(info, undefined);
    });
    await expectBobRings('context menu on a sip: link');
  });

  // Chrome's shortcut UI cannot be pressed headless either: the test fires commands.onCommand
  // with the page's tab, as Chrome does; the selection comes from the page's content script.
  test('the call-selection shortcut calls the text selected in the page', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    await waitFor(async () => (await highlightedTexts(page)).length >= 4, 'the page to be scanned', 20_000);
    await page.evaluate(() => {
      const cell = document.getElementById('table-cell')!;
      const range = document.createRange();
      range.selectNodeContents(cell);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const worker = extensionWorker();
    const tabId = await worker.evaluate(async () => {
      // Without the tabs permission tab URLs are hidden: find the tab whose content script has a selection.
      for (const tab of await chrome.tabs.query({})) {
        if (tab.id === undefined) continue;
        try {
          const reply = (await chrome.tabs.sendMessage(tab.id, { target: 'content', type: 'bg/get-selection' })) as { selection?: string } | undefined;
          if (reply?.selection) {
            (chrome.commands.onCommand as unknown as { dispatch(...args: unknown[]): void }).dispatch('call-selection', tab);
            return tab.id;
          }
        } catch {
          // no content script in that tab
        }
      }
      return undefined;
    });
    assert.ok(tabId !== undefined, 'the page’s content script reported its selection');
    await expectBobRings('call-selection shortcut');
    await page.close();
  });

  test('after an extension update the old content script cleans up instead of throwing', TEST_TIMEOUT, async () => {
    const page = await openFixture('index.html');
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await waitFor(async () => (await highlightedTexts(page)).length >= 4, 'the page to be scanned', 20_000);
    await hover(page, '(415) 555-0101');
    const oldNames = await page.evaluate(() => [...CSS.highlights.keys()]);
    assert.equal(oldNames.length, 1);

    await extensionWorker().evaluate(() => {
      setTimeout(() => chrome.runtime.reload(), 50);
    });
    await page.waitForTimeout(2000);
    // The next user action notices the dead extension context and tears everything down.
    await page.mouse.move(5, 700);
    const point = await textPoint(page, '+1 415 555 0101');
    await page.mouse.move(point.x, point.y, { steps: 3 });
    await waitFor(async () => {
      const names = await page.evaluate(() => [...CSS.highlights.keys()]);
      return oldNames.every((name) => !names.includes(name));
    }, 'the old highlights to be removed', 10_000);
    await page.evaluate(() => {
      document.body.append(Object.assign(document.createElement('p'), { textContent: 'More: (415) 555-0102' }));
    });
    await page.keyboard.press('Alt+Shift+K');
    await page.waitForTimeout(500);
    assert.deepEqual(errors.filter((text) => /context invalidated|kandy/i.test(text)), [], 'no errors reached the page');
    await page.close();
  });
});
