/**
 * The service worker: a stateless hub. Every listener is registered synchronously at the top
 * level so a worker woken by an event finds it; everything that matters lives in storage or in
 * the offscreen document, because Chrome may stop this worker at any moment.
 */
import { browser } from '../shared/extension-api';
import type { BackgroundToOffscreen } from '../shared/messages';
import type { AppState } from '../shared/state';
import { contentHandlers } from './handlers/content';
import { offscreenHandlers } from './handlers/offscreen';
import { uiHandlers } from './handlers/ui';
import { createHub, type HubContext } from './hub';
import { ensureOffscreenDocument } from './offscreen-document';
import { restrictStorageToExtension } from './storage';
import { applyState, observeState } from './state-observers';
import { callNotificationObserver, registerNotificationListeners } from './call-notifications';
import { badgeObserver } from './badge';
import { registerCallCommands } from './call-commands';
import { callHistoryObserver } from './call-history';
import { callWindowObserver } from './call-window';
import { checkPhone, liveCallsObserver, registerPhoneWatch } from './phone-watch';
import { registerContextMenu } from './context-menu';
import { registerCallSelectionCommand } from './commands';
import { handleInstalled } from './settings-install';
import { registerAccountNotices } from './settings-account';

const DELIVERY_ATTEMPTS = 40;
const DELIVERY_RETRY_MS = 100;

function isNotYetListening(error: unknown): boolean {
  return String(error).includes('Receiving end does not exist') || String(error).includes('Could not establish connection');
}

async function sendToOffscreen(message: BackgroundToOffscreen): Promise<unknown> {
  await ensureOffscreenDocument(browser);
  // A document that was just created needs a moment before its listener is registered.
  for (let attempt = 1; ; attempt++) {
    try {
      return await browser.runtime.sendMessage(message);
    } catch (error) {
      if (!isNotYetListening(error) || attempt >= DELIVERY_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, DELIVERY_RETRY_MS));
    }
  }
}

const context: HubContext = {
  browser,
  sendToOffscreen,
  async openExtensionPage(path) {
    await browser.tabs.create({ url: browser.runtime.getURL(path) });
  },
  now: () => Date.now(),
};

observeState(callNotificationObserver);
observeState(badgeObserver);
observeState(callHistoryObserver);
observeState(callWindowObserver);
observeState(liveCallsObserver);
registerNotificationListeners(context);
registerCallCommands(context);
registerPhoneWatch(context);
registerContextMenu(context);
registerCallSelectionCommand(context);
registerAccountNotices();

browser.runtime.onMessage.addListener(createHub({ ui: uiHandlers, content: contentHandlers, offscreen: offscreenHandlers }, context));

browser.runtime.onInstalled.addListener((details) => {
  void handleInstalled(details, context).catch((error: unknown) => console.warn('Install handling failed', error));
});

/** Re-sync with the phone after every worker start: the offscreen document may have lived on. */
async function boot(): Promise<void> {
  await restrictStorageToExtension();
  await checkPhone(context);
  const state = (await sendToOffscreen({ target: 'offscreen', type: 'bg/hello' })) as AppState | undefined;
  if (state) await applyState(context, state);
}

void boot().catch((error: unknown) => console.warn('Start-up sync failed', error));
