/**
 * Reliability end to end: the worker stopped ten times mid-call, the offscreen document closed
 * under a call, its renderer crashed under a call, the gateway restarted or refusing connections,
 * and a long (accelerated) idle.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { startGateway, type Gateway, type GatewayOptions } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type CallLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';
import { connectBrowserCdp, REMOTE_DEBUGGING_ARGS } from './support/browser-cdp.ts';

const GATEWAY_OPTIONS: Partial<GatewayOptions> = { log: 'silent', auditTimeoutSeconds: 30, tokenTtlSeconds: 3600 };

let gateway: Gateway;
let port: number;
let alice: ExtensionUser;
let bob: ExtensionUser;
/** alice's profile, with a DevTools port: the crash test reaches her offscreen document through it. */
const aliceProfile = mkdtempSync(join(tmpdir(), 'kandy-profile-alice-'));

const online = (state: AppStateLike) => state.connection.status === 'online';
const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

async function intent(user: ExtensionUser, intentId: string, body: Record<string, unknown>) {
  return user.send<{ ok: boolean; error?: string; value?: { callId?: string } }>({ type: 'ui/intent', intentId, intent: body });
}

let intentCounter = 0;
const nextIntentId = () => `reliability-${Date.now()}-${++intentCounter}`;

/** alice calls bob and bob answers; returns alice's call id once both are connected. */
async function connectCall(): Promise<string> {
  const made = await intent(alice, nextIntentId(), { kind: 'make', destination: 'bob', video: false });
  assert.ok(made.ok, `make failed: ${made.error}`);
  const ringing = await bob.waitForState((state) => liveCall(state)?.phase === 'ringing', 'bob ringing', 30_000);
  const answered = await intent(bob, nextIntentId(), { kind: 'answer', callId: liveCall(ringing)?.id, video: false });
  assert.ok(answered.ok, `answer failed: ${answered.error}`);
  const connected = await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'alice connected', 30_000);
  return liveCall(connected)?.id ?? '';
}

async function receivedBytes(user: ExtensionUser): Promise<number> {
  return (await user.diagnostics()).media[0]?.bytesReceived ?? 0;
}

async function audioGrows(user: ExtensionUser, what: string): Promise<void> {
  const start = await receivedBytes(user);
  await waitFor(async () => (await receivedBytes(user)) > start + 2000, what, 20_000);
}

/** What chrome://extensions itself uses (chrome.developerPrivate) to show and reload an extension. */
interface DeveloperPrivate {
  getExtensionInfo(id: string): Promise<{ state: string }>;
  updateProfileConfiguration(update: { inDeveloperMode: boolean }): Promise<void>;
  reload(id: string, options: { failQuietly: boolean }): Promise<void>;
}
type WithDeveloperPrivate = { chrome: { developerPrivate: DeveloperPrivate } };

async function extensionWorker(user: ExtensionUser): Promise<Worker> {
  return waitFor(async () => user.context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://')), 'the extension worker');
}

before(async () => {
  gateway = await startGateway({ ...GATEWAY_OPTIONS, port: 0 });
  port = gateway.port;
  alice = await launchExtensionUser({ ...demoUser('alice'), port }, { userDataDir: aliceProfile, extraArgs: REMOTE_DEBUGGING_ARGS });
  bob = await launchExtensionUser({ ...demoUser('bob'), port });
  await alice.waitForState(online, 'alice online');
  await bob.waitForState(online, 'bob online');
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
});

describe('reliability', () => {
  test('the worker is stopped 10 times during one call; audio continues and every intent acts exactly once', async () => {
    const callId = await connectCall();
    await audioGrows(alice, 'audio at the start');
    let expectedMuted = false;
    for (let round = 1; round <= 10; round++) {
      await alice.stopServiceWorker();
      const popup: Page = await alice.openPopup();
      const current = popup.getByRole('region', { name: 'Current call' });
      await current.getByTestId('call-phase').getByText('Connected').waitFor({ timeout: 20_000 });
      if (round % 2 === 1) {
        // A toggle through the popup after a restart: exactly one toggle must result.
        await current.getByRole('button', { name: expectedMuted ? 'Unmute' : 'Mute' }).click();
        expectedMuted = !expectedMuted;
        await alice.waitForState((state) => liveCall(state)?.muted === expectedMuted, `mute is ${expectedMuted} after round ${round}`);
      } else {
        // The same intent delivered twice (as a retry after a restart would) acts once.
        const id = nextIntentId();
        const kind = expectedMuted ? 'unmute' : 'mute';
        const first = await intent(alice, id, { kind, callId });
        await alice.stopServiceWorker();
        const second = await intent(alice, id, { kind, callId });
        assert.deepEqual(first, second, 'a replayed intent returns the first result');
        expectedMuted = !expectedMuted;
        await alice.waitForState((state) => liveCall(state)?.muted === expectedMuted, `mute is ${expectedMuted} after round ${round}`);
      }
      await popup.close();
    }
    const state = await alice.state();
    assert.equal(liveCall(state)?.phase, 'connected');
    assert.equal(liveCall(state)?.muted, expectedMuted);
    await audioGrows(alice, 'audio after ten worker stops');
    await audioGrows(bob, 'audio at bob after ten worker stops');

    // One hang-up, replayed across a worker stop, ends the call once and never errors on the far side.
    const hangUp = nextIntentId();
    const first = await intent(alice, hangUp, { kind: 'end', callId });
    await alice.stopServiceWorker();
    const replay = await intent(alice, hangUp, { kind: 'end', callId });
    assert.ok(first.ok, `hang-up failed: ${first.error}`);
    assert.deepEqual(first, replay);
    await alice.waitForState(noLiveCall, 'alice ended');
    await bob.waitForState(noLiveCall, 'bob ended');
  });

  test('the offscreen document is closed under a call: the user is told, the phone comes back, the next call works', async () => {
    await connectCall();
    const worker = await extensionWorker(alice);
    await Promise.race([
      worker.evaluate(() => chrome.offscreen.closeDocument()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('closeDocument did not return')), 10_000)),
    ]);
    // The "Call lost" state is short-lived (the new phone soon publishes its own), so the lasting
    // proof is the notification the worker raised; the state must never show the call as live.
    await waitFor(
      async () => {
        const notifications = await alice.controlPage.evaluate(() => chrome.notifications.getAll());
        return Object.keys(notifications).includes('phone-lost');
      },
      'the "Call lost" notification',
      20_000,
    );
    assert.ok(noLiveCall(await alice.state()), 'the lost call is not shown as live');
    await alice.waitForState(online, 'alice online again with a new phone', 60_000);
    // bob's side learns through the gateway's audit timeout that alice's phone is gone.
    await bob.waitForState(noLiveCall, 'bob’s side of the lost call ends', 90_000);
    await connectCall();
    await audioGrows(alice, 'audio in the call after recovery');
    await intent(alice, nextIntentId(), { kind: 'end', callId: liveCall(await alice.state())?.id });
    await bob.waitForState(noLiveCall, 'bob ended');
  });

  test('the phone’s renderer crashes under a call: Chrome terminates the extension; after a reload the user is told, nothing shows as live, the next call works', async () => {
    const lostCallId = await connectCall();
    const cdp = await connectBrowserCdp(aliceProfile);
    // chrome://extensions is a browser page in a process of its own: it outlives the crash and
    // offers what the user has, the extension's state and its Reload button.
    const extensionsPage = await alice.context.newPage();
    try {
      await extensionsPage.goto('chrome://extensions/');
      const extensionState = () =>
        extensionsPage.evaluate(async (id) => (await (globalThis as unknown as WithDeveloperPrivate).chrome.developerPrivate.getExtensionInfo(id)).state, alice.extensionId);
      // Reloading an unpacked extension (ours here) needs developer mode; a store install reloads from Chrome's crash notice.
      await extensionsPage.evaluate(() => (globalThis as unknown as WithDeveloperPrivate).chrome.developerPrivate.updateProfileConfiguration({ inDeveloperMode: true }));
      assert.equal(await extensionState(), 'ENABLED');

      const offscreen = (await cdp.targets()).find((target) => target.url === alice.url('offscreen/index.html'));
      assert.ok(offscreen, 'the offscreen document is a DevTools target');
      const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId: offscreen.targetId, flatten: true });
      cdp.fire('Page.crash', {}, sessionId);

      // The phone's renderer is the extension's renderer: the worker and the control page die with
      // it, and Chrome unloads the whole extension (its state shows TERMINATED) rather than leave
      // it half-crashed. None of our code runs until it is reloaded.
      await waitFor(async () => (await extensionState()) === 'TERMINATED', 'Chrome to terminate the crashed extension', 20_000);
      const survivors = (await cdp.targets()).filter((target) => target.url.startsWith(alice.url('')) && target.type !== 'page');
      assert.deepEqual(survivors, [], 'no worker or offscreen document outlived the crash');

      // The user reloads it (the Reload button; Chrome's crash notice does the same).
      await extensionsPage.evaluate((id) => (globalThis as unknown as WithDeveloperPrivate).chrome.developerPrivate.reload(id, { failQuietly: true }), alice.extensionId);
      await waitFor(async () => (await extensionState()) === 'ENABLED', 'the extension to be loaded again', 20_000);
      await alice.reopenControlPage();

      // Unloading emptied storage.session; the first start still knows the call and reports it lost.
      await waitFor(
        async () => Object.keys(await alice.controlPage.evaluate(() => chrome.notifications.getAll())).includes('phone-lost'),
        'the "Call lost" notification after the reload',
        20_000,
      );
      const history = await waitFor(async () => {
        const stored = await alice.controlPage.evaluate(async () => (await chrome.storage.local.get('callHistory')).callHistory as { id: string }[] | undefined);
        return stored?.some((entry) => entry.id === lostCallId) ? stored : undefined;
      }, 'the lost call in the call history', 20_000);
      assert.ok(history.length > 0);
      assert.ok(noLiveCall(await alice.state()), 'the lost call is not shown as live');
      await alice.waitForState(online, 'alice online again with a new phone', 60_000);

      // What the user sees in a popup opened now: online, no current call, the lost call in Recent calls.
      const popup = await alice.openPopup();
      await popup.locator(`[data-outcome]`).first().waitFor({ timeout: 10_000 });
      assert.equal(await popup.getByRole('region', { name: 'Current call' }).count(), 0, 'the popup shows no current call');
      await popup.close();

      await bob.waitForState(noLiveCall, 'bob’s side of the lost call ends', 90_000);
      await connectCall();
      await audioGrows(alice, 'audio in the call after the crash');
      await intent(alice, nextIntentId(), { kind: 'end', callId: liveCall(await alice.state())?.id });
      await bob.waitForState(noLiveCall, 'bob ended');
    } finally {
      await extensionsPage.close();
      cdp.close();
    }
  });

  test('the gateway restarts during a call: both sides end cleanly, reconnect, and the next call works', async () => {
    await connectCall();
    await gateway.close();
    await alice.waitForState((state) => state.connection.status === 'offline' && Boolean(state.connection.reason), 'alice offline with a reason', 60_000);
    gateway = await startGateway({ ...GATEWAY_OPTIONS, port });
    await alice.waitForState((state) => online(state) && noLiveCall(state), 'alice online, the dead call ended', 120_000);
    await bob.waitForState((state) => online(state) && noLiveCall(state), 'bob online, the dead call ended', 120_000);
    await connectCall();
    await intent(alice, nextIntentId(), { kind: 'end', callId: liveCall(await alice.state())?.id });
    await bob.waitForState(noLiveCall, 'bob ended');
  });

  test('the gateway refuses connections for a while: offline with a reason, then back online', async () => {
    gateway.setRefuseConnections(true);
    gateway.dropWebSockets();
    const offline = await alice.waitForState((state) => state.connection.status !== 'online', 'alice notices the outage', 60_000);
    assert.notEqual(offline.connection.status, 'online');
    gateway.setRefuseConnections(false);
    await alice.waitForState(online, 'alice back online', 120_000);
    await bob.waitForState(online, 'bob back online', 120_000);
    await connectCall();
    await intent(alice, nextIntentId(), { kind: 'end', callId: liveCall(await alice.state())?.id });
    await bob.waitForState(noLiveCall, 'bob ended');
  });
});

describe('long idle (accelerated)', () => {
  test('after a long idle with short-lived tokens and dropped sockets, an incoming call still rings', async () => {
    // Accelerated: tokens live 10 s (the phone refreshes at 8 s), the gateway also drops every
    // socket halfway, and the offscreen document is hidden throughout, as it always is.
    const idleGateway = await startGateway({ log: 'silent', port: 0, tokenTtlSeconds: 10 });
    const carol = await launchExtensionUser({ ...demoUser('carol'), port: idleGateway.port });
    const dave = await launchExtensionUser({ ...demoUser('bob'), port: idleGateway.port });
    try {
      await carol.waitForState(online, 'carol online');
      await dave.waitForState(online, 'bob online');
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      idleGateway.dropWebSockets();
      await new Promise((resolve) => setTimeout(resolve, 25_000));
      // Three token lifetimes later the old tokens are long dead; the phone must still be reachable.
      const made = await intent(dave, nextIntentId(), { kind: 'make', destination: 'carol', video: false });
      assert.ok(made.ok, `make after idle failed: ${made.error}`);
      await carol.waitForState((state) => liveCall(state)?.phase === 'ringing', 'carol’s phone rings after the idle period', 60_000);
      const ringing = liveCall(await carol.state());
      await intent(carol, nextIntentId(), { kind: 'reject', callId: ringing?.id });
      await dave.waitForState(noLiveCall, 'the caller sees the call end');
    } finally {
      await carol.close();
      await dave.close();
      await idleGateway.close();
    }
  });
});
