/**
 * Notices when the offscreen document (the phone) is gone — closed, crashed or killed — and
 * recovers: calls it carried are shown as lost, the user is told, and a new phone signs in.
 * Detection: the phone's port disconnecting (worker alive), every worker start, and an alarm.
 *
 * A crash of the extension's renderer takes more than the phone: Chrome runs every page and the
 * worker of one extension in one process, and when that process dies it marks the whole extension
 * terminated and unloads it, which empties storage.session (the call state). Nothing of ours runs
 * until the extension is reloaded (Chrome's "crashed" notice, the Reload button, a browser
 * restart), so the live calls are also kept in storage.local: the first start after the reload
 * still knows which calls were lost and can say so.
 */
import type { Runtime } from '../shared/extension-api';
import { PHONE_PORT_NAME } from '../shared/messages';
import type { AppState, CallView } from '../shared/state';
import type { HubContext } from './hub';
import { classifySender } from './hub';
import { ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';
import { applyState, type StateObserver } from './state-observers';
import { readState } from './storage';

const WATCH_ALARM = 'phone-watch';
const LOST_NOTIFICATION = 'phone-lost';
export const CALL_LOST_REASON = 'Call lost: the extension’s phone stopped unexpectedly.';
/** storage.local: the calls that were live at the last state change (see the header). */
export const LIVE_CALLS_KEY = 'liveCalls';

const liveCalls = (state: AppState): CallView[] => state.calls.filter((call) => call.phase !== 'ended');
const liveKey = (calls: CallView[]) => calls.map((call) => `${call.id}:${call.phase}:${call.answeredAt ?? ''}`).join(',');

/** Rewrites the stored live calls only when a call starts, changes phase or ends, not on every push. */
export const liveCallsObserver: StateObserver = async (previous, next, context) => {
  const live = liveCalls(next);
  if (liveKey(live) === liveKey(liveCalls(previous))) return;
  await context.browser.storage.local.set({ [LIVE_CALLS_KEY]: live });
};

/** `state` plus the stored live calls it no longer knows about (its storage was emptied under them). */
export function withRememberedCalls(state: AppState, remembered: CallView[]): AppState {
  const known = new Set(state.calls.map((call) => call.id));
  const missing = remembered.filter((call) => !known.has(call.id) && call.phase !== 'ended');
  return missing.length === 0 ? state : { ...state, calls: [...state.calls, ...missing] };
}

export function withLostCalls(state: AppState, now: number): AppState {
  const lost = state.calls.filter((call) => call.phase !== 'ended');
  if (lost.length === 0) return state;
  return {
    ...state,
    revision: state.revision + 1,
    connection: { status: 'connecting' },
    calls: state.calls.map((call) => (call.phase === 'ended' ? call : { ...call, phase: 'ended', endedAt: now, endReason: CALL_LOST_REASON })),
    lastError: { message: CALL_LOST_REASON, at: now },
  };
}

let recovering: Promise<void> | undefined;

export function checkPhone(context: HubContext): Promise<void> {
  recovering ??= (async () => {
    if (await hasOffscreenDocument(context.browser)) return;
    const state = await readState(context.browser);
    const stored = (await context.browser.storage.local.get(LIVE_CALLS_KEY))[LIVE_CALLS_KEY];
    const remembered = Array.isArray(stored) ? (stored as CallView[]) : [];
    const next = withLostCalls(withRememberedCalls(state, remembered), context.now());
    // Whatever happens next, these calls have been dealt with: never report them twice.
    if (remembered.length > 0) await context.browser.storage.local.set({ [LIVE_CALLS_KEY]: [] });
    if (next !== state) {
      await applyState(context, next);
      await chrome.notifications.create(LOST_NOTIFICATION, {
        type: 'basic',
        iconUrl: context.browser.runtime.getURL('icons/icon-128.png'),
        title: 'Call lost',
        message: 'The call ended because the extension’s phone stopped. It has been restarted; you can call again.',
        priority: 2,
      });
    }
    await ensureOffscreenDocument(context.browser);
  })().finally(() => {
    recovering = undefined;
  });
  return recovering;
}

export function registerPhoneWatch(context: HubContext): void {
  context.browser.runtime.onConnect.addListener((port: Runtime.Port) => {
    if (port.name !== PHONE_PORT_NAME || !port.sender || classifySender(port.sender, context.browser) !== 'offscreen') return;
    port.onDisconnect.addListener(() => {
      // Give a closing document a moment to disappear from getContexts.
      setTimeout(() => void checkPhone(context).catch((error: unknown) => console.warn('Phone recovery failed', error)), 300);
    });
  });
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === WATCH_ALARM) void checkPhone(context).catch((error: unknown) => console.warn('Phone check failed', error));
  });
  void chrome.alarms.get(WATCH_ALARM).then((existing) => {
    if (!existing) void chrome.alarms.create(WATCH_ALARM, { periodInMinutes: 1 });
  });
}
