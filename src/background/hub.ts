/**
 * The hub every message passes through: it decides who sent a message, accepts only the
 * message types that sender may send, validates them against the shared schemas, and hands
 * them to small named handlers. Anything else is refused with a reason and changes nothing.
 */
import type { z } from 'zod';
import type { Browser, Runtime } from '../shared/extension-api';
import {
  contentToBackgroundSchema,
  fail,
  offscreenToBackgroundSchema,
  uiToBackgroundSchema,
  type BackgroundToOffscreen,
  type ContentToBackground,
  type OffscreenToBackground,
  type Reply,
  type UiToBackground,
} from '../shared/messages';
import { OFFSCREEN_PATH } from './offscreen-document';

export type SenderKind = 'extension-page' | 'offscreen' | 'content-script' | 'foreign';

export interface HubContext {
  browser: Browser;
  /** Creates the offscreen document when needed, then delivers the message to it. */
  sendToOffscreen(message: BackgroundToOffscreen): Promise<unknown>;
  openExtensionPage(path: string): Promise<void>;
  now(): number;
}

type Handler<M> = (message: M, context: HubContext, sender: Runtime.MessageSender) => Promise<Reply<unknown>>;
export type HandlerMap<M extends { type: string }> = { [K in M['type']]: Handler<Extract<M, { type: K }>> };

export interface HubHandlers {
  ui: HandlerMap<UiToBackground>;
  content: HandlerMap<ContentToBackground>;
  offscreen: HandlerMap<OffscreenToBackground>;
}

export function classifySender(sender: Runtime.MessageSender, browser: Browser): SenderKind {
  if (sender.id !== browser.runtime.id) return 'foreign';
  const extensionOrigin = browser.runtime.getURL('');
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin)) {
    return url.split(/[?#]/)[0] === browser.runtime.getURL(OFFSCREEN_PATH) ? 'offscreen' : 'extension-page';
  }
  // A content script always runs in a tab frame, with the page's URL.
  return sender.tab && url ? 'content-script' : 'foreign';
}

function dispatch<M extends { type: string }>(
  schema: z.ZodType<M>,
  handlers: HandlerMap<M>,
  message: unknown,
  context: HubContext,
  sender: Runtime.MessageSender,
): Promise<Reply<unknown>> {
  const parsed = schema.safeParse(message);
  if (!parsed.success) {
    const type = typeof (message as { type?: unknown }).type === 'string' ? (message as { type: string }).type : 'unknown';
    return Promise.resolve(fail(`Refused message "${type}": ${parsed.error.issues[0]?.message ?? 'invalid'}`));
  }
  const handler = handlers[parsed.data.type as M['type']] as Handler<M>;
  return handler(parsed.data, context, sender).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}

/**
 * Returns a runtime.onMessage listener. Messages addressed to someone else get `undefined`
 * so the other listeners (popup, offscreen document) can answer them.
 */
export function createHub(handlers: HubHandlers, context: HubContext) {
  return (message: unknown, sender: Runtime.MessageSender): Promise<Reply<unknown>> | undefined => {
    if (typeof message !== 'object' || message === null || (message as { target?: unknown }).target !== 'background') return undefined;
    switch (classifySender(sender, context.browser)) {
      case 'extension-page':
        return dispatch(uiToBackgroundSchema, handlers.ui, message, context, sender);
      case 'offscreen':
        return dispatch(offscreenToBackgroundSchema, handlers.offscreen, message, context, sender);
      case 'content-script':
        return dispatch(contentToBackgroundSchema, handlers.content, message, context, sender);
      case 'foreign':
        return Promise.resolve(fail('Refused: unknown sender.'));
    }
  };
}
