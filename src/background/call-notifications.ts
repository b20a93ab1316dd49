/**
 * Incoming calls as system notifications with Answer/Decline, and "Missed call" notices.
 * Derived from the previous and next call state only, so a restarted worker does the right thing.
 */
import { isRingingIncoming, type AppState, type CallView } from '../shared/state';
import { displayParty } from '../ui/format';
import type { HubContext } from './hub';
import type { StateObserver } from './state-observers';

const RINGING_PREFIX = 'ringing:';
const MISSED_PREFIX = 'missed:';
const MISSED_COUNT_KEY = 'missedCalls';
const MISSED_PARTY_PREFIX = 'missedParty:';
const ANSWER_BUTTON = 0;


/** The caller gave up (or the network did) before anyone answered; a local Decline is not "missed". */
export function isMissed(call: CallView): boolean {
  return call.direction === 'incoming' && call.phase === 'ended' && call.answeredAt === undefined && call.sdkState === 'Cancelled';
}

function ringingIds(state: AppState): Set<string> {
  return new Set(state.calls.filter(isRingingIncoming).map((call) => call.id));
}

export async function readMissedCount(context: HubContext): Promise<number> {
  const stored = await context.browser.storage.local.get(MISSED_COUNT_KEY);
  return Number(stored[MISSED_COUNT_KEY] ?? 0);
}

export async function clearMissedCalls(context: HubContext): Promise<void> {
  await context.browser.storage.local.set({ [MISSED_COUNT_KEY]: 0 });
  const all = await chrome.notifications.getAll();
  await Promise.all(Object.keys(all).filter((id) => id.startsWith(MISSED_PREFIX)).map((id) => chrome.notifications.clear(id)));
}

export const callNotificationObserver: StateObserver = async (previous, next, context) => {
  const wasRinging = ringingIds(previous);
  const nowRinging = ringingIds(next);
  const icon = context.browser.runtime.getURL('icons/icon-128.png');
  for (const call of next.calls) {
    if (nowRinging.has(call.id) && !wasRinging.has(call.id)) {
      await chrome.notifications.create(`${RINGING_PREFIX}${call.id}`, {
        type: 'basic',
        iconUrl: icon,
        title: 'Incoming call',
        // No contextMessage: Chromium on Linux puts it above the message, so the caller's name
        // would not be the first line a compact desktop notification shows.
        message: displayParty(call.remoteAddress, call.remoteName),
        buttons: [{ title: 'Answer' }, { title: 'Decline' }],
        requireInteraction: true,
        priority: 2,
      });
    }
  }
  for (const id of wasRinging) {
    if (nowRinging.has(id)) continue;
    await chrome.notifications.clear(`${RINGING_PREFIX}${id}`);
    const call = next.calls.find((candidate) => candidate.id === id);
    if (call && isMissed(call)) {
      const party = displayParty(call.remoteAddress, call.remoteName);
      await context.browser.storage.local.set({ [MISSED_COUNT_KEY]: (await readMissedCount(context)) + 1 });
      await context.browser.storage.session.set({ [`${MISSED_PARTY_PREFIX}${id}`]: call.remoteAddress });
      await chrome.notifications.create(`${MISSED_PREFIX}${id}`, {
        type: 'basic',
        iconUrl: icon,
        title: `Missed call from ${party}`,
        message: 'Click to call back.',
        priority: 1,
      });
    }
  }
};

async function onButtonClicked(context: HubContext, notificationId: string, buttonIndex: number): Promise<void> {
  if (!notificationId.startsWith(RINGING_PREFIX)) return;
  const callId = notificationId.slice(RINGING_PREFIX.length);
  const kind = buttonIndex === ANSWER_BUTTON ? 'answer' : 'reject';
  await chrome.notifications.clear(notificationId);
  // The intent id is derived from the button, so a second press or a replay acts only once.
  await context.sendToOffscreen({
    target: 'offscreen',
    type: 'bg/intent',
    intentId: `notification-${kind}-${callId}`,
    intent: kind === 'answer' ? { kind, callId, video: false } : { kind, callId },
  });
}

async function onClicked(context: HubContext, notificationId: string): Promise<void> {
  if (notificationId.startsWith(MISSED_PREFIX)) {
    const callId = notificationId.slice(MISSED_PREFIX.length);
    const key = `${MISSED_PARTY_PREFIX}${callId}`;
    const address = (await context.browser.storage.session.get(key))[key];
    await chrome.notifications.clear(notificationId);
    await clearMissedCalls(context);
    if (typeof address === 'string' && address) {
      await context.sendToOffscreen({ target: 'offscreen', type: 'bg/intent', intentId: `redial-${callId}`, intent: { kind: 'make', destination: address, video: false } });
    }
    return;
  }
  if (notificationId.startsWith(RINGING_PREFIX)) {
    try {
      await chrome.action.openPopup();
    } catch {
      // No browser window can show the popup (e.g. all minimised): open the call console in its own window.
      await chrome.windows.create({ url: context.browser.runtime.getURL('popup/index.html'), type: 'popup', width: 360, height: 520, focused: true });
    }
  }
}

/** Must be called synchronously at the worker's top level so a click wakes a stopped worker. */
export function registerNotificationListeners(context: HubContext): void {
  chrome.notifications.onButtonClicked.addListener((id, button) => void onButtonClicked(context, id, button).catch((error: unknown) => console.warn('Notification button failed', error)));
  chrome.notifications.onClicked.addListener((id) => void onClicked(context, id).catch((error: unknown) => console.warn('Notification click failed', error)));
}
