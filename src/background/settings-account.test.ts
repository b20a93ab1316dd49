import { describe, expect, it } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { recordingHubContext } from '../test/hub-context';
import type { BackgroundToOffscreen, SignInReply } from '../shared/messages';
import type { ManagedPolicy } from '../shared/settings';
import { CREDENTIALS_KEY, saveTokens, SESSION_TOKENS_KEY } from './credentials';
import { saveSettings, settingsView, signInWithAccount, signOut } from './settings-account';
import { readSettings, readStoredSettings } from './storage';

const account = { server: { host: 'kandy.example', port: 443 }, clientId: 'app', username: 'alice', password: 'right', rememberPassword: false };

function setup(phone: (message: BackgroundToOffscreen) => unknown = () => ({ ok: true, value: { user: 'alice@kandy.example' } }), policy?: ManagedPolicy) {
  const { browser, fake } = createFakeBrowser();
  if (policy) (fake.storage as Record<string, unknown>).managed = { get: async () => policy };
  const { context, sent } = recordingHubContext(browser, phone, 5_000);
  return { browser, fake, context, sent };
}

const refused: SignInReply = { ok: false, kind: 'rejected', reason: 'Invalid username or password.', error: 'Sign-in refused: Invalid username or password.' };

describe('signing in', () => {
  it('signs in through the phone first and saves the account only then, without the password', async () => {
    const { browser, fake, context, sent } = setup();
    const reply = await signInWithAccount(context, account);
    expect(reply).toEqual({ ok: true, value: { user: 'alice@kandy.example' } });
    expect(sent[0]).toEqual({ target: 'offscreen', type: 'bg/sign-in', account: { server: account.server, clientId: 'app', username: 'alice', password: 'right', rememberPassword: false } });
    const stored = await readStoredSettings(browser);
    expect(stored).toMatchObject({ server: account.server, clientId: 'app', username: 'alice', password: '', rememberPassword: false });
    expect(JSON.stringify([...fake.storage.local.data.values()])).not.toContain('right');
  });

  it('keeps the password only with consent', async () => {
    const { browser, context } = setup();
    await signInWithAccount(context, { ...account, rememberPassword: true });
    expect(await readStoredSettings(browser)).toMatchObject({ password: 'right', rememberPassword: true });
    // Turning consent off drops it at once.
    await saveSettings(context, { rememberPassword: false });
    expect((await readStoredSettings(browser)).password).toBe('');
  });

  it('saves nothing when the server refuses, and passes its reason on', async () => {
    const { fake, context } = setup(() => refused);
    await expect(signInWithAccount(context, { ...account, password: 'wrong' })).resolves.toEqual(refused);
    expect(fake.storage.local.data.size).toBe(0);
  });

  it('saves nothing when the server cannot be reached', async () => {
    const unreachable: SignInReply = { ok: false, kind: 'unreachable', reason: 'down.example:443', server: 'down.example:443', error: 'Cannot reach…' };
    const { fake, context } = setup(() => unreachable);
    await expect(saveSettings(context, { server: { host: 'down.example', port: 443 }, username: 'alice', password: 'x', videoByDefault: true })).resolves.toEqual(unreachable);
    expect(fake.storage.local.data.size).toBe(0);
  });

  it('a save that changes the account signs in first and saves the other changes with it', async () => {
    const { browser, context, sent } = setup();
    const reply = await saveSettings(context, { ...account, rememberPassword: true, videoByDefault: true });
    expect(reply.ok).toBe(true);
    expect(sent.map((message) => message.type)).toEqual(['bg/sign-in', 'bg/settings-changed']);
    expect(await readStoredSettings(browser)).toMatchObject({ videoByDefault: true, username: 'alice', password: 'right' });
    expect((reply as { value: { password: string } }).value.password).toBe('');
  });

  it('a save of other settings does not sign in', async () => {
    const { browser, context, sent } = setup();
    await saveSettings(context, { linkMode: 'off', speakerId: 'speaker-2' });
    expect(sent.map((message) => message.type)).toEqual(['bg/settings-changed']);
    expect(await readSettings(browser)).toMatchObject({ linkMode: 'off', speakerId: 'speaker-2' });
  });

  it('refuses to sign in without a password', async () => {
    const { context, sent } = setup();
    await expect(saveSettings(context, { username: 'alice' })).resolves.toMatchObject({ ok: false, kind: 'no-account' });
    expect(sent).toEqual([]);
  });
});

describe('signing out', () => {
  it('stops the phone and removes every token and a kept password', async () => {
    const { browser, fake, context, sent } = setup();
    await signInWithAccount(context, { ...account, rememberPassword: true });
    await saveTokens(browser, { account, tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 60 } }, 1);
    await expect(signOut(context)).resolves.toEqual({ ok: true, value: undefined });
    expect(sent.at(-1)?.type).toBe('bg/sign-out');
    expect(fake.storage.local.data.has(CREDENTIALS_KEY)).toBe(false);
    expect(fake.storage.session.data.has(SESSION_TOKENS_KEY)).toBe(false);
    expect((await readStoredSettings(browser)).password).toBe('');
  });
});

describe('policy', () => {
  it('overrides the server and client id and shows them locked; a typed server cannot win', async () => {
    const { browser, context, sent } = setup(undefined, { serverHost: 'pbx.corp.example', clientId: 'corp', lockedSettings: ['rememberPassword'] });
    const view = await settingsView(context);
    expect(view.settings.server).toEqual({ host: 'pbx.corp.example', port: 443 });
    expect(view.locked.sort()).toEqual(['clientId', 'rememberPassword', 'server']);
    expect(view.managed).toBe(true);
    await signInWithAccount(context, { ...account, rememberPassword: true });
    expect(sent[0]).toMatchObject({ account: { server: { host: 'pbx.corp.example', port: 443 }, clientId: 'corp', rememberPassword: false } });
    expect(await readStoredSettings(browser)).toMatchObject({ password: '', rememberPassword: false });
    expect(await readSettings(browser)).toMatchObject({ server: { host: 'pbx.corp.example', port: 443 }, clientId: 'corp' });
  });

  it('a change to what policy locks is dropped, not signed in with', async () => {
    const { browser, context, sent } = setup(undefined, { serverHost: 'pbx.corp.example', lockedSettings: ['linkMode'] });
    const reply = await saveSettings(context, { server: { host: 'elsewhere.example', port: 1 }, linkMode: 'take-over', ringtoneEnabled: false });
    expect(reply.ok).toBe(true);
    expect(sent.map((message) => message.type)).toEqual(['bg/settings-changed']);
    expect(await readSettings(browser)).toMatchObject({ server: { host: 'pbx.corp.example', port: 443 }, linkMode: 'offer', ringtoneEnabled: false });
  });

  it('a fresh install is signed out (no account) and takes its country from the browser language', async () => {
    const { context } = setup();
    const view = await settingsView(context);
    expect(view.settings).toMatchObject({ username: '', password: '' });
    expect(view.settings.defaultCountry).toMatch(/^[A-Z]{2}$/);
    expect(view.passwordRemembered).toBe(false);
    expect(view.account).toBeUndefined();
  });
});
