/** Drives the built extension in a real Chromium profile, the way a user (and nothing else) would. */
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchProfile, type ProfileOptions } from './browser.ts';

export const DIST = resolve(import.meta.dirname, '../../dist');

export interface Account {
  username: string;
  password: string;
  port: number;
  host?: string;
  clientId?: string;
  /**
   * Keep the password (the user's consent on the options page). Defaults to true here, so a restarted
   * gateway — which forgets its refresh tokens — can sign the test user in again, as before.
   */
  rememberPassword?: boolean;
}

export interface ExtensionUser {
  context: BrowserContext;
  extensionId: string;
  /** An extension page kept open to send messages and read state as the popup does. */
  readonly controlPage: Page;
  /** Opens a new control page, for when the old one died with the extension's renderer. */
  reopenControlPage(): Promise<Page>;
  url(path: string): string;
  openPopup(): Promise<Page>;
  send<T = unknown>(message: Record<string, unknown>): Promise<T>;
  state(): Promise<AppStateLike>;
  diagnostics(): Promise<Diagnostics>;
  waitForState(predicate: (state: AppStateLike) => boolean, what: string, timeoutMs?: number): Promise<AppStateLike>;
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface CallLike {
  id: string;
  direction: 'incoming' | 'outgoing';
  phase: string;
  remoteAddress: string;
  answeredAt?: number;
  endReason?: string;
  muted: boolean;
  localHold: boolean;
  remoteHold: boolean;
}
export interface AppStateLike {
  connection: { status: string; reason?: string; user?: string };
  calls: CallLike[];
  lastError?: { message: string };
  revision: number;
}
export interface Diagnostics {
  state: AppStateLike;
  media: { callId: string; bytesSent: number; bytesReceived: number; packetsReceived: number }[];
  remoteMedia: { kind: string; playing: boolean }[];
}

export function assertBuilt(): void {
  if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error(`No built extension in ${DIST}: run "npm run build" first.`);
}

async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://'));
  return existing ?? context.waitForEvent('serviceworker', { timeout: 20_000 });
}

export async function launchExtensionUser(account: Account | undefined, options: ProfileOptions = {}): Promise<ExtensionUser> {
  assertBuilt();
  const context = await launchProfile({ ...options, extensionDir: DIST });
  const worker = await extensionWorker(context);
  const extensionId = new URL(worker.url()).host;
  const url = (path: string) => `chrome-extension://${extensionId}/${path}`;
  // Close the onboarding/permission tab the extension opens on install; tests open what they need.
  // Pages a test opens itself start blank (context.newPage) and stay open.
  const isWelcome = (url: string) => url.includes('permission/index.html') || url.includes('onboarding/index.html');
  for (const page of context.pages()) if (isWelcome(page.url())) await page.close();
  context.on('page', (page) => {
    const openedByExtension = isWelcome(page.url());
    page.once('load', () => {
      if (page.url().includes('onboarding/index.html') && openedByExtension) void page.close().catch(() => undefined);
      else if (page.url().includes('permission/index.html') && !options.realPermissionPrompts) void page.close().catch(() => undefined);
    });
  });
  let controlPage = await context.newPage();
  await controlPage.goto(url('popup/index.html'));
  let cdp: CDPSession | undefined;

  const send = async <T>(message: Record<string, unknown>): Promise<T> =>
    controlPage.evaluate((body) => chrome.runtime.sendMessage({ target: 'background', ...body }), message) as Promise<T>;

  const user: ExtensionUser = {
    context,
    extensionId,
    get controlPage() {
      return controlPage;
    },
    async reopenControlPage() {
      await controlPage.close().catch(() => undefined);
      controlPage = await context.newPage();
      await controlPage.goto(url('popup/index.html'));
      cdp = undefined;
      return controlPage;
    },
    url,
    async openPopup() {
      const page = await context.newPage();
      await page.goto(url('popup/index.html'));
      return page;
    },
    send,
    async state() {
      return controlPage.evaluate(async () => ((await chrome.storage.session.get('appState')).appState ?? null)) as Promise<AppStateLike>;
    },
    async diagnostics() {
      const reply = await send<{ ok: boolean; value: Diagnostics; error?: string }>({ type: 'ui/diagnostics' });
      if (!reply.ok) throw new Error(`diagnostics failed: ${reply.error}`);
      return reply.value;
    },
    async waitForState(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: AppStateLike | undefined;
      while (Date.now() < deadline) {
        last = await user.state();
        if (last && predicate(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      throw new Error(`Timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
    },
    async stopServiceWorker() {
      cdp ??= await context.newCDPSession(controlPage);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
    },
    async close() {
      await context.close();
    },
  };

  if (account) {
    const reply = await send<{ ok: boolean; error?: string }>({
      type: 'ui/save-settings',
      settings: {
        server: { host: account.host ?? '127.0.0.1', port: account.port },
        clientId: account.clientId ?? 'kandy-click-to-call-demo',
        username: account.username,
        password: account.password,
        rememberPassword: account.rememberPassword ?? true,
      },
    });
    if (!reply.ok) {
      await context.close();
      throw new Error(`save-settings failed: ${reply.error}`);
    }
  }
  return user;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
