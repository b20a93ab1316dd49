import { describe, expect, it, vi } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { mergeSettings } from '../shared/settings';
import { broadcastContentConfig, contentConfigFor } from './content-config';

describe('content config push', () => {
  it('decides per site when the tab URL is known, else only the global switch', () => {
    const settings = mergeSettings({ disabledSites: ['example.com'], linkMode: 'take-over', defaultCountry: 'DE' });
    expect(contentConfigFor(settings, 'https://shop.example.com/x')).toEqual({ config: { enabled: false, defaultCountry: 'DE', linkMode: 'take-over' }, siteChecked: true });
    expect(contentConfigFor(settings, 'https://other.example/')).toMatchObject({ config: { enabled: true }, siteChecked: true });
    expect(contentConfigFor(settings, undefined)).toMatchObject({ config: { enabled: true }, siteChecked: false });
    expect(contentConfigFor(mergeSettings({ detectionEnabled: false }), undefined)).toMatchObject({ config: { enabled: false }, siteChecked: false });
  });

  it('sends each tab its config and skips tabs without a content script', async () => {
    const { browser, fake } = createFakeBrowser();
    await browser.storage.local.set({ settings: { disabledSites: ['127.0.0.1'] } });
    const sent: { tabId: number; message: unknown }[] = [];
    Object.assign(fake.tabs, {
      query: vi.fn(async () => [{ id: 1, url: 'http://127.0.0.1:8080/' }, { id: 2 }, { id: 3, url: 'chrome://settings' }, {}]),
      sendMessage: vi.fn(async (tabId: number, message: unknown) => {
        if (tabId === 3) throw new Error('Could not establish connection. Receiving end does not exist.');
        sent.push({ tabId, message });
      }),
    });
    expect(await broadcastContentConfig(browser)).toBe(2);
    expect(sent).toEqual([
      { tabId: 1, message: { target: 'content', type: 'bg/content-config', config: { enabled: false, defaultCountry: 'US', linkMode: 'offer' }, siteChecked: true } },
      { tabId: 2, message: { target: 'content', type: 'bg/content-config', config: { enabled: true, defaultCountry: 'US', linkMode: 'offer' }, siteChecked: false } },
    ]);
  });
});
