/**
 * In-page helpers for an extension page (the control page opened by e2e/support/extension.ts):
 * precise event times from `chrome.storage.session.onChanged` instead of polling, intents sent
 * from inside the page with the page's own clock, and an in-page diagnostics poll.
 *
 * Every time is wall-clock milliseconds, `performance.timeOrigin + performance.now()` in the page,
 * which is comparable with `wallNow()` in Node (both read the same system clock).
 */
import type { Page } from 'playwright-core';

type WatchKind = 'incoming-ringing' | 'outgoing-connected' | 'no-live-call';

interface StateLike {
  connection?: { status?: string };
  calls?: { id: string; direction: string; phase: string }[];
}

/**
 * tsx (esbuild with keepNames) wraps named inner functions of code we send to pages in
 * `__name(fn, "name")`, which does not exist there. Run this (a string, so untransformed) first.
 */
export const NAME_SHIM = 'globalThis.__name ??= (fn) => fn;';

export async function shimNames(page: Page): Promise<void> {
  await page.addInitScript(NAME_SHIM);
  await page.evaluate(NAME_SHIM);
}

/** Records every appState change with its time; idempotent. Also installs the name shim. */
export async function installStateWatcher(page: Page): Promise<void> {
  await shimNames(page);
  await page.evaluate(() => {
    const holder = window as unknown as { __benchStates?: { t: number; state: StateLike }[] };
    if (holder.__benchStates) return;
    const states: { t: number; state: StateLike }[] = [];
    holder.__benchStates = states;
    chrome.storage.session.onChanged.addListener((changes) => {
      const next = changes.appState?.newValue as StateLike | undefined;
      if (next) states.push({ t: performance.timeOrigin + performance.now(), state: next });
      if (states.length > 500) states.splice(0, states.length - 500);
    });
  });
}

/**
 * Resolves with the time of the first appState change at or after `since` (wall ms) that
 * matches `kind`, and the matching call's id (if any).
 */
export async function waitForStateEvent(page: Page, kind: WatchKind, since: number, timeoutMs = 20_000): Promise<{ t: number; callId?: string }> {
  return page.evaluate(
    ({ kind, since, timeoutMs }) =>
      new Promise<{ t: number; callId?: string }>((resolve, reject) => {
        const states = (window as unknown as { __benchStates: { t: number; state: StateLike }[] }).__benchStates;
        const match = (state: StateLike): { callId?: string } | undefined => {
          const calls = state.calls ?? [];
          if (kind === 'incoming-ringing') {
            const call = calls.find((candidate) => candidate.direction === 'incoming' && candidate.phase === 'ringing');
            return call ? { callId: call.id } : undefined;
          }
          if (kind === 'outgoing-connected') {
            const call = calls.find((candidate) => candidate.direction === 'outgoing' && candidate.phase === 'connected');
            return call ? { callId: call.id } : undefined;
          }
          return calls.every((candidate) => candidate.phase === 'ended') ? {} : undefined;
        };
        let checked = 0;
        const check = (): boolean => {
          for (; checked < states.length; checked++) {
            const entry = states[checked]!;
            if (entry.t < since) continue;
            const found = match(entry.state);
            if (found) {
              resolve({ t: entry.t, ...found });
              return true;
            }
          }
          return false;
        };
        if (check()) return;
        const started = Date.now();
        const timer = setInterval(() => {
          if (check()) clearInterval(timer);
          else if (Date.now() - started > timeoutMs) {
            clearInterval(timer);
            reject(new Error(`no ${kind} state within ${timeoutMs} ms; last: ${JSON.stringify(states.at(-1)?.state ?? null)}`));
          }
        }, 2);
      }),
    { kind, since, timeoutMs },
  );
}

/**
 * Sends `{type:'ui/intent'}` from inside the page, as the popup does, and returns the page time
 * just before the message left. The reply is kept in the page; read it with `intentReply`.
 */
export async function fireIntent(page: Page, intentId: string, intent: Record<string, unknown>): Promise<number> {
  return page.evaluate(
    ({ intentId, intent }) => {
      const holder = window as unknown as { __benchReplies?: Record<string, Promise<unknown>> };
      holder.__benchReplies ??= {};
      const t = performance.timeOrigin + performance.now();
      holder.__benchReplies[intentId] = chrome.runtime.sendMessage({ target: 'background', type: 'ui/intent', intentId, intent }).catch((error: unknown) => ({ ok: false, error: String(error) }));
      return t;
    },
    { intentId, intent },
  );
}

export async function intentReply(page: Page, intentId: string): Promise<{ ok: boolean; error?: string }> {
  return page.evaluate(async (intentId) => {
    const holder = window as unknown as { __benchReplies?: Record<string, Promise<unknown>> };
    const reply = (await holder.__benchReplies?.[intentId]) as { ok: boolean; error?: string } | undefined;
    delete holder.__benchReplies?.[intentId];
    return reply ?? { ok: false, error: 'no such intent' };
  }, intentId);
}

export interface FirstBytes {
  /** Page time when the first poll that saw bytesReceived > 0 returned. */
  t: number;
  polls: number;
  /** Median round trip of one diagnostics poll (page → worker → offscreen getStats → page). */
  medianPollMs: number;
}

/**
 * Polls `ui/diagnostics` from inside the page every `intervalMs` until the call's media shows
 * bytesReceived > 0. The event lies between the start and the end of the last poll.
 */
export async function pollFirstInboundBytes(page: Page, callId: string | undefined, intervalMs: number, timeoutMs = 20_000): Promise<FirstBytes> {
  return page.evaluate(
    async ({ callId, intervalMs, timeoutMs }) => {
      const now = () => performance.timeOrigin + performance.now();
      const started = now();
      const rtts: number[] = [];
      for (;;) {
        const t0 = now();
        const reply = (await chrome.runtime.sendMessage({ target: 'background', type: 'ui/diagnostics' })) as {
          ok: boolean;
          value?: { media: { callId: string; bytesReceived: number }[] };
        };
        const t1 = now();
        rtts.push(t1 - t0);
        const media = reply.ok ? (reply.value?.media ?? []) : [];
        if (media.some((entry) => (callId === undefined || entry.callId === callId) && entry.bytesReceived > 0)) {
          rtts.sort((a, b) => a - b);
          return { t: t1, polls: rtts.length, medianPollMs: rtts[Math.floor((rtts.length - 1) / 2)]! };
        }
        if (t1 - started > timeoutMs) throw new Error(`no inbound bytes within ${timeoutMs} ms (media: ${JSON.stringify(media)})`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
    { callId, intervalMs, timeoutMs },
  );
}
