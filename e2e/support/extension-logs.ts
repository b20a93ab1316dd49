/**
 * Every console message (all levels), uncaught exception and browser log entry (network errors,
 * violations) of one extension's own contexts: its service worker (each restart too), its
 * offscreen document and its pages. Read over a browser-level DevTools connection, which reaches
 * all of them alike; a context attached late still reports what it logged before, because
 * Runtime.enable and Log.enable replay their buffers.
 */
import type { BrowserCdp, TargetInfo } from './browser-cdp.ts';

export interface LogEntry {
  /** service_worker, background_page (the offscreen document) or page, and the context's URL. */
  targetType: string;
  url: string;
  kind: 'console' | 'exception' | 'log';
  level: string;
  /** Everything DevTools would show for it: arguments with their previews, stack traces, URLs. */
  text: string;
}

export interface ExtensionLogs {
  readonly entries: LogEntry[];
  /** The attached sessions, so a test can run code in a context (e.g. to prove the collector hears it). */
  sessions(): { sessionId: string; target: TargetInfo }[];
}

const WATCHED = new Set(['service_worker', 'background_page', 'page', 'worker', 'other']);

export async function collectExtensionLogs(cdp: BrowserCdp, extensionOrigin: string): Promise<ExtensionLogs> {
  const entries: LogEntry[] = [];
  const bySession = new Map<string, TargetInfo>();
  const attaching = new Set<string>();

  const record = (sessionId: string | undefined, kind: LogEntry['kind'], level: string, payload: unknown) => {
    const target = sessionId ? bySession.get(sessionId) : undefined;
    if (!target) return;
    entries.push({ targetType: target.type, url: target.url, kind, level, text: JSON.stringify(payload) });
  };
  cdp.on('Runtime.consoleAPICalled', (params, sessionId) => record(sessionId, 'console', String(params.type), params.args));
  cdp.on('Runtime.exceptionThrown', (params, sessionId) => record(sessionId, 'exception', 'error', params.exceptionDetails));
  cdp.on('Log.entryAdded', (params, sessionId) => {
    const entry = params.entry as { level?: string } | undefined;
    record(sessionId, 'log', entry?.level ?? 'info', entry);
  });

  const attach = async (target: TargetInfo) => {
    if (!target.url.startsWith(extensionOrigin) || !WATCHED.has(target.type) || attaching.has(target.targetId)) return;
    attaching.add(target.targetId);
    try {
      const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
      bySession.set(sessionId, target);
      await Promise.all([cdp.send('Runtime.enable', {}, sessionId), cdp.send('Log.enable', {}, sessionId)]);
    } catch {
      // The context closed before we reached it; whatever it logged is gone with it.
    }
  };
  const onTarget = (params: Record<string, unknown>) => void attach(params.targetInfo as TargetInfo);
  cdp.on('Target.targetCreated', onTarget);
  cdp.on('Target.targetInfoChanged', onTarget);
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  await Promise.all((await cdp.targets()).map(attach));
  return {
    entries,
    sessions: () => [...bySession].map(([sessionId, target]) => ({ sessionId, target })),
  };
}

/** The entries in which any of `secrets` appears, as is or URL-encoded. */
export function entriesWithSecrets(entries: readonly LogEntry[], secrets: readonly string[]): { secret: string; entry: LogEntry }[] {
  const found: { secret: string; entry: LogEntry }[] = [];
  for (const secret of secrets) {
    const forms = [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
    for (const entry of entries) if (forms.some((form) => entry.text.includes(form))) found.push({ secret, entry });
  }
  return found;
}
