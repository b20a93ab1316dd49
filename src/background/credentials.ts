/**
 * What keeps a user signed in, and nothing more:
 *  - storage.local `credentials`: the refresh token and the account it belongs to (survives restarts);
 *  - storage.session `sessionTokens`: the access and id tokens (memory only, gone with the browser).
 * The password is not kept here; it is stored (in the settings) only with the user's consent.
 * Both areas are restricted to the extension's own pages and worker (restrictStorageToExtension),
 * so content scripts cannot read any of it.
 */
import type { Browser } from '../shared/extension-api';
import type { SavedSession } from '../shared/messages';

export const CREDENTIALS_KEY = 'credentials';
export const SESSION_TOKENS_KEY = 'sessionTokens';

interface StoredCredentials {
  account: SavedSession['account'];
  user?: string;
  refreshToken?: string;
  savedAt: number;
}

interface StoredSessionTokens {
  accessToken: string;
  idToken: string;
  expiresAt: number;
}

export interface TokenReport {
  account: SavedSession['account'];
  user?: string;
  tokens: { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number };
}

function sameAccount(a: SavedSession['account'], b: SavedSession['account']): boolean {
  return a.server.host === b.server.host && a.server.port === b.server.port && a.clientId === b.clientId && a.username === b.username;
}

/**
 * Writes and removals run one after the other in arrival order, so tokens reported just before a
 * sign-out can never be written back after the sign-out removed them.
 */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

export function saveTokens(browser: Browser, report: TokenReport, now: number): Promise<void> {
  return serial(() => writeTokens(browser, report, now));
}

async function writeTokens(browser: Browser, report: TokenReport, now: number): Promise<void> {
  const previous = (await browser.storage.local.get(CREDENTIALS_KEY))[CREDENTIALS_KEY] as StoredCredentials | undefined;
  // A refresh answer without a new refresh token keeps the one we have (servers need not rotate it).
  const refreshToken = report.tokens.refreshToken ?? (previous && sameAccount(previous.account, report.account) ? previous.refreshToken : undefined);
  const credentials: StoredCredentials = {
    account: { server: { ...report.account.server }, clientId: report.account.clientId, username: report.account.username },
    ...(report.user ? { user: report.user } : previous?.user ? { user: previous.user } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    savedAt: now,
  };
  const session: StoredSessionTokens = {
    accessToken: report.tokens.accessToken,
    idToken: report.tokens.idToken,
    expiresAt: now + report.tokens.expiresIn * 1000,
  };
  await Promise.all([browser.storage.local.set({ [CREDENTIALS_KEY]: credentials }), browser.storage.session.set({ [SESSION_TOKENS_KEY]: session })]);
}

/** The kept session for the phone to resume with, if any. */
export async function readSavedSession(browser: Browser): Promise<SavedSession | undefined> {
  const [local, session] = await Promise.all([browser.storage.local.get(CREDENTIALS_KEY), browser.storage.session.get(SESSION_TOKENS_KEY)]);
  const credentials = local[CREDENTIALS_KEY] as StoredCredentials | undefined;
  if (!credentials) return undefined;
  const tokens = session[SESSION_TOKENS_KEY] as StoredSessionTokens | undefined;
  return {
    account: credentials.account,
    ...(credentials.user ? { user: credentials.user } : {}),
    ...(credentials.refreshToken ? { refreshToken: credentials.refreshToken } : {}),
    ...(tokens ? { accessToken: tokens.accessToken, idToken: tokens.idToken, expiresAt: tokens.expiresAt } : {}),
  };
}

/** Who the kept refresh token signs in, for the options page (no token leaves the background). */
export async function readSignedInAccount(browser: Browser): Promise<{ user?: string; username: string; server: { host: string; port: number }; savedAt: number } | undefined> {
  const credentials = (await browser.storage.local.get(CREDENTIALS_KEY))[CREDENTIALS_KEY] as StoredCredentials | undefined;
  if (!credentials) return undefined;
  return { ...(credentials.user ? { user: credentials.user } : {}), username: credentials.account.username, server: credentials.account.server, savedAt: credentials.savedAt };
}

/** Signs out for good: every token goes. */
export function forgetCredentials(browser: Browser): Promise<void> {
  return serial(async () => {
    await Promise.all([browser.storage.local.remove(CREDENTIALS_KEY), browser.storage.session.remove(SESSION_TOKENS_KEY)]);
  });
}
