/**
 * A browser-level DevTools connection to a profile launched with `--remote-debugging-port=0`.
 * Playwright gives a persistent context page-level sessions only, and those cannot reach the
 * extension's offscreen document (a "background_page" target) or send it commands.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { waitFor } from './extension.ts';

export const REMOTE_DEBUGGING_ARGS = ['--remote-debugging-port=0'];

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export interface BrowserCdp {
  send<T = unknown>(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<T>;
  /** Sends without waiting for a reply (a command such as Page.crash never gets one). */
  fire(method: string, params?: Record<string, unknown>, sessionId?: string): void;
  targets(): Promise<TargetInfo[]>;
  /** Events of the browser and of every attached session (`sessionId` tells them apart). */
  on(method: string, listener: (params: Record<string, unknown>, sessionId: string | undefined) => void): void;
  close(): void;
}

export async function connectBrowserCdp(userDataDir: string): Promise<BrowserCdp> {
  // Chrome writes the port it picked and the browser endpoint's path here once it listens.
  const [port, path] = await waitFor(async () => {
    const lines = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
    return lines[0] && lines[1] ? lines : undefined;
  }, 'the DevTools port file');
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let lastId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<string, ((params: Record<string, unknown>, sessionId: string | undefined) => void)[]>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
    if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {}, message.sessionId);
      return;
    }
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const post = (id: number, method: string, params: Record<string, unknown>, sessionId?: string) =>
    socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  const cdp: BrowserCdp = {
    send<T>(method: string, params: Record<string, unknown> = {}, sessionId?: string) {
      const id = ++lastId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        post(id, method, params, sessionId);
      });
    },
    fire(method, params = {}, sessionId) {
      post(++lastId, method, params, sessionId);
    },
    async targets() {
      return (await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
    },
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener]);
    },
    close() {
      socket.close();
    },
  };
  return cdp;
}
