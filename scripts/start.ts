/**
 * `npm start`: the whole click-to-call demo on one machine.
 *
 *  1. checks that Chromium is installed (else prints the apt command and exits 1);
 *  2. builds the extension into dist/ (`npx vite build`);
 *  3. starts the local Kandy gateway with the demo users (https://127.0.0.1:8443);
 *  4. serves the demo page, demo/index.html (http://127.0.0.1:8080);
 *  5. opens Chromium with the extension in two persistent profiles (.tmp/profiles/alice and bob), signs
 *     each in, and shows alice the demo page and bob his popup.
 *
 * With a display (DISPLAY or WAYLAND_DISPLAY) the windows are real and you drive them. Without one it
 * runs the same scenario headless by itself: alice hovers a detected number on the demo page and clicks
 * the call button, bob answers in his popup, both connect with audio both ways, and screenshots go to
 * .tmp/screenshots/. Ctrl-C (SIGINT) or SIGTERM stops everything this script started.
 *
 * Environment:
 *   GATEWAY_PORT      gateway port (default 8443; 0 = any free port); the profiles are pointed at it
 *   DEMO_PORT         demo page port (default 8080; 0 = any free port)
 *   DEMO_CI=1         short scenario: end the call and exit 0 once audio flowed both ways, else exit 1
 *   DEMO_HEADLESS=1   headless even with a display
 *   DEMO_PROFILE_DIR  where the two profiles live (default .tmp/profiles)
 *   DEMO_SKIP_BUILD=1 use the existing dist/
 *   CHROMIUM_PATH     default /usr/bin/chromium
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Before anything else (and before loading playwright): without Chromium there is no demo.
if (!existsSync(CHROMIUM)) {
  process.stderr.write('sudo apt-get install -y chromium\n');
  process.exit(1);
}

const { chromium } = await import('playwright-core');
type BrowserContext = import('playwright-core').BrowserContext;
type Page = import('playwright-core').Page;
const { startGateway } = await import('../gateway/src/server.ts');
type Gateway = import('../gateway/src/server.ts').Gateway;

const DIST = resolve(ROOT, 'dist');
const DEMO_DIR = resolve(ROOT, 'demo');
const TMP = resolve(ROOT, '.tmp');
const SCREENSHOTS = resolve(TMP, 'screenshots');
const LOGS = resolve(TMP, 'logs');
const PROFILES = resolve(ROOT, process.env.DEMO_PROFILE_DIR ?? join('.tmp', 'profiles'));
const CI = process.env.DEMO_CI === '1';
const HAS_DISPLAY = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const HEADLESS = !HAS_DISPLAY || process.env.DEMO_HEADLESS === '1';
/** With a person at the windows the demo waits for them; otherwise it plays the scenario itself. */
const AUTOMATIC = HEADLESS || CI;

interface DirectoryFile {
  clients?: string[];
  users: { username: string; password: string; number: string; displayName?: string }[];
}
interface Expected {
  callTarget: string;
  detected: string[];
  lookAlikes: string[];
}
interface AppState {
  connection: { status: string; reason?: string };
  calls: { id: string; direction: string; phase: string; remoteAddress: string }[];
}
interface MediaStats {
  bytesSent: number;
  bytesReceived: number;
}

// ---- output -------------------------------------------------------------------------------------

const started = Date.now();
function say(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[demo ${seconds}s] ${message}\n`);
}

// ---- clean-up: everything started is stopped, once, in reverse order ------------------------------

const cleanups: { what: string; run: () => Promise<unknown> | unknown }[] = [];
function onCleanup(what: string, run: () => Promise<unknown> | unknown): void {
  cleanups.push({ what, run });
}
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const { what, run } of cleanups.splice(0).reverse()) {
      try {
        await Promise.race([Promise.resolve(run()), new Promise((resolveWait) => setTimeout(resolveWait, 10_000))]);
      } catch (error) {
        process.stderr.write(`demo: stopping ${what} failed: ${(error as Error).message}\n`);
      }
    }
  })();
  return stopping;
}
async function exit(code: number): Promise<never> {
  await stopAll();
  process.exit(code);
}
/**
 * Ctrl-C in a terminal signals the whole process group, and npm forwards the signal to this
 * process as well: one Ctrl-C can arrive twice within milliseconds. Only a later one is a
 * second Ctrl-C. (`npm start` runs this with `node --import tsx`, not the tsx CLI, whose relay
 * SIGKILLs a child that does not confirm a signal within 30 ms: no clean-up at all.)
 */
const SAME_SIGNAL_MS = 1000;
let signalledAt: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalledAt !== undefined) {
      if (Date.now() - signalledAt < SAME_SIGNAL_MS) return;
      process.exit(1); // a second Ctrl-C: do not wait any longer
    }
    signalledAt = Date.now();
    say(`${signal}: stopping the browsers and servers…`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    void exit(signal === 'SIGINT' ? 130 : 143);
  });
}

// ---- helpers ---------------------------------------------------------------------------------------

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0 = any free port), got "${raw}"`);
  return port;
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (${(lastError as Error).message})` : ''}`);
}

function runBuild(): Promise<void> {
  mkdirSync(LOGS, { recursive: true });
  const logFile = join(LOGS, 'build.log');
  const log = createWriteStream(logFile);
  return new Promise((resolveBuild, rejectBuild) => {
    const child: ChildProcess = spawn('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      tail.push(...chunk.toString().split('\n'));
      tail.splice(0, Math.max(0, tail.length - 30));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const stopBuild = () => child.kill('SIGTERM');
    onCleanup('the build', stopBuild);
    child.on('error', rejectBuild);
    child.on('close', (code) => {
      log.end();
      if (code === 0) resolveBuild();
      else rejectBuild(new Error(`npx vite build failed (exit ${code}); log: ${relative(ROOT, logFile)}\n${tail.join('\n')}`));
    });
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

async function serveDemo(port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://demo').pathname);
    const file = resolve(DEMO_DIR, `.${path === '/' ? '/index.html' : path}`);
    if (request.method !== 'GET' || !file.startsWith(DEMO_DIR + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}/`, server };
}

/** Ids of this machine's processes whose command line mentions `text` (Linux /proc; empty elsewhere). */
function processIdsMentioning(text: string): number[] {
  if (!existsSync('/proc')) return [];
  const ids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) ids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return ids;
}

/**
 * Closing a context returns once the browser process has gone, but its zygotes and helpers can
 * outlive it for a moment, and under load for longer: wait for them, then kill what is left. A
 * child the zygote forks during shutdown carries the zygote's command line until it renames
 * itself, so the profile must stay absent for a while, not just once (CI twice found a renderer
 * right after a single empty look).
 */
const PROCESSES_QUIET_MS = 750;

async function stopProcessesOf(profile: string): Promise<void> {
  const deadline = Date.now() + 5000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (processIdsMentioning(profile).length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= PROCESSES_QUIET_MS) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  const leftovers = processIdsMentioning(profile);
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  if (leftovers.length > 0) {
    say(`Killed ${leftovers.length} Chromium process(es) still running 5 s after closing the browser.`);
    while (processIdsMentioning(profile).length > 0 && Date.now() < deadline + 2000) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

// ---- one demo user: a Chromium profile with the extension, signed in --------------------------------

class DemoUser {
  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly extensionId: string,
    /** An extension page of this profile: messages to the background go from here. */
    readonly control: Page,
  ) {}

  static async launch(name: string, gateway: Gateway): Promise<DemoUser> {
    const profile = join(PROFILES, name);
    mkdirSync(profile, { recursive: true });
    const args = [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      `--ignore-certificate-errors-spki-list=${gateway.spkiHash}`,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      `--window-name=Kandy demo: ${name}`,
    ];
    if (process.getuid?.() === 0) args.push('--no-sandbox'); // Chromium refuses to run as root with its sandbox
    if (!HEADLESS) args.push(name === 'alice' ? '--window-position=0,0' : '--window-position=980,0', name === 'alice' ? '--window-size=980,900' : '--window-size=460,760');
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: HEADLESS,
      ignoreDefaultArgs: ['--disable-extensions', '--mute-audio'],
      args,
      viewport: HEADLESS ? { width: 1280, height: 900 } : null,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    onCleanup(`${name}'s browser`, async () => {
      // Ctrl-C in a terminal reaches Chromium too, so close() may fail or hang on a browser that is
      // already going: its leftover processes are stopped either way.
      try {
        await Promise.race([context.close(), new Promise((resolveWait) => setTimeout(resolveWait, 2500))]);
      } finally {
        await stopProcessesOf(profile);
      }
    });
    const worker =
      context.serviceWorkers().find((candidate) => candidate.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 30_000, predicate: (candidate) => candidate.url().startsWith('chrome-extension://') }));
    const extensionId = new URL(worker.url()).host;
    // The welcome page asks for the microphone; the fake media flags already answer that here.
    const closeWelcome = (page: Page) => {
      if (page.url().includes('/permission/index.html')) void page.close().catch(() => undefined);
    };
    for (const page of context.pages()) closeWelcome(page);
    context.on('page', (page) => page.once('load', () => closeWelcome(page)));

    const control = context.pages().find((page) => page.url() === 'about:blank') ?? (await context.newPage());
    await control.goto(`chrome-extension://${extensionId}/popup/index.html`);
    return new DemoUser(name, context, extensionId, control);
  }

  url(path: string): string {
    return `chrome-extension://${this.extensionId}/${path}`;
  }

  send<T>(message: Record<string, unknown>): Promise<T> {
    return this.control.evaluate((body) => chrome.runtime.sendMessage({ target: 'background', ...body }), message) as Promise<T>;
  }

  async signIn(account: { username: string; password: string; clientId: string }, port: number): Promise<void> {
    const reply = await this.send<{ ok: boolean; error?: string }>({
      type: 'ui/save-settings',
      settings: { server: { host: '127.0.0.1', port }, clientId: account.clientId, username: account.username, password: account.password },
    });
    if (!reply.ok) throw new Error(`${this.name}: saving the settings failed: ${reply.error}`);
    await waitFor(async () => (await this.state())?.connection.status === 'online', `${this.name} to sign in`, 90_000);
  }

  state(): Promise<AppState | undefined> {
    return this.control.evaluate(async () => (await chrome.storage.session.get('appState')).appState) as Promise<AppState | undefined>;
  }

  async media(): Promise<MediaStats | undefined> {
    const reply = await this.send<{ ok: boolean; value?: { media: MediaStats[] } }>({ type: 'ui/diagnostics' });
    return reply.ok ? reply.value?.media[0] : undefined;
  }

  async liveCall(): Promise<AppState['calls'][number] | undefined> {
    return (await this.state())?.calls.find((call) => call.phase !== 'ended');
  }
}

// ---- the page, as the content script marked it -------------------------------------------------------

/** Every highlighted text on the page; scrolls through it, since only ranges near the viewport are painted. */
async function markedTexts(page: Page): Promise<string[]> {
  const found = new Set<string>();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; ; y += 500) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
    const texts = await page.evaluate(() => {
      const out: string[] = [];
      for (const highlight of CSS.highlights.values()) {
        // The content script paints StaticRanges (no toString): read the text they cover.
        for (const range of highlight as Iterable<AbstractRange>) {
          const start = range.startContainer;
          if (start === range.endContainer && start.nodeType === Node.TEXT_NODE) out.push((start as Text).data.slice(range.startOffset, range.endOffset));
        }
      }
      return out;
    });
    for (const text of texts) found.add(text);
    if (y >= height) break;
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return [...found];
}

async function textCentre(page: Page, snippet: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate((wanted) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return undefined;
  }, snippet);
}

async function callButtonCentre(page: Page): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate(() => {
    const host = document.getElementById('kandy-click-to-call');
    if (!host || getComputedStyle(host).display === 'none') return undefined;
    const rect = host.getBoundingClientRect();
    return rect.width > 0 ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : undefined;
  });
}

/** Hovers the number with the mouse and clicks the floating call button; false if no button showed up. */
async function clickToCall(page: Page, snippet: string): Promise<boolean> {
  const point = await textCentre(page, snippet);
  if (!point) throw new Error(`"${snippet}" is not on the demo page`);
  await page.mouse.move(point.x - 80, point.y + 80);
  await page.mouse.move(point.x, point.y, { steps: 8 });
  const button = await waitFor(async () => (await callButtonCentre(page)) ?? false, 'the floating call button', 15_000).catch(() => undefined);
  if (!button) return false;
  await page.waitForTimeout(600); // the button ignores clicks in its first moments on screen
  await page.mouse.click(button.x, button.y);
  return true;
}

async function screenshot(page: Page, name: string, size?: { width: number; height: number }): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (size && HEADLESS) await page.setViewportSize(size);
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.bringToFront();
  await page.waitForTimeout(300);
  await page.screenshot({ path: file });
  return file;
}

// ---- main ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const gatewayPort = portFromEnv('GATEWAY_PORT', 8443);
  const demoPort = portFromEnv('DEMO_PORT', 8080);
  const directory = JSON.parse(readFileSync(resolve(ROOT, 'gateway', 'users.json'), 'utf8')) as DirectoryFile;
  const expected = JSON.parse(readFileSync(resolve(DEMO_DIR, 'expected.json'), 'utf8')) as Expected;
  const clientId = directory.clients?.[0] ?? 'kandy-click-to-call-demo';
  const account = (username: string) => {
    const user = directory.users.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`gateway/users.json has no user ${username}`);
    return { username: user.username, password: user.password, clientId, number: user.number };
  };
  const alice = account('alice');
  const bob = account('bob');

  if (process.env.DEMO_SKIP_BUILD === '1' && existsSync(join(DIST, 'manifest.json'))) {
    say('Using the existing build in dist/ (DEMO_SKIP_BUILD=1).');
  } else {
    say('Building the extension (npx vite build)…');
    const buildStart = Date.now();
    await runBuild();
    say(`Built dist/ in ${((Date.now() - buildStart) / 1000).toFixed(1)} s.`);
  }

  mkdirSync(LOGS, { recursive: true });
  const gatewayLogFile = join(LOGS, 'gateway.log');
  const gatewayLog = createWriteStream(gatewayLogFile, { flags: 'a' });
  let gateway: Gateway;
  try {
    gateway = await startGateway({ host: '127.0.0.1', port: gatewayPort, maxCallsPerUser: 2, log: (entry) => gatewayLog.write(`${JSON.stringify(entry)}\n`) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`Port ${gatewayPort} is busy. Stop what uses it, or run with GATEWAY_PORT=<another port> (0 = any free port).`);
    throw error;
  }
  onCleanup('the gateway', async () => {
    await gateway.close();
    gatewayLog.end();
  });
  say(`Gateway: ${gateway.url} (demo users alice, bob, carol; echo line ${gateway.echoLine?.number ?? 'off'}); log: ${relative(ROOT, gatewayLogFile)}`);

  let demo: { url: string; server: Server };
  try {
    demo = await serveDemo(demoPort);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`Port ${demoPort} is busy. Stop what uses it, or run with DEMO_PORT=<another port> (0 = any free port).`);
    throw error;
  }
  onCleanup('the demo page server', () => new Promise<void>((done) => {
    demo.server.close(() => done());
    demo.server.closeAllConnections();
  }));
  say(`Demo page: ${demo.url}`);

  say(HEADLESS ? (HAS_DISPLAY ? 'Running Chromium headless (DEMO_HEADLESS=1).' : 'No display (neither DISPLAY nor WAYLAND_DISPLAY is set): running Chromium headless and playing the scenario by itself.') : 'Opening two Chromium windows (alice and bob).');
  say(`Profiles: ${relative(ROOT, PROFILES)}/alice and ${relative(ROOT, PROFILES)}/bob; Chromium trusts the gateway's certificate by its SPKI hash.`);
  const [aliceUser, bobUser] = await Promise.all([DemoUser.launch('alice', gateway), DemoUser.launch('bob', gateway)]);
  say(`Chromium is running for alice and bob (extension ${aliceUser.extensionId}).`);
  await Promise.all([aliceUser.signIn(alice, gateway.port), bobUser.signIn(bob, gateway.port)]);
  say(`Signed in: alice (${alice.number}) and bob (${bob.number}).`);

  // Bob's window: his popup. Alice's window: the demo page (her popup stays in a tab behind it).
  const bobPopup = bobUser.control;
  const alicePage = await aliceUser.context.newPage();
  await alicePage.goto(demo.url);
  await alicePage.bringToFront();

  if (!AUTOMATIC) {
    say('Ready. In alice\'s window hover a highlighted number (try "(415) 555-0101", that is bob) and press the green call button;');
    say('answer in bob\'s window. "+1 (415) 555-0123" is the echo line. Ctrl-C stops everything.');
    await new Promise(() => undefined); // until a signal
  }

  // What the content script marked.
  const marked = await waitFor(async () => {
    const texts = await markedTexts(alicePage);
    return texts.includes(expected.callTarget) ? texts : false;
  }, `the content script to mark "${expected.callTarget}" on the demo page`, 60_000);
  const allMarked = await waitFor(async () => {
    const texts = await markedTexts(alicePage);
    return expected.detected.every((text) => texts.includes(text)) ? texts : false;
  }, 'every expected number to be marked', 15_000).catch(() => marked);
  const missed = expected.detected.filter((text) => !allMarked.includes(text));
  const extra = allMarked.filter((text) => !expected.detected.includes(text));
  say(`Detected ${allMarked.length - extra.length} of ${expected.detected.length} numbers and SIP addresses on the demo page${missed.length ? ` (missed: ${missed.join(' | ')})` : ''}.`);
  say(`Look-alikes marked (dates, prices, order ids, …): ${extra.length === 0 ? 'none' : extra.join(' | ')}.`);

  // Alice hovers bob's number and clicks the call button.
  let how: string;
  if (await clickToCall(alicePage, expected.callTarget)) {
    how = `call from a detected number (${expected.callTarget}, hovered and clicked on the demo page)`;
    say(`Alice hovered "${expected.callTarget}" and clicked the floating call button.`);
  } else {
    how = `call dialled from alice's popup (the floating call button did not appear on "${expected.callTarget}")`;
    say(`No floating call button appeared on "${expected.callTarget}": dialling it from alice's popup instead.`);
    await aliceUser.control.bringToFront();
    await aliceUser.control.getByLabel('Number or address').fill(expected.callTarget);
    await aliceUser.control.getByRole('button', { name: 'Call', exact: true }).click();
  }

  // Bob's popup shows the incoming call; he answers.
  const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
  await incoming.getByRole('button', { name: 'Answer', exact: true }).waitFor({ timeout: 60_000 });
  say(`Bob's popup shows the incoming call: ${(await incoming.innerText()).replace(/\s+/g, ' ').trim()}`);
  await incoming.getByRole('button', { name: 'Answer', exact: true }).click();

  await waitFor(async () => (await aliceUser.liveCall())?.phase === 'connected' && (await bobUser.liveCall())?.phase === 'connected', 'both sides to connect', 60_000);
  say('Connected.');
  const flowing = async (user: DemoUser) => {
    const stats = await user.media();
    return stats && stats.bytesSent > 2000 && stats.bytesReceived > 2000 ? stats : false;
  };
  let audio: { alice: MediaStats; bob: MediaStats } | undefined;
  try {
    audio = { alice: await waitFor(() => flowing(aliceUser), 'audio at alice', 45_000), bob: await waitFor(() => flowing(bobUser), 'audio at bob', 45_000) };
  } catch (error) {
    say(`Audio did not flow both ways: ${(error as Error).message}`);
  }

  // Screenshots: alice's page, both popups.
  const aliceCallPopup = aliceUser.control;
  const shots = [
    await screenshot(alicePage, 'alice-demo-page'),
    await screenshot(aliceCallPopup, 'alice-popup', { width: 420, height: 640 }),
    await screenshot(bobPopup, 'bob-popup', { width: 420, height: 640 }),
  ];
  say(`Screenshots:\n${shots.map((file) => `    ${file}`).join('\n')}`);

  if (!audio) {
    say('DEMO FAILED: the call connected but audio did not flow both ways.');
    await exit(1);
    return;
  }
  say(`DEMO OK: ${how} connected with audio both ways (alice sent ${audio.alice.bytesSent} B, received ${audio.alice.bytesReceived} B; bob sent ${audio.bob.bytesSent} B, received ${audio.bob.bytesReceived} B).`);

  if (CI) {
    const call = await aliceUser.liveCall();
    if (call) await aliceUser.send({ type: 'ui/intent', intentId: `demo-end-${Date.now()}`, intent: { kind: 'end', callId: call.id } });
    await waitFor(async () => !(await aliceUser.liveCall()) && !(await bobUser.liveCall()), 'the call to end on both sides', 30_000);
    say('Call ended (DEMO_CI=1). Stopping.');
    await exit(0);
    return;
  }
  say('The call stays up. Ctrl-C ends it and stops the browsers, the gateway and the demo page server.');
  await new Promise(() => undefined);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await exit(1);
});
