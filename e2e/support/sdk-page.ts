/**
 * Page-driving helpers for e2e/gateway.test.ts: a static server for the harness page (which loads the
 * real SDK from node_modules at run time), and SdkPage, a typed wrapper around window.harness.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const FIXTURE_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'gateway-page');
/** dist/kandy.js of @kandy-io/cpaas-sdk (package main), served as /kandy.js; never copied into the repo. */
const SDK_FILE = createRequire(import.meta.url).resolve('@kandy-io/cpaas-sdk');

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: join(FIXTURE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/index.html': { file: join(FIXTURE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/harness.js': { file: join(FIXTURE_DIR, 'harness.js'), type: 'text/javascript; charset=utf-8' },
  '/kandy.js': { file: SDK_FILE, type: 'text/javascript; charset=utf-8' },
};

/** Serves the harness page and the SDK on http://127.0.0.1:<random port>. */
export async function startHarnessServer(): Promise<HarnessServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const entry = FILES[path];
    if (!entry || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    readFile(entry.file).then(
      (content) => res.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-store' }).end(content),
      (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(error.message),
    );
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

export interface HarnessEvent {
  seq: number;
  time: number;
  type: string;
  callId?: string;
  state?: string;
  previous?: string;
  error?: { code?: string | number; message?: string; name?: string };
  operation?: string;
  transition?: string;
  reason?: string;
  subscribed?: string[];
}

export interface CallView {
  id: string;
  state: string;
  direction: string;
  localHold: boolean;
  remoteHold: boolean;
  remoteParticipant?: { displayName?: string; displayNumber?: string };
}

export interface DtmfResult {
  error?: { code?: string | number; message?: string };
  played: string[];
  dtmfSenders: number;
  telephoneEventNegotiated: boolean;
}

/** Polls `probe` until it returns a truthy value; fails with `what` and optional diagnostics after `timeoutMs`. */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs: number,
  diagnostics?: () => Promise<string> | string,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = diagnostics ? `\n${await diagnostics()}` : '';
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}${detail}`);
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, intervalMs));
  }
}

export interface SignIn {
  host: string;
  port: number;
  username: string;
  password: string;
  clientId: string;
  pingInterval?: number;
}

/** One simulated user: a browser context with the harness page and the SDK signed in. */
export class SdkPage {
  private readonly consoleLines: string[] = [];
  /** Appended to timeout messages (e.g. the gateway's recent log lines). */
  extraDiagnostics: (() => string) | undefined;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.pushConsole(`[${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', (error) => this.pushConsole(`[pageerror] ${error.message}`));
  }

  private pushConsole(line: string): void {
    this.consoleLines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.consoleLines.length > 200) this.consoleLines.shift();
  }

  static async open(browser: Browser, server: HarnessServer, name: string): Promise<SdkPage> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/index.html?user=${encodeURIComponent(name)}`);
    const loaded = await page.evaluate(() => typeof (window as unknown as { Kandy?: { create?: unknown } }).Kandy?.create === 'function');
    if (!loaded) throw new Error(`${name}: the SDK (/kandy.js) did not load`);
    return new SdkPage(name, context, page);
  }

  private harness<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      ([name, params]) => {
        const harness = (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness;
        const method = harness[name as string];
        if (!method) throw new Error(`harness.${String(name)} does not exist`);
        return method(...(params as unknown[]));
      },
      [fn, args] as const,
    ) as Promise<T>;
  }

  init(signIn: SignIn): Promise<{ subscribed: string[] }> {
    return this.harness('init', signIn);
  }

  refreshTokens(): Promise<{ expiresIn: number }> {
    return this.harness('refreshTokens');
  }

  socketConnected(): Promise<boolean> {
    return this.harness('socketConnected');
  }

  subscriptions(): Promise<{ subscribed: string[]; isPending?: boolean }> {
    return this.harness('subscriptions');
  }

  make(destination: string): Promise<string> {
    return this.harness('make', destination);
  }

  answer(callId: string): Promise<void> {
    return this.harness('answer', callId);
  }

  reject(callId: string): Promise<void> {
    return this.harness('reject', callId);
  }

  end(callId: string): Promise<void> {
    return this.harness('end', callId);
  }

  hold(callId: string): Promise<void> {
    return this.harness('hold', callId);
  }

  unhold(callId: string): Promise<void> {
    return this.harness('unhold', callId);
  }

  call(callId: string): Promise<CallView | undefined> {
    return this.harness('call', callId);
  }

  events(sinceSeq = 0): Promise<HarnessEvent[]> {
    return this.harness('events', sinceSeq);
  }

  lastSeq(): Promise<number> {
    return this.harness('lastSeq');
  }

  inboundAudioBytes(callId: string): Promise<{ bytes: number; reports: number }> {
    return this.harness('inboundAudioBytes', callId);
  }

  sendDtmf(callId: string, tones: string): Promise<DtmfResult> {
    return this.harness('sendDtmf', callId, tones);
  }

  /** Recent SDK events and console errors, for failure messages. */
  async diagnostics(): Promise<string> {
    let events = '(events unavailable)';
    try {
      events = (await this.events())
        .slice(-25)
        .map((e) => `  #${e.seq} ${e.type}${e.callId ? ` ${e.callId.slice(0, 8)}` : ''}${e.state ? ` state=${e.state}` : ''}${e.operation ? ` op=${e.operation}/${e.transition}` : ''}${e.error ? ` error=${JSON.stringify(e.error)}` : ''}`)
        .join('\n');
    } catch {
      // the page may be gone
    }
    const extra = this.extraDiagnostics ? `\n${this.extraDiagnostics()}` : '';
    return `--- ${this.name}: last SDK events ---\n${events}\n--- ${this.name}: console ---\n${this.consoleLines.slice(-15).join('\n')}${extra}`;
  }

  /** Waits until the call is (or has been, per call:stateChange) in `state`. */
  async waitForCallState(callId: string, state: string, timeoutMs = 20_000): Promise<CallView | HarnessEvent> {
    return waitUntil(
      async () => {
        const view = await this.call(callId);
        if (view?.state === state) return view;
        const events = await this.events();
        return events.find((e) => e.type === 'call:stateChange' && e.callId === callId && e.state === state);
      },
      `${this.name}'s call ${callId} to reach state "${state}"`,
      timeoutMs,
      () => this.diagnostics(),
    );
  }

  /** The first call:stateChange of the call that carries an error. */
  async waitForCallError(callId: string, timeoutMs = 20_000): Promise<HarnessEvent & { error: NonNullable<HarnessEvent['error']> }> {
    return waitUntil(
      async () => (await this.events()).find((e) => e.type === 'call:stateChange' && e.callId === callId && e.error) as (HarnessEvent & { error: NonNullable<HarnessEvent['error']> }) | undefined,
      `${this.name}'s call ${callId} to fail with an error`,
      timeoutMs,
      () => this.diagnostics(),
    );
  }

  /** Waits for a call:receive after `sinceSeq` and returns the new call's id. */
  async waitForIncomingCall(sinceSeq: number, timeoutMs = 20_000): Promise<string> {
    const event = await waitUntil(
      async () => (await this.events(sinceSeq)).find((e) => e.type === 'call:receive' && e.callId),
      `${this.name} to receive a call`,
      timeoutMs,
      () => this.diagnostics(),
    );
    return event.callId ?? '';
  }

  /** Polls getStats until inbound audio bytes exceed `moreThan`; returns the byte count. */
  async waitForAudioBytes(callId: string, moreThan: number, timeoutMs = 20_000): Promise<number> {
    let last = -1;
    await waitUntil(
      async () => {
        last = (await this.inboundAudioBytes(callId)).bytes;
        return last > moreThan;
      },
      `${this.name} to receive more than ${moreThan} audio bytes on call ${callId}`,
      timeoutMs,
      async () => `last bytesReceived=${last}\n${await this.diagnostics()}`,
      300,
    );
    return last;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
