import { fail, ok, type ContentConfig, type ContentToBackground, type Reply } from '../../shared/messages';
import type { Settings } from '../../shared/settings';
import type { HandlerMap } from '../hub';
import { readSettings } from '../storage';

/** One page-initiated call per tab in this window; a hostile page cannot queue up calls. */
const CALL_INTERVAL_MS = 2000;
const LAST_CALL_KEY = 'lastPageCallAt';

export function siteOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').hostname;
  } catch {
    return '';
  }
}

export function isSiteEnabled(settings: Settings, url: string | undefined): boolean {
  const site = siteOf(url);
  return settings.detectionEnabled && !settings.disabledSites.some((disabled) => site === disabled || site.endsWith(`.${disabled}`));
}

export const contentHandlers: HandlerMap<ContentToBackground> = {
  async 'content/get-config'(_message, context, sender) {
    const settings = await readSettings(context.browser);
    const config: ContentConfig = {
      enabled: isSiteEnabled(settings, sender.tab?.url ?? sender.url),
      defaultCountry: settings.defaultCountry,
      linkMode: settings.linkMode,
    };
    return ok(config);
  },
  async 'content/call'(message, context, sender): Promise<Reply<unknown>> {
    const settings = await readSettings(context.browser);
    if (!isSiteEnabled(settings, sender.tab?.url ?? sender.url)) return fail('Click to call is turned off for this site.');
    const tabKey = `${LAST_CALL_KEY}:${sender.tab?.id ?? 'none'}`;
    const stored = await context.browser.storage.session.get(tabKey);
    const last = Number(stored[tabKey] ?? 0);
    if (context.now() - last < CALL_INTERVAL_MS) return fail('Please wait a moment before calling again.');
    await context.browser.storage.session.set({ [tabKey]: context.now() });
    const reply = (await context.sendToOffscreen({
      target: 'offscreen',
      type: 'bg/intent',
      intentId: `page-${crypto.randomUUID()}`,
      intent: { kind: 'make', destination: message.destination, video: settings.videoByDefault },
    })) as Reply<unknown> | undefined;
    // A page learns only whether its request was accepted, never anything about the call.
    return reply?.ok ? ok(undefined) : fail(reply?.error ?? 'The call could not be started.');
  },
};
