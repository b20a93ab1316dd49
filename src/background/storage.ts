import type { Browser } from '../shared/extension-api';
import { INITIAL_STATE, type AppState } from '../shared/state';
import { mergeSettings, type ManagedPolicy, type SettingName, type Settings } from '../shared/settings';
import { defaultCountryFromLocale } from '../content/detect/with-metadata';
import { applyPolicy, readManagedPolicy, withoutLocked } from './settings-policy';

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

/**
 * The user's own settings, without policy. Never-set account fields are empty: a fresh install is
 * signed out (the demo account is one click on the onboarding page), and the default country comes
 * from the browser's language.
 */
export async function readStoredSettings(browser: Browser): Promise<Settings> {
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as Partial<Settings> | undefined;
  return storedWithDefaults(stored);
}

function storedWithDefaults(stored: Partial<Settings> | undefined): Settings {
  const settings = mergeSettings(stored);
  return {
    ...settings,
    username: stored?.username ?? '',
    password: stored?.rememberPassword && typeof stored.password === 'string' ? stored.password : '',
    defaultCountry: stored?.defaultCountry ?? localeCountry(),
  };
}

/** What a setting is when the user never chose it (the value a policy lock falls back to). */
export function defaultSettings(): Settings {
  return storedWithDefaults(undefined);
}

function localeCountry(): string {
  const language = (globalThis as { navigator?: { language?: string } }).navigator?.language ?? 'en-US';
  return defaultCountryFromLocale(language);
}

/** The settings in force: the user's, overridden by the administrator's policy (chrome.storage.managed). */
export async function readSettings(browser: Browser): Promise<Settings> {
  return (await readSettingsWithPolicy(browser)).settings;
}

export async function readSettingsWithPolicy(browser: Browser): Promise<{ settings: Settings; locked: SettingName[]; policy: ManagedPolicy }> {
  const [stored, policy] = await Promise.all([readStoredSettings(browser), readManagedPolicy(browser)]);
  return { ...applyPolicy(stored, policy, defaultSettings()), policy };
}

/**
 * Stores a change. Options locked by policy are left as they are, and the password is stored only
 * with the user's consent (`rememberPassword`); otherwise it is stored empty.
 */
export async function writeSettings(browser: Browser, patch: Partial<Settings>): Promise<Settings> {
  const policy = await readManagedPolicy(browser);
  const stored = await readStoredSettings(browser);
  const { locked } = applyPolicy(stored, policy, defaultSettings());
  const next: Settings = { ...stored, ...withoutLocked(patch, locked) };
  if (!next.rememberPassword || locked.includes('rememberPassword')) next.password = '';
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return applyPolicy(next, policy, defaultSettings()).settings;
}

/** Content scripts run in pages we do not trust: keep every storage area away from them. */
export async function restrictStorageToExtension(): Promise<void> {
  const trusted = { accessLevel: chrome.storage.AccessLevel.TRUSTED_CONTEXTS };
  await Promise.all([chrome.storage.local.setAccessLevel(trusted), chrome.storage.session.setAccessLevel(trusted)]);
}
