import { describe, expect, it } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { CREDENTIALS_KEY, forgetCredentials, readSavedSession, readSignedInAccount, saveTokens, SESSION_TOKENS_KEY } from './credentials';

const account = { server: { host: '127.0.0.1', port: 8443 }, clientId: 'demo', username: 'alice' };
const tokens = { accessToken: 'access-1', idToken: 'id-1', refreshToken: 'refresh-1', expiresIn: 60 };

describe('credentials', () => {
  it('keeps the refresh token in storage.local and the access/id tokens in storage.session only', async () => {
    const { browser, fake } = createFakeBrowser();
    await saveTokens(browser, { account, user: 'alice@kandy.example', tokens }, 1_000);
    const local = fake.storage.local.data.get(CREDENTIALS_KEY) as Record<string, unknown>;
    expect(local).toEqual({ account, user: 'alice@kandy.example', refreshToken: 'refresh-1', savedAt: 1_000 });
    expect(JSON.stringify(local)).not.toContain('access-1');
    expect(fake.storage.session.data.get(SESSION_TOKENS_KEY)).toEqual({ accessToken: 'access-1', idToken: 'id-1', expiresAt: 61_000 });
    await expect(readSavedSession(browser)).resolves.toEqual({ account, user: 'alice@kandy.example', refreshToken: 'refresh-1', accessToken: 'access-1', idToken: 'id-1', expiresAt: 61_000 });
    await expect(readSignedInAccount(browser)).resolves.toEqual({ user: 'alice@kandy.example', username: 'alice', server: account.server, savedAt: 1_000 });
  });

  it('keeps the refresh token when a refresh answer brings none, but not across accounts', async () => {
    const { browser } = createFakeBrowser();
    await saveTokens(browser, { account, tokens }, 1_000);
    await saveTokens(browser, { account, tokens: { accessToken: 'access-2', idToken: 'id-2', expiresIn: 60 } }, 2_000);
    expect((await readSavedSession(browser))?.refreshToken).toBe('refresh-1');
    await saveTokens(browser, { account: { ...account, username: 'bob' }, tokens: { accessToken: 'a', idToken: 'i', expiresIn: 60 } }, 3_000);
    expect((await readSavedSession(browser))?.refreshToken).toBeUndefined();
  });

  it('forgets everything on sign-out, even tokens reported just before', async () => {
    const { browser, fake } = createFakeBrowser();
    const late = saveTokens(browser, { account, tokens }, 1_000);
    await forgetCredentials(browser);
    await late;
    expect(fake.storage.local.data.has(CREDENTIALS_KEY)).toBe(false);
    expect(fake.storage.session.data.has(SESSION_TOKENS_KEY)).toBe(false);
    await expect(readSavedSession(browser)).resolves.toBeUndefined();
  });
});
