/**
 * Settings and account, end to end: the options page against the local gateway and the real SDK in
 * the offscreen document. Signing in (right and wrong password, unknown client, server down), what
 * is kept where (and that a content script reaches none of it), token refresh during a call, sign
 * out, device selection and the level meter, the onboarding page, and an enterprise policy.
 *
 * The policy test writes a Chromium policy file under /etc/chromium/policies/managed (Chromium reads
 * extension policy only from there on Linux). It is scoped to a one-off extension id (a fresh
 * manifest `key` on a copy of dist/) so no other Chromium run is affected, and removed afterwards.
 *
 * Run: npm run build && node --import tsx --test e2e/settings.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchProfile } from './support/browser.ts';
import { demoUser } from './support/demo-users.ts';
import { DIST, launchExtensionUser, waitFor, type AppStateLike, type CallLike, type ExtensionUser } from './support/extension.ts';

const LONG = { timeout: 240_000 };
const ECHO_NUMBER = '+1 415 555 0123';

let gateway: Gateway;
let alice: ExtensionUser;
const alicePassword = demoUser('alice').password;

const online = (state: AppStateLike) => state.connection.status === 'online';
const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

interface Stored {
  local: Record<string, unknown>;
  session: Record<string, unknown>;
}

/** Everything the extension keeps, read from an extension page (a trusted context). */
async function stored(user: ExtensionUser): Promise<Stored> {
  return user.controlPage.evaluate(async () => ({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }));
}

async function openOptions(user: ExtensionUser): Promise<Page> {
  const page = await user.context.newPage();
  await page.goto(user.url('options/index.html'));
  await page.getByLabel('Kandy server').waitFor({ timeout: 20_000 });
  return page;
}

async function fillAccount(page: Page, account: { host?: string; port: number; clientId?: string; username: string; password: string }): Promise<void> {
  await page.getByLabel('Kandy server').fill(account.host ?? '127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(account.port));
  await page.getByLabel('Client ID').fill(account.clientId ?? 'kandy-click-to-call-demo');
  await page.getByLabel('User name or e-mail').fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
}

/** Presses Sign in and returns the result line once it shows. */
async function signInResult(page: Page): Promise<{ text: string; ok: boolean }> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const result = page.getByTestId('sign-in-result');
  await result.waitFor({ timeout: 30_000 });
  return { text: await result.innerText(), ok: (await result.getAttribute('data-ok')) === 'true' };
}

async function intent(user: ExtensionUser, body: Record<string, unknown>): Promise<{ ok: boolean; error?: string; value?: { callId?: string } }> {
  return user.send({ type: 'ui/intent', intentId: `settings-${Date.now()}-${Math.random().toString(36).slice(2)}`, intent: body });
}

interface DeviceDiagnostics {
  chosen: { microphoneId: string; speakerId: string; ringerId: string };
  remoteSinkIds: string[];
  ringer: { deviceId: string; ok: boolean; error?: string };
  microphoneInUse?: string;
}

async function rawDiagnostics(user: ExtensionUser): Promise<{ devices: DeviceDiagnostics; media: { bytesReceived: number; bytesSent: number }[] }> {
  const reply = await user.send<{ ok: boolean; value: { devices: DeviceDiagnostics; media: { bytesReceived: number; bytesSent: number }[] }; error?: string }>({ type: 'ui/diagnostics' });
  assert.ok(reply.ok, `diagnostics: ${reply.error}`);
  return reply.value;
}

async function receivedBytes(user: ExtensionUser): Promise<number> {
  return (await rawDiagnostics(user)).media[0]?.bytesReceived ?? 0;
}

/** A port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startPageServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Contact</title><p>Call us: +1 415 555 0101</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

before(async () => {
  gateway = await startGateway({ port: 0, log: 'silent' });
  // A fresh install: nobody signed in; everything below goes through the options page.
  alice = await launchExtensionUser(undefined);
});

after(async () => {
  await alice?.close();
  await gateway?.close();
});

describe('account', () => {
  test('a fresh install is signed out and keeps no credentials', LONG, async () => {
    const state = await alice.waitForState((candidate) => candidate.connection.status === 'signed-out', 'signed out at first', 30_000);
    assert.equal(state.connection.status, 'signed-out');
    const { local, session } = await stored(alice);
    assert.equal(local.credentials, undefined);
    assert.equal(session.sessionTokens, undefined);
    const page = await openOptions(alice);
    assert.match(await page.getByTestId('connection-status').innerText(), /Not signed in/);
    await page.close();
  });

  test('a wrong password shows the gateway’s reason and saves nothing', LONG, async () => {
    const page = await openOptions(alice);
    await fillAccount(page, { port: gateway.port, username: 'alice', password: 'not-the-password' });
    const result = await signInResult(page);
    assert.equal(result.ok, false);
    assert.match(result.text, /The server refused the sign-in: Invalid username or password\./);
    assert.match(result.text, /Nothing was saved/);
    const { local, session } = await stored(alice);
    assert.equal(local.settings, undefined, 'no settings were written');
    assert.equal(local.credentials, undefined);
    assert.equal(session.sessionTokens, undefined);
    await page.close();
  });

  test('an unknown client id shows the gateway’s reason', LONG, async () => {
    const page = await openOptions(alice);
    await fillAccount(page, { port: gateway.port, clientId: 'not-registered', username: 'alice', password: alicePassword });
    const result = await signInResult(page);
    assert.equal(result.ok, false);
    assert.match(result.text, /Unknown client_id "not-registered"/);
    assert.equal((await stored(alice)).local.settings, undefined);
    await page.close();
  });

  test('a server that is down is reported as unreachable (or its certificate untrusted)', LONG, async () => {
    const port = await closedPort();
    const page = await openOptions(alice);
    await fillAccount(page, { port, username: 'alice', password: alicePassword });
    const result = await signInResult(page);
    assert.equal(result.ok, false);
    assert.match(result.text, new RegExp(`Cannot reach the Kandy server at 127\\.0\\.0\\.1:${port}: it is unreachable or its certificate is not trusted`));
    assert.equal((await stored(alice)).local.settings, undefined);
    await page.close();
  });

  test('the right password signs in; only the refresh token is kept, the access token lives in session storage', LONG, async () => {
    const page = await openOptions(alice);
    await fillAccount(page, { port: gateway.port, username: 'alice', password: alicePassword });
    const result = await signInResult(page);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /Signed in as alice@kandy\.example/);
    await alice.waitForState(online, 'alice online', 30_000);
    await page.getByTestId('connection-status').getByText('Signed in as alice@kandy.example – ready for calls.').waitFor({ timeout: 20_000 });
    await page.getByTestId('kept-session').waitFor({ timeout: 10_000 });
    const { local, session } = await waitFor(async () => {
      const now = await stored(alice);
      return now.local.credentials && now.session.sessionTokens ? now : undefined;
    }, 'the tokens to be kept');
    const credentials = local.credentials as { refreshToken?: string; account: { username: string }; user?: string };
    assert.ok(credentials.refreshToken, 'a refresh token is kept in storage.local');
    assert.equal(credentials.account.username, 'alice');
    assert.equal(credentials.user, 'alice@kandy.example');
    const tokens = session.sessionTokens as { accessToken?: string; idToken?: string; expiresAt?: number };
    assert.ok(tokens.accessToken && tokens.idToken && tokens.expiresAt, 'access and id token in storage.session');
    const settings = local.settings as { password: string; rememberPassword: boolean; server: { port: number } };
    assert.equal(settings.password, '', 'the password is not stored without consent');
    assert.equal(settings.rememberPassword, false);
    assert.equal(settings.server.port, gateway.port);
    assert.ok(!JSON.stringify(local).includes(alicePassword), 'the password appears nowhere in storage.local');
    assert.ok(!JSON.stringify(local).includes(tokens.accessToken), 'the access token is not in storage.local');
    await page.close();
  });

  test('a content script can read no credential and may not ask for any', LONG, async () => {
    const { url, server } = await startPageServer();
    const page = await alice.context.newPage();
    try {
      const cdp = await alice.context.newCDPSession(page);
      const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
      cdp.on('Runtime.executionContextCreated', (event: { context: { id: number; origin: string; auxData?: { type?: string } } }) => contexts.push(event.context));
      await cdp.send('Runtime.enable');
      await page.goto(url);
      const origin = `chrome-extension://${alice.extensionId}`;
      const isolated = await waitFor(async () => contexts.find((context) => context.auxData?.type === 'isolated' && context.origin === origin), 'the content script’s isolated world');
      const evaluate = async (expression: string): Promise<string> => {
        const reply = (await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, awaitPromise: true, returnByValue: true })) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string };
        };
        return String(reply.result.value ?? reply.exceptionDetails?.text);
      };
      // It is really our content script's world: the extension API is there.
      assert.equal(await evaluate('typeof chrome.runtime.sendMessage'), 'function');
      for (const area of ['local', 'session']) {
        const answer = await evaluate(`chrome.storage.${area}.get(null).then((items) => 'READ ' + JSON.stringify(items), (error) => 'ERROR ' + error.message)`);
        assert.match(answer, /^ERROR Access to storage is not allowed from this context/, `storage.${area} from a content script: ${answer}`);
      }
      for (const type of ['ui/get-settings', 'ui/get-settings-view', 'offscreen/get-credentials', 'offscreen/get-config']) {
        const answer = await evaluate(`chrome.runtime.sendMessage({ target: 'background', type: '${type}' }).then((reply) => JSON.stringify(reply))`);
        const reply = JSON.parse(answer) as { ok: boolean; error?: string };
        assert.equal(reply.ok, false, `${type} from a content script: ${answer}`);
        assert.ok(!answer.includes('refresh') && !answer.includes(alicePassword), `${type} leaks nothing: ${answer}`);
      }
      await cdp.detach();
    } finally {
      await page.close();
      server.close();
    }
  });

  test('the token expires during a call: it is refreshed and kept, and the call goes on', LONG, async () => {
    const shortLived = await startGateway({ port: 0, log: 'silent', tokenTtlSeconds: 8 });
    try {
      const reply = await alice.send<{ ok: boolean; error?: string }>({
        type: 'ui/save-settings',
        settings: { server: { host: '127.0.0.1', port: shortLived.port }, clientId: 'kandy-click-to-call-demo', username: 'alice', password: alicePassword },
      });
      assert.ok(reply.ok, `sign-in to the short-lived gateway: ${reply.error}`);
      await alice.waitForState(online, 'alice online at the short-lived gateway', 30_000);
      const made = await intent(alice, { kind: 'make', destination: ECHO_NUMBER, video: false });
      assert.ok(made.ok, `call: ${made.error}`);
      const connected = await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'the echo call to connect', 30_000);
      const callId = liveCall(connected)?.id;
      await waitFor(async () => (await receivedBytes(alice)) > 1000, 'echoed audio');
      const accessTokens = new Set<string>();
      const started = Date.now();
      let lastBytes = await receivedBytes(alice);
      // Three token lifetimes: the first token and at least two refreshed ones must carry the call.
      while (Date.now() - started < 26_000) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const state = await alice.state();
        assert.equal(liveCall(state)?.id, callId, 'the same call is still live');
        assert.equal(liveCall(state)?.phase, 'connected', 'the call stays connected');
        assert.equal(state.connection.status, 'online', 'the phone stays online');
        const bytes = await receivedBytes(alice);
        assert.ok(bytes > lastBytes, `audio keeps flowing (${lastBytes} → ${bytes} bytes after ${Date.now() - started} ms)`);
        lastBytes = bytes;
        const token = ((await stored(alice)).session.sessionTokens as { accessToken?: string } | undefined)?.accessToken;
        if (token) accessTokens.add(token);
      }
      assert.ok(accessTokens.size >= 3, `the kept access token was renewed (${accessTokens.size} different tokens seen)`);
      const credentials = (await stored(alice)).local.credentials as { refreshToken?: string; account: { server: { port: number } } };
      assert.ok(credentials.refreshToken);
      assert.equal(credentials.account.server.port, shortLived.port);
      assert.ok(shortLived.sessions().some((session) => session.state === 'connected'), 'the gateway still has the call');
      await intent(alice, { kind: 'end', callId });
      await alice.waitForState(noLiveCall, 'the echo call ended');
    } finally {
      // Back to the main gateway for the tests that follow.
      await alice.send({
        type: 'ui/save-settings',
        settings: { server: { host: '127.0.0.1', port: gateway.port }, clientId: 'kandy-click-to-call-demo', username: 'alice', password: alicePassword },
      });
      await shortLived.close();
    }
    await alice.waitForState(online, 'alice online at the main gateway again', 30_000);
  });
});

describe('expired session', () => {
  test('a refresh the server refuses during a call: the call goes on, then the user is signed out with a notice', LONG, async () => {
    // Refresh tokens that die before the first refresh (at 80 % of the 8 s access token).
    const strict = await startGateway({ port: 0, log: 'silent', tokenTtlSeconds: 8, refreshTokenTtlSeconds: 3 });
    try {
      const reply = await alice.send<{ ok: boolean; error?: string }>({
        type: 'ui/save-settings',
        settings: { server: { host: '127.0.0.1', port: strict.port }, clientId: 'kandy-click-to-call-demo', username: 'alice', password: alicePassword },
      });
      assert.ok(reply.ok, `sign-in: ${reply.error}`);
      await alice.waitForState(online, 'alice online at the strict gateway', 30_000);
      const made = await intent(alice, { kind: 'make', destination: ECHO_NUMBER, video: false });
      assert.ok(made.ok, `call: ${made.error}`);
      await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'the echo call to connect', 30_000);
      const told = await alice.waitForState((state) => /session expired/i.test(state.lastError?.message ?? ''), 'the user told that the session expired', 30_000);
      assert.match(told.lastError?.message ?? '', /call continues/);
      assert.equal(liveCall(told)?.phase, 'connected', 'the call is not broken');
      const before = await receivedBytes(alice);
      await waitFor(async () => (await receivedBytes(alice)) > before + 2000, 'audio after the refused refresh');
      const kept = await stored(alice);
      assert.equal(kept.local.credentials, undefined, 'the dead session is forgotten');
      const notices = await alice.controlPage.evaluate(() => chrome.notifications.getAll());
      assert.ok('account-session-ended' in notices, `a notice is shown (${JSON.stringify(notices)})`);
      await intent(alice, { kind: 'end', callId: made.value?.callId });
      const signedOut = await alice.waitForState((state) => state.connection.status === 'signed-out', 'signed out once the call ended', 20_000);
      assert.match(signedOut.connection.reason ?? '', /session expired/i);
    } finally {
      const back = await alice.send<{ ok: boolean; error?: string }>({
        type: 'ui/save-settings',
        settings: { server: { host: '127.0.0.1', port: gateway.port }, clientId: 'kandy-click-to-call-demo', username: 'alice', password: alicePassword },
      });
      assert.ok(back.ok, `sign-in to the main gateway again: ${back.error}`);
      await strict.close();
    }
    await alice.waitForState(online, 'alice online at the main gateway again', 30_000);
  });
});

describe('audio', () => {
  test('device choices reach the phone: test sound, call audio, ringer and microphone', LONG, async () => {
    const page = await openOptions(alice);
    const speaker = page.getByTestId('speaker-select');
    await speaker.locator('option', { hasText: 'Fake Audio Output 1' }).waitFor({ state: 'attached', timeout: 20_000 });
    await speaker.selectOption({ label: 'Fake Audio Output 1' });
    await page.getByTestId('save-status').getByText('Saved.').waitFor({ timeout: 10_000 });
    await page.getByTestId('ringer-select').selectOption({ label: 'Fake Audio Output 2' });
    await page.getByTestId('microphone-select').selectOption({ label: 'Fake Audio Input 1' });
    const speakerId = await speaker.inputValue();
    const ringerId = await page.getByTestId('ringer-select').inputValue();
    const microphoneId = await page.getByTestId('microphone-select').inputValue();
    assert.ok(speakerId && ringerId && microphoneId && speakerId !== ringerId);

    const chosen = await waitFor(async () => {
      const devices = (await rawDiagnostics(alice)).devices;
      return devices.chosen.microphoneId === microphoneId && devices.ringer.deviceId === ringerId ? devices : undefined;
    }, 'the phone to apply the devices');
    assert.equal(chosen.chosen.speakerId, speakerId);
    assert.equal(chosen.ringer.ok, true, `the ringer device was applied: ${chosen.ringer.error}`);

    await page.getByRole('button', { name: 'Play a test sound' }).click();
    await page.getByTestId('test-sound-result').getByText('A test sound was played on: Fake Audio Output 1').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Play a test ring' }).click();
    await page.getByTestId('test-sound-result').getByText('A test sound was played on: Fake Audio Output 2').waitFor({ timeout: 15_000 });

    const made = await intent(alice, { kind: 'make', destination: ECHO_NUMBER, video: false });
    assert.ok(made.ok, `call: ${made.error}`);
    await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'the echo call to connect', 30_000);
    const inCall = await waitFor(async () => {
      const devices = (await rawDiagnostics(alice)).devices;
      return devices.remoteSinkIds.length > 0 && devices.remoteSinkIds.every((id) => id === speakerId) && devices.microphoneInUse ? devices : undefined;
    }, 'the call audio on the chosen speaker');
    assert.equal(inCall.microphoneInUse, 'Fake Audio Input 1', 'the call uses the chosen microphone');
    await intent(alice, { kind: 'end', callId: made.value?.callId });
    await alice.waitForState(noLiveCall, 'the echo call ended');

    // Back to the defaults, which the phone applies too.
    for (const testId of ['speaker-select', 'ringer-select', 'microphone-select']) await page.getByTestId(testId).selectOption({ value: '' });
    await waitFor(async () => {
      const devices = (await rawDiagnostics(alice)).devices;
      return devices.chosen.speakerId === '' && devices.chosen.ringerId === '' && devices.chosen.microphoneId === '';
    }, 'the default devices');
    await page.close();
  });

  test('the level meter moves with the (fake) microphone', LONG, async () => {
    const page = await openOptions(alice);
    await page.getByRole('button', { name: 'Test microphone' }).click();
    const meter = page.locator('#mic-level');
    const levels = new Set<string>();
    await waitFor(async () => {
      levels.add((await meter.getAttribute('data-level')) ?? '');
      return Number(await meter.getAttribute('data-peak')) > 0.3 && levels.size > 3;
    }, 'the meter to move', 20_000);
    await page.getByRole('button', { name: 'Stop test' }).click();
    await page.close();
  });
});

describe('pages and privacy', () => {
  test('detection, site exclusions, link mode and clearing the call history', LONG, async () => {
    const page = await openOptions(alice);
    await page.getByPlaceholder('e.g. example.com').fill('https://www.Shop.example/contact');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Remove www.shop.example' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Leave them alone').check();
    await page.getByLabel('Find phone numbers and SIP addresses on web pages').uncheck();
    await waitFor(async () => {
      const settings = (await stored(alice)).local.settings as { disabledSites: string[]; linkMode: string; detectionEnabled: boolean };
      return settings.disabledSites.includes('www.shop.example') && settings.linkMode === 'off' && !settings.detectionEnabled;
    }, 'the page settings to be saved');
    await page.getByRole('button', { name: 'Remove www.shop.example' }).click();
    await page.getByLabel('Find phone numbers and SIP addresses on web pages').check();
    await page.getByLabel('Offer a call button next to them').check();
    await page.getByRole('button', { name: 'Clear call history' }).click();
    await page.getByTestId('history-status').getByText('The call history was cleared.').waitFor({ timeout: 10_000 });
    await page.close();
  });
});

describe('signing out', () => {
  test('sign out: the phone is signed out and every token is gone', LONG, async () => {
    await alice.waitForState(online, 'alice online before signing out', 30_000);
    const page = await openOptions(alice);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('sign-in-result').getByText('Signed out.', { exact: false }).waitFor({ timeout: 20_000 });
    await alice.waitForState((state) => state.connection.status === 'signed-out', 'alice signed out', 20_000);
    await page.getByTestId('connection-status').getByText('Not signed in.').waitFor({ timeout: 10_000 });
    const { local, session } = await stored(alice);
    assert.equal(local.credentials, undefined, 'no refresh token is left');
    assert.equal(session.sessionTokens, undefined, 'no access token is left');
    assert.equal((local.settings as { password: string }).password, '');
    // And it stays signed out when the phone starts again.
    await alice.stopServiceWorker();
    const after = await alice.send<{ ok: boolean }>({ type: 'ui/sign-in' });
    assert.equal(after.ok, false, 'nothing is left to sign in with');
    await page.close();
  });
});

describe('onboarding and enterprise policy', () => {
  let context: BrowserContext | undefined;
  let policyFile: string | undefined;
  let extensionCopy: string | undefined;
  /** The policy directories this test created (removed again if nothing else is in them). */
  const createdDirs: string[] = [];

  after(async () => {
    await context?.close();
    if (policyFile) rmSync(policyFile, { force: true });
    if (extensionCopy) rmSync(extensionCopy, { recursive: true, force: true });
    for (const dir of createdDirs.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty (someone else's policy): leave it.
      }
    }
  });

  test('install opens the onboarding page; a policy pre-fills and locks the server; the echo call works from onboarding', LONG, async (t) => {
    const policyDir = '/etc/chromium/policies/managed';
    try {
      for (const dir of ['/etc/chromium/policies', policyDir]) {
        if (existsSync(dir)) continue;
        mkdirSync(dir);
        createdDirs.push(dir);
      }
      writeFileSync(join(policyDir, '.kandy-e2e-probe'), '');
      rmSync(join(policyDir, '.kandy-e2e-probe'));
    } catch (error) {
      t.skip(`cannot write Chromium policy (${String(error)}); run as root to test enterprise policy`);
      return;
    }
    // A one-off extension id: a copy of dist/ with a fresh manifest key.
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const extensionId = [...createHash('sha256').update(der).digest('hex').slice(0, 32)].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
    extensionCopy = mkdtempSync(join(tmpdir(), 'kandy-managed-'));
    cpSync(DIST, extensionCopy, { recursive: true });
    const manifestPath = join(extensionCopy, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), key: der.toString('base64') }));
    policyFile = join(policyDir, `kandy-e2e-${extensionId}.json`);
    const policy = { serverHost: '127.0.0.1', serverPort: gateway.port, clientId: 'kandy-click-to-call-demo', defaultCountry: 'DE', lockedSettings: ['rememberPassword', 'linkMode'] };
    writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }));
    assert.ok(existsSync(policyFile));

    context = await launchProfile({ extensionDir: extensionCopy });
    const onboarding = await waitFor(async () => context?.pages().find((page) => page.url() === `chrome-extension://${extensionId}/onboarding/index.html`), 'the onboarding page opened on install');
    await onboarding.getByRole('heading', { name: 'Welcome to Kandy Click-to-Call' }).waitFor({ timeout: 20_000 });
    const step = (name: string) => onboarding.locator(`section[data-step="${name}"]`);
    // Chromium's fake-UI flag grants the microphone; the step shows it live.
    await step('microphone').locator('[data-permission="granted"]').waitFor({ timeout: 20_000 });
    assert.equal(await step('account').getAttribute('data-done'), 'false');
    assert.ok(await step('call').getByRole('button', { name: 'Call the echo line' }).isDisabled(), 'no call before signing in');

    // The options page shows the policy: server pre-filled and locked, the note, the locked options.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options/index.html`);
    const host = options.getByLabel('Kandy server');
    await host.waitFor({ timeout: 20_000 });
    assert.equal(await host.inputValue(), '127.0.0.1');
    assert.equal(await options.getByLabel('Port', { exact: true }).inputValue(), String(gateway.port));
    assert.ok(await host.isDisabled(), 'the server is locked');
    assert.ok(await options.getByLabel('Port', { exact: true }).isDisabled());
    assert.ok(await options.getByLabel('Client ID').isDisabled());
    assert.ok(await options.getByLabel('Remember my password on this computer').isDisabled());
    assert.ok(await options.getByLabel('Leave them alone').isDisabled());
    assert.equal(await options.getByTestId('country-select').inputValue(), 'DE');
    assert.ok(await options.getByTestId('country-select').isDisabled());
    await options.getByTestId('managed-note').waitFor();
    assert.ok((await options.getByTestId('locked-note').count()) >= 4, 'locked fields say so');

    // Signing in needs only the user's own name and password.
    await options.getByLabel('User name or e-mail').fill('alice');
    await options.getByLabel('Password', { exact: true }).fill(alicePassword);
    const result = await signInResult(options);
    assert.equal(result.ok, true, result.text);

    // Nothing a page sends can move the server away from the policy's.
    const moved = (await options.evaluate(() =>
      chrome.runtime.sendMessage({ target: 'background', type: 'ui/save-settings', settings: { server: { host: 'elsewhere.example', port: 443 }, linkMode: 'take-over' } }),
    )) as { ok: boolean };
    assert.equal(moved.ok, true);
    const inForce = (await options.evaluate(() => chrome.runtime.sendMessage({ target: 'background', type: 'ui/get-settings' }))) as { value: { server: { host: string; port: number }; linkMode: string } };
    assert.deepEqual(inForce.value.server, { host: '127.0.0.1', port: gateway.port });
    assert.equal(inForce.value.linkMode, 'offer', 'a locked option stays at its default');

    // Back on the onboarding page: signed in, and the echo line answers.
    await step('account').locator('[data-connection="online"]').waitFor({ timeout: 30_000 });
    assert.equal(await step('account').getAttribute('data-done'), 'true');
    await step('call').getByRole('button', { name: 'Call the echo line' }).click();
    await step('call').locator('[data-testid="echo-call-phase"][data-phase="connected"]').waitFor({ timeout: 30_000 });
    await onboarding.locator('section[data-step="call"][data-done="true"]').waitFor({ timeout: 10_000 });
    await step('call').getByRole('button', { name: 'Hang up' }).click();
    await step('call').locator('[data-testid="echo-call-phase"][data-phase="ended"]').waitFor({ timeout: 20_000 });
  });
});
