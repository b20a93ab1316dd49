/**
 * Notices when the offscreen document (the phone) is gone — closed, crashed or killed — and
 * recovers: calls it carried are shown as lost, the user is told, and a new phone signs in.
 * Detection: the phone's port disconnecting (worker alive), every worker start, and an alarm.
 */
import type { Runtime } from '../shared/extension-api';
import { PHONE_PORT_NAME } from '../shared/messages';
import type { AppState } from '../shared/state';
import type { HubContext } from './hub';
import { classifySender } from './hub';
import { ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';
import { applyState } from './state-observers';
import { readState } from './storage';

const WATCH_ALARM = 'phone-watch';
const LOST_NOTIFICATION = 'phone-lost';
export const CALL_LOST_REASON = 'Call lost: the extension’s phone stopped unexpectedly.';

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
    const next = withLostCalls(state, context.now());
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
