/**
 * The call window: an extension page (src/callwindow/) in a small window of its own that shows a
 * call's video. The popup can open it, and it opens by itself when a call with video connects.
 * The media stays in the offscreen document; the window receives it over a local relay
 * (src/offscreen/video-relay.ts).
 */
import type { AppState, CallView } from '../shared/state';
import type { HubContext } from './hub';
import type { StateObserver } from './state-observers';

export const CALL_WINDOW_PATH = 'callwindow/index.html';
const CALL_WINDOW_KEY = 'callWindow';
const SIZE = { width: 520, height: 480 };

interface OpenWindow {
  windowId: number;
  tabId: number;
  callId: string | undefined;
}

export function hasLiveVideo(call: CallView): boolean {
  return call.phase !== 'ended' && call.answeredAt !== undefined && Boolean(call.localVideo || call.remoteVideo);
}

/** Calls whose video just came up: the window should show them. */
export function callsThatStartedVideo(previous: AppState, next: AppState): CallView[] {
  const before = new Set(previous.calls.filter(hasLiveVideo).map((call) => call.id));
  return next.calls.filter((call) => hasLiveVideo(call) && !before.has(call.id));
}

let opening: Promise<void> | undefined;

export async function openCallWindow(context: HubContext, callId?: string): Promise<void> {
  while (opening) await opening;
  opening = show(context, callId).finally(() => {
    opening = undefined;
  });
  return opening;
}

async function show(context: HubContext, callId: string | undefined): Promise<void> {
  const url = context.browser.runtime.getURL(CALL_WINDOW_PATH) + (callId ? `?call=${encodeURIComponent(callId)}` : '');
  const stored = (await context.browser.storage.session.get(CALL_WINDOW_KEY))[CALL_WINDOW_KEY] as OpenWindow | undefined;
  if (stored) {
    try {
      await chrome.windows.get(stored.windowId);
      if (callId && stored.callId !== callId) {
        await chrome.tabs.update(stored.tabId, { url });
        await context.browser.storage.session.set({ [CALL_WINDOW_KEY]: { ...stored, callId } });
      }
      await chrome.windows.update(stored.windowId, { focused: true, drawAttention: true });
      return;
    } catch {
      // The user closed it; open a new one.
    }
  }
  const created = await chrome.windows.create({ url, type: 'popup', ...SIZE, focused: true });
  const tabId = created?.tabs?.[0]?.id;
  if (created?.id !== undefined && tabId !== undefined) {
    const record: OpenWindow = { windowId: created.id, tabId, callId };
    await context.browser.storage.session.set({ [CALL_WINDOW_KEY]: record });
  }
}

export const callWindowObserver: StateObserver = async (previous, next, context) => {
  const started = callsThatStartedVideo(previous, next).at(-1);
  if (started) await openCallWindow(context, started.id);
};
