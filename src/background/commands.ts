/**
 * The "call selection" shortcut (manifest command `call-selection`, Alt+Shift+C by default):
 * asks the active tab's own content script what is selected (no extra permission needed) and
 * calls it. Pages where the content script cannot run (chrome://, the Web Store) have nothing to call.
 */
import type { Browser } from '../shared/extension-api';
import { fail } from '../shared/messages';
import type { BackgroundToContent, SelectionReply } from '../content/protocol';
import { MAX_SELECTION_CHARS } from '../content/protocol';
import { callText, reportFailure } from './context-menu';
import type { HubContext } from './hub';

export const CALL_SELECTION_COMMAND = 'call-selection';

export function readSelectionReply(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const selection = (reply as Partial<SelectionReply>).selection;
  if (typeof selection !== 'string') return undefined;
  const text = selection.trim();
  return text && text.length <= MAX_SELECTION_CHARS ? text : undefined;
}

export async function selectedTextIn(browser: Browser, tabId: number): Promise<string | undefined> {
  const request: BackgroundToContent = { target: 'content', type: 'bg/get-selection' };
  try {
    return readSelectionReply(await browser.tabs.sendMessage(tabId, request));
  } catch {
    return undefined; // no content script in that tab, or no frame has a selection
  }
}

export async function onCallSelectionCommand(context: HubContext, command: string, tab: { id?: number } | undefined): Promise<void> {
  if (command !== CALL_SELECTION_COMMAND) return;
  const tabId = tab?.id ?? (await context.browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  const selection = tabId === undefined ? undefined : await selectedTextIn(context.browser, tabId);
  if (!selection) {
    await reportFailure(context, 'the selection', fail('Select a phone number or SIP address on the page, then press the shortcut again.'));
    return;
  }
  await reportFailure(context, selection, await callText(context, selection, 'shortcut'));
}

export function registerCallSelectionCommand(context: HubContext): void {
  chrome.commands.onCommand.addListener((command, tab) => {
    void onCallSelectionCommand(context, command, tab).catch((error: unknown) => console.warn('Call selection failed', error));
  });
}
