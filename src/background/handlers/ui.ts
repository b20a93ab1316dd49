import { fail, ok, type UiToBackground } from '../../shared/messages';
import type { Settings } from '../../shared/settings';
import type { HandlerMap } from '../hub';
import { readSettings, readState, writeSettings, writeState } from '../storage';
import type { AppState } from '../../shared/state';
import { clearMissedCalls } from '../call-notifications';
import { showBadge } from '../badge';

const SIGN_IN_FIELDS: (keyof Settings)[] = ['server', 'clientId', 'username', 'password'];

export const uiHandlers: HandlerMap<UiToBackground> = {
  async 'ui/intent'(message, context) {
    return (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/intent', intentId: message.intentId, intent: message.intent })) as ReturnType<typeof ok>;
  },
  async 'ui/get-state'(_message, context) {
    try {
      const state = (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/hello' })) as AppState | undefined;
      if (state) {
        await writeState(context.browser, state);
        return ok(state);
      }
    } catch {
      // Fall back to the last state we saw; the offscreen document will push when it is up.
    }
    return ok(await readState(context.browser));
  },
  async 'ui/get-settings'(_message, context) {
    return ok(await readSettings(context.browser));
  },
  async 'ui/save-settings'(message, context) {
    const settings = await writeSettings(context.browser, message.settings as Partial<Settings>);
    if (SIGN_IN_FIELDS.some((field) => field in message.settings)) {
      await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-in' });
    }
    return ok(settings);
  },
  async 'ui/sign-in'(_message, context) {
    return (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-in' })) as ReturnType<typeof ok>;
  },
  async 'ui/sign-out'(_message, context) {
    return (await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-out' })) as ReturnType<typeof ok>;
  },
  async 'ui/mic-granted'() {
    return ok(undefined);
  },
  async 'ui/missed-seen'(_message, context) {
    await clearMissedCalls(context);
    await showBadge(context, await readState(context.browser));
    return ok(undefined);
  },
  async 'ui/diagnostics'(_message, context) {
    const reply = await context.sendToOffscreen({ target: 'offscreen', type: 'bg/diagnostics' });
    return reply === undefined ? fail('The phone is not running.') : ok(reply);
  },
};
