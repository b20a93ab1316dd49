/**
 * Tells open pages' content scripts when click-to-call settings change, so turning detection off
 * (globally or for a site) takes the marks off at once, and turning it on brings them back.
 *
 * Without the "tabs" permission `tabs.query` gives no URLs for ordinary web pages, so the
 * per-site verdict usually cannot be made here. Then the push carries `siteChecked: false`: a
 * content script that is told `enabled: false` stops at once; one told `enabled: true` asks
 * again with content/get-config, which the background answers for the sender's own page.
 */
import type { Browser } from '../shared/extension-api';
import type { ContentConfig } from '../shared/messages';
import type { Settings } from '../shared/settings';
import type { BackgroundToContent } from '../content/protocol';
import { isSiteEnabled } from './handlers/content';
import { readSettings } from './storage';

/** The settings that change what content scripts do. */
export const CONTENT_SETTINGS: readonly (keyof Settings)[] = ['detectionEnabled', 'disabledSites', 'linkMode', 'defaultCountry'];

export function contentConfigFor(settings: Settings, url: string | undefined): { config: ContentConfig; siteChecked: boolean } {
  const siteChecked = typeof url === 'string' && url.length > 0;
  return {
    config: {
      enabled: siteChecked ? isSiteEnabled(settings, url) : settings.detectionEnabled,
      defaultCountry: settings.defaultCountry,
      linkMode: settings.linkMode,
    },
    siteChecked,
  };
}

/** Sends every tab's content scripts (all frames) the config for that tab. Tabs without our script are skipped. */
export async function broadcastContentConfig(browser: Browser): Promise<number> {
  const settings = await readSettings(browser);
  const tabs = await browser.tabs.query({});
  let delivered = 0;
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined || tab.id < 0) return;
      const { config, siteChecked } = contentConfigFor(settings, tab.url);
      const message: BackgroundToContent = { target: 'content', type: 'bg/content-config', config, siteChecked };
      try {
        await browser.tabs.sendMessage(tab.id, message);
        delivered++;
      } catch {
        // no content script there (chrome:// pages, the store, tabs still loading, discarded tabs)
      }
    }),
  );
  return delivered;
}
