/**
 * Right-click → "Call “<selection>”", and "Call this number" on tel:, sip:, sips: and callto: links.
 * The items are created when the extension is installed or updated (Chrome keeps them across
 * worker restarts); the click listener is registered at the worker's top level on every start.
 */
import { parseDialable, type CountryCode } from '../content/detect/with-metadata';
import { callLinkInput } from '../content/links';
import { fail, ok, type Reply } from '../shared/messages';
import type { HubContext } from './hub';
import { readSettings } from './storage';

export const CALL_SELECTION_MENU = 'kandy-call-selection';
export const CALL_LINK_MENU = 'kandy-call-link';
/** Link patterns of the "Call this number" item: the schemes a phone link can have. */
export const CALL_LINK_PATTERNS = ['tel:*', 'sip:*', 'sips:*', 'callto:*'];
const MAX_SELECTION = 300;
const FEEDBACK_PREFIX = 'click-to-call:';

/**
 * Text the user chose (menu or shortcut) → a make intent for the phone. Parsed here with the
 * user's default country so an invalid selection is reported without waking the phone.
 */
export async function callText(context: HubContext, text: string, source: 'menu' | 'shortcut'): Promise<Reply<unknown>> {
  const settings = await readSettings(context.browser);
  const parsed = parseDialable(text, settings.defaultCountry as CountryCode);
  if (!parsed.ok) return fail(parsed.reason);
  const reply = (await context.sendToOffscreen({
    target: 'offscreen',
    type: 'bg/intent',
    intentId: `${source}-${crypto.randomUUID()}`,
    intent: { kind: 'make', destination: parsed.dial, video: false },
  })) as Reply<unknown> | undefined;
  return reply ?? ok(undefined);
}

/** A short notice when a menu click or shortcut could not start a call (there is no page UI for it). */
export async function reportFailure(context: HubContext, what: string, reply: Reply<unknown>): Promise<void> {
  if (reply.ok) return;
  try {
    await chrome.notifications.create(`${FEEDBACK_PREFIX}${crypto.randomUUID()}`, {
      type: 'basic',
      iconUrl: context.browser.runtime.getURL('icons/icon-128.png'),
      title: `Cannot call ${what.length > 40 ? `${what.slice(0, 39)}…` : what}`,
      message: reply.error,
      priority: 0,
    });
  } catch (error) {
    console.warn('Click to call failed:', reply.error, error);
  }
}

export interface MenuClick {
  menuItemId: string | number;
  selectionText?: string;
  linkUrl?: string;
}

/** What a menu click asks to call, or undefined when it is not one of our items. */
export function menuClickInput(info: MenuClick): string | undefined {
  if (info.menuItemId === CALL_SELECTION_MENU) {
    const text = info.selectionText?.trim() ?? '';
    return text && text.length <= MAX_SELECTION ? text : undefined;
  }
  if (info.menuItemId === CALL_LINK_MENU && info.linkUrl) return callLinkInput(info.linkUrl);
  return undefined;
}

function message(key: string, fallback: string): string {
  try {
    return chrome.i18n.getMessage(key) || fallback;
  } catch {
    return fallback;
  }
}

export async function createMenus(): Promise<void> {
  await chrome.contextMenus.removeAll();
  chrome.contextMenus.create({
    id: CALL_SELECTION_MENU,
    title: message('contextMenuCallSelection', 'Call “%s”'),
    contexts: ['selection'],
  });
  chrome.contextMenus.create({
    id: CALL_LINK_MENU,
    title: message('contextMenuCallLink', 'Call this number'),
    contexts: ['link'],
    targetUrlPatterns: CALL_LINK_PATTERNS,
  });
}

export async function onMenuClicked(context: HubContext, info: MenuClick): Promise<Reply<unknown> | undefined> {
  const input = menuClickInput(info);
  if (input === undefined) return undefined;
  const reply = await callText(context, input, 'menu');
  await reportFailure(context, input, reply);
  return reply;
}

export function registerContextMenu(context: HubContext): void {
  chrome.runtime.onInstalled.addListener(() => {
    void createMenus().catch((error: unknown) => console.warn('Context menu setup failed', error));
  });
  chrome.contextMenus.onClicked.addListener((info) => {
    void onMenuClicked(context, info).catch((error: unknown) => console.warn('Context menu call failed', error));
  });
}
