import { ok, type OffscreenToBackground } from '../../shared/messages';
import type { HandlerMap } from '../hub';
import { readSettings } from '../storage';
import { readSavedSession, saveTokens } from '../credentials';
import { sessionEnded } from '../settings-account';
import { applyState } from '../state-observers';

const PERMISSION_PAGE = 'permission/index.html';
const PERMISSION_PAGE_KEY = 'permissionPageOpenedAt';
const PERMISSION_PAGE_INTERVAL_MS = 10_000;

export const offscreenHandlers: HandlerMap<OffscreenToBackground> = {
  async 'offscreen/state'(message, context) {
    await applyState(context, message.state);
    return ok(undefined);
  },
  async 'offscreen/get-config'(_message, context) {
    return ok(await readSettings(context.browser));
  },
  async 'offscreen/get-credentials'(_message, context) {
    return ok(await readSavedSession(context.browser));
  },
  async 'offscreen/tokens'(message, context) {
    await saveTokens(context.browser, { account: message.account, tokens: message.tokens, ...(message.user ? { user: message.user } : {}) }, context.now());
    return ok(undefined);
  },
  async 'offscreen/session-ended'(_message, context) {
    await sessionEnded(context);
    return ok(undefined);
  },
  async 'offscreen/need-mic-permission'(_message, context) {
    const stored = await context.browser.storage.session.get(PERMISSION_PAGE_KEY);
    if (context.now() - Number(stored[PERMISSION_PAGE_KEY] ?? 0) > PERMISSION_PAGE_INTERVAL_MS) {
      await context.browser.storage.session.set({ [PERMISSION_PAGE_KEY]: context.now() });
      await context.openExtensionPage(PERMISSION_PAGE);
    }
    return ok(undefined);
  },
};
