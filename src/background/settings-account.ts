/**
 * Signing in, saving and signing out, as the options page (and the onboarding page) ask for it.
 * A new account is tried first — the phone does the OAuth password grant — and saved only when the
 * server accepted it: a failed sign-in changes nothing that is stored.
 */
import type { Reply, SignInAccount, SignInReply } from '../shared/messages';
import type { AccountInput, Settings, SettingsView } from '../shared/settings';
import type { HubContext } from './hub';
import { forgetCredentials, readSignedInAccount } from './credentials';
import { isManaged, withoutLocked } from './settings-policy';
import { readSettingsWithPolicy, writeSettings } from './storage';

/** The settings that make up the account: changing any of them means signing in again. */
export const ACCOUNT_FIELDS = ['server', 'clientId', 'username', 'password'] as const satisfies readonly (keyof Settings)[];

function failure(kind: Extract<SignInReply, { ok: false }>['kind'], reason: string, error = reason): SignInReply {
  return { ok: false, kind, reason, error };
}

function isSignInReply(value: unknown): value is SignInReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** Tells the phone its preferences changed (devices, ringtone, country). Best effort: a phone that starts later reads them anyway. */
export async function notifyPhoneOfSettings(context: HubContext): Promise<void> {
  try {
    await context.sendToOffscreen({ target: 'offscreen', type: 'bg/settings-changed' });
  } catch (error) {
    console.warn('Could not tell the phone about new settings', error);
  }
}

/**
 * Signs in to `input` and, only if the server accepts it, stores the account (and the password, if
 * the user agreed and policy allows). Server and client id locked by policy win over what was typed.
 */
export async function signInWithAccount(context: HubContext, input: AccountInput, extra: Partial<Settings> = {}): Promise<SignInReply> {
  const { settings, locked } = await readSettingsWithPolicy(context.browser);
  const account: SignInAccount = {
    server: locked.includes('server') ? settings.server : { host: input.server.host.trim(), port: input.server.port },
    clientId: locked.includes('clientId') ? settings.clientId : input.clientId.trim(),
    username: locked.includes('username') && settings.username ? settings.username : input.username.trim(),
    password: input.password,
    rememberPassword: input.rememberPassword && !locked.includes('rememberPassword'),
  };
  if (!account.username || !account.password) return failure('no-account', 'Enter your user name and password.');
  if (!account.clientId) return failure('no-account', 'Enter the client id of your Kandy application.');
  let reply: unknown;
  try {
    reply = await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-in', account });
  } catch (error) {
    return failure('protocol', `The extension's phone did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isSignInReply(reply)) return failure('protocol', "The extension's phone did not answer.");
  if (!reply.ok) return reply;
  const remember = account.rememberPassword === true;
  await writeSettings(context.browser, {
    ...extra,
    server: account.server,
    clientId: account.clientId,
    username: account.username,
    rememberPassword: remember,
    password: remember ? account.password : '',
  });
  return reply;
}

/**
 * ui/save-settings: a change to the account signs in first and is saved only on success; any other
 * change is saved at once. Returns the settings in force (without the password).
 */
export async function saveSettings(context: HubContext, requested: Partial<Settings>): Promise<Reply<Settings> | SignInReply> {
  // What policy locks is not the user's to change: such a change is dropped, not signed in with.
  const { settings, locked } = await readSettingsWithPolicy(context.browser);
  const patch = withoutLocked(requested, locked);
  const touchesAccount = ACCOUNT_FIELDS.some((field) => field in patch);
  if (touchesAccount) {
    const rest: Partial<Settings> = { ...patch };
    for (const field of ACCOUNT_FIELDS) delete rest[field];
    delete rest.rememberPassword;
    const reply = await signInWithAccount(
      context,
      {
        server: patch.server ?? settings.server,
        clientId: patch.clientId ?? settings.clientId,
        username: patch.username ?? settings.username,
        // An empty password field means "keep the one I agreed to store", if there is one.
        password: patch.password || settings.password,
        rememberPassword: patch.rememberPassword ?? settings.rememberPassword,
      },
      rest,
    );
    if (!reply.ok) return reply;
  } else {
    await writeSettings(context.browser, patch);
  }
  await notifyPhoneOfSettings(context);
  const inForce = (await readSettingsWithPolicy(context.browser)).settings;
  return { ok: true, value: { ...inForce, password: '' } };
}

/** Signs out for good: the phone stops, every token goes, and so does a kept password. */
export async function signOut(context: HubContext): Promise<Reply<undefined>> {
  let phoneReply: unknown;
  try {
    phoneReply = await context.sendToOffscreen({ target: 'offscreen', type: 'bg/sign-out' });
  } catch (error) {
    console.warn('The phone did not answer the sign-out', error);
  }
  await forgetCredentials(context.browser);
  await writeSettings(context.browser, { password: '' });
  return isSignInReply(phoneReply) && !phoneReply.ok ? { ok: false, error: phoneReply.error } : { ok: true, value: undefined };
}

export const SESSION_ENDED_NOTIFICATION = 'account-session-ended';

/**
 * The phone says the kept session was refused (e.g. the refresh token expired): forget it and tell
 * the user, who signs in again (a click on the notice opens the options).
 */
export async function sessionEnded(context: HubContext): Promise<void> {
  await forgetCredentials(context.browser);
  await writeSettings(context.browser, { password: '' });
  const notifications = (globalThis as { chrome?: { notifications?: typeof chrome.notifications; i18n?: typeof chrome.i18n } }).chrome;
  if (!notifications?.notifications) return;
  const text = (key: string, fallback: string) => notifications.i18n?.getMessage(key) || fallback;
  try {
    await notifications.notifications.create(SESSION_ENDED_NOTIFICATION, {
      type: 'basic',
      iconUrl: context.browser.runtime.getURL('icons/icon-128.png'),
      title: text('sessionEndedTitle', 'Signed out of Kandy'),
      message: text('sessionEndedMessage', 'Your sign-in expired and could not be renewed. Click here to sign in again.'),
      priority: 1,
    });
  } catch (error) {
    console.warn('Could not show the sign-out notice', error);
  }
}

/** A click on the sign-out notice opens the options page. Registered at the worker's top level. */
export function registerAccountNotices(): void {
  chrome.notifications?.onClicked.addListener((id) => {
    if (id !== SESSION_ENDED_NOTIFICATION) return;
    void chrome.notifications.clear(id);
    void chrome.runtime.openOptionsPage();
  });
}

export async function settingsView(context: HubContext): Promise<SettingsView> {
  const { settings, locked, policy } = await readSettingsWithPolicy(context.browser);
  const account = await readSignedInAccount(context.browser);
  return {
    settings: { ...settings, password: '' },
    locked,
    managed: isManaged(policy),
    passwordRemembered: settings.password !== '',
    ...(account ? { account } : {}),
  };
}
