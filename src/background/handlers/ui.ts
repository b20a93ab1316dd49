import { fail, ok, type Reply, type UiToBackground } from '../../shared/messages';
import type { Settings } from '../../shared/settings';
import type { HandlerMap } from '../hub';
import { readSettings } from '../storage';
import { applyState, readSettledState } from '../state-observers';
import { saveSettings, settingsView, signInWithAccount, signOut } from '../settings-account';
import type { AppState } from '../../shared/state';
import { clearMissedCalls } from '../call-notifications';
import { showBadge } from '../badge';
import { broadcastContentConfig, CONTENT_SETTINGS } from '../content-config';
import { clearHistory, readHistory } from '../call-history';
import { openCallWindow } from '../call-window';

export const uiHandlers: HandlerMap<UiToBackground> = {
  async 'ui/intent'(message, context) {
    return (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/intent', intentId: message.intentId, intent: message.intent })) as ReturnType<typeof ok>;
  },
  async 'ui/get-state'(_message, context) {
    try {
      const state = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/hello' })) as AppState | undefined;
      if (state) {
        await applyState(context, state);
        return ok(state);
      }
    } catch {
      // Fall back to the last state we saw; the offscreen document will push when it is up.
    }
    return ok(await readSettledState(context));
  },
  async 'ui/get-settings'(_message, context) {
    // Pages never get the password back, even a kept one.
    return ok({ ...(await readSettings(context.browser)), password: '' });
  },
  async 'ui/save-settings'(message, context) {
    const reply = await saveSettings(context, message.settings as Partial<Settings>);
    if (reply.ok && CONTENT_SETTINGS.some((field) => field in message.settings)) {
      void broadcastContentConfig(context.browser).catch((error: unknown) => console.warn('Could not update pages', error));
    }
    return reply;
  },
  async 'ui/sign-in'(message, context) {
    if (message.account) return signInWithAccount(context, message.account);
    return (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-in' })) as ReturnType<typeof ok>;
  },
  async 'ui/sign-out'(_message, context) {
    return signOut(context);
  },
  async 'ui/get-settings-view'(_message, context) {
    return ok(await settingsView(context));
  },
  async 'ui/test-sound'(message, context) {
    const reply = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/test-sound', output: message.output })) as Reply<unknown> | undefined;
    return reply ?? fail('The phone is not running.');
  },
  async 'ui/mic-granted'() {
    return ok(undefined);
  },
  async 'ui/missed-seen'(_message, context) {
    await clearMissedCalls(context);
    await showBadge(context, await readSettledState(context));
    return ok(undefined);
  },
  async 'ui/get-history'(_message, context) {
    return ok(await readHistory(context.browser));
  },
  async 'ui/clear-history'(_message, context) {
    await clearHistory(context.browser, context.now());
    return ok(undefined);
  },
  async 'ui/open-call-window'(message, context) {
    await openCallWindow(context, message.callId);
    return ok(undefined);
  },
  async 'ui/video-relay-open'(message, context) {
    const reply = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/video-relay-open', callId: message.callId })) as Reply<unknown> | undefined;
    return reply ?? fail('The phone is not running.');
  },
  async 'ui/video-relay-answer'(message, context) {
    const reply = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/video-relay-answer', relayId: message.relayId, sdp: message.sdp })) as Reply<unknown> | undefined;
    return reply ?? fail('The phone is not running.');
  },
  async 'ui/video-relay-close'(message, context) {
    const reply = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/video-relay-close', relayId: message.relayId })) as Reply<unknown> | undefined;
    return reply ?? ok(undefined);
  },
  async 'ui/diagnostics'(_message, context) {
    const reply = await context.sendToOffscreen({ target: 'offscreen', type: 'bg/diagnostics' });
    return reply === undefined ? fail('The phone is not running.') : ok(reply);
  },
};
