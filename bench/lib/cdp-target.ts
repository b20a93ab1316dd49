/**
 * CDP commands to a target Playwright does not expose as a Page (the offscreen document, whose
 * target type is 'background_page'), through the browser session: Target.attachToTarget with
 * flatten:false and Target.sendMessageToTarget. (Playwright's CDPSession cannot address the child
 * session of a flatten:true attachment, so the non-flattened form is used.)
 */
import type { CDPSession } from 'playwright-core';

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
}

export interface TargetSession {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  detach(): Promise<void>;
}

export async function listTargets(browserSession: CDPSession): Promise<TargetInfo[]> {
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
  return targetInfos;
}

export async function attachTarget(browserSession: CDPSession, targetId: string): Promise<TargetSession> {
  const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const onMessage = (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  };
  browserSession.on('Target.receivedMessageFromTarget', onMessage);
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method} timed out`));
        }, 30_000);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: Error) => {
          pending.delete(id);
          clearTimeout(timer);
          reject(error);
        });
      });
    },
    async detach() {
      browserSession.off('Target.receivedMessageFromTarget', onMessage);
      await browserSession.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    },
  };
}

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

/** Two forced garbage collections, then Runtime.getHeapUsage (the whole isolate of that renderer's main thread). */
export async function heapAfterGc(send: (method: string, params?: Record<string, unknown>) => Promise<unknown>): Promise<HeapUsage> {
  await send('HeapProfiler.enable');
  await send('HeapProfiler.collectGarbage');
  await send('HeapProfiler.collectGarbage');
  return (await send('Runtime.getHeapUsage')) as HeapUsage;
}
