/**
 * The one seam over the browser's extension API. Production code imports `browser` from here;
 * unit tests replace this module with an in-memory fake (see src/test/fake-browser.ts).
 */
import browser from 'webextension-polyfill';

export type { Runtime, Tabs } from 'webextension-polyfill';
export { browser };
export type Browser = typeof browser;
