import type { Browser } from '../shared/extension-api';
import { INITIAL_STATE, type AppState } from '../shared/state';
import { mergeSettings, type Settings } from '../shared/settings';

/** storage.session: the latest call state, so a popup renders at once even while the worker restarts. */
const STATE_KEY = 'appState';
/** storage.local: settings and credentials, readable only by the extension's own pages and worker. */
const SETTINGS_KEY = 'settings';

export async function readState(browser: Browser): Promise<AppState> {
  const stored = await browser.storage.session.get(STATE_KEY);
  return (stored[STATE_KEY] as AppState | undefined) ?? INITIAL_STATE;
}

export async function writeState(browser: Browser, state: AppState): Promise<void> {
  await browser.storage.session.set({ [STATE_KEY]: state });
}

export async function readSettings(browser: Browser): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return mergeSettings(stored[SETTINGS_KEY] as Partial<Settings> | undefined);
}

export async function writeSettings(browser: Browser, patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await readSettings(browser)), ...patch };
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}

/** Content scripts run in pages we do not trust: keep every storage area away from them. */
export async function restrictStorageToExtension(): Promise<void> {
  const trusted = { accessLevel: chrome.storage.AccessLevel.TRUSTED_CONTEXTS };
  await Promise.all([chrome.storage.local.setAccessLevel(trusted), chrome.storage.session.setAccessLevel(trusted)]);
}
