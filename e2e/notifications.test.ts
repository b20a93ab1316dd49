/**
 * Incoming calls nobody misses, end to end: bob's Chromium shows its notifications through a fake
 * desktop notification server on a private D-Bus (e2e/support/dbus-notifications.ts), so the test
 * sees what a user would see and presses Answer / Decline through Chromium's real native path
 * (ActionInvoked on D-Bus → chrome.notifications.onButtonClicked in the worker). Alice has no
 * notification server: only bob's notifications are under test.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Worker } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type CallLike, type Diagnostics, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';
import { startNotificationServer, type FakeNotificationServer, type ShownNotification } from './support/dbus-notifications.ts';

let gateway: Gateway;
let notifications: FakeNotificationServer;
let alice: ExtensionUser;
let bob: ExtensionUser;

const ALICE_NAME = 'Alice Demo';
const online = (state: AppStateLike) => state.connection.status === 'online';
const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');
const isIncomingCall = (shown: ShownNotification) => shown.summary === 'Incoming call';
const isMissedCall = (shown: ShownNotification) => shown.summary.startsWith('Missed call from');

/** The offscreen document's diagnostics also report the ringtone (src/offscreen/main.ts). */
type PhoneDiagnostics = Diagnostics & { ringtone: { playing: boolean } };

let intentCounter = 0;
async function intent(user: ExtensionUser, body: Record<string, unknown>): Promise<{ ok: boolean; error?: string; value?: { callId?: string } }> {
  return user.send({ type: 'ui/intent', intentId: `notifications-e2e-${Date.now()}-${++intentCounter}`, intent: body });
}

/** alice calls bob; resolves with bob's ringing call, alice's call id, the notification and a mark in the server's event log. */
async function aliceCallsBob(): Promise<{ call: CallLike; aliceCallId: string; notification: ShownNotification; mark: number }> {
  const mark = notifications.events().length;
  const shownBefore = new Set(notifications.list().map((shown) => shown.id));
  const made = await intent(alice, { kind: 'make', destination: 'bob', video: false });
  assert.ok(made.ok && made.value?.callId, `alice could not dial bob: ${made.error ?? JSON.stringify(made)}`);
  const state = await bob.waitForState((candidate) => liveCall(candidate)?.direction === 'incoming', 'bob to get the incoming call', 20_000);
  const call = liveCall(state)!;
  const notification = await notifications.waitFor((shown) => !shownBefore.has(shown.id) && isIncomingCall(shown) && shown.body.includes(ALICE_NAME), `a new "Incoming call" notification naming ${ALICE_NAME} for bob's call ${call.id}`);
  return { call, aliceCallId: made.value.callId, notification, mark };
}

/** How often Chromium asked the desktop to show an "Incoming call" since `mark`: once per call, or the user sees duplicates. */
function incomingNotifiesSince(mark: number): number {
  return notifications.events().slice(mark).filter((event) => event.kind === 'notify' && isIncomingCall(event.notification)).length;
}

async function ringtonePlaying(user: ExtensionUser): Promise<boolean> {
  return ((await user.diagnostics()) as PhoneDiagnostics).ringtone.playing;
}

async function badgeText(user: ExtensionUser): Promise<string> {
  return user.controlPage.evaluate(() => chrome.action.getBadgeText({}));
}

async function audioBothWays(user: ExtensionUser, who: string): Promise<{ bytesSent: number; bytesReceived: number }> {
  return waitFor(async () => {
    const stats = (await user.diagnostics()).media[0];
    return stats && stats.bytesReceived > 1000 && stats.bytesSent > 1000 ? stats : undefined;
  }, `audio both ways at ${who} (diagnostics().media bytes > 1000)`, 20_000);
}

/** Ends whatever call is still up, so one failed test does not break the next. */
async function endAllCalls(): Promise<void> {
  for (const user of [alice, bob]) {
    const state = await user.state().catch(() => undefined);
    for (const call of state?.calls.filter((candidate) => candidate.phase !== 'ended') ?? []) {
      await intent(user, call.direction === 'incoming' && call.answeredAt === undefined ? { kind: 'reject', callId: call.id } : { kind: 'end', callId: call.id }).catch(() => undefined);
    }
  }
  await alice.waitForState(noLiveCall, 'alice to have no call left', 10_000);
  await bob.waitForState(noLiveCall, 'bob to have no call left', 10_000);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The extension's service worker targets in bob's browser, straight from CDP (Playwright's Worker objects go stale). */
let browserCdp: CDPSession | undefined;
async function extensionWorkerTargets(user: ExtensionUser): Promise<string[]> {
  browserCdp ??= await user.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
  return targetInfos.filter((target) => target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${user.extensionId}/`)).map((target) => target.url);
}

/** Ids of bob's page targets that show the popup (the control page, popup tabs, the real toolbar popup). */
async function popupTargets(user: ExtensionUser): Promise<string[]> {
  browserCdp ??= await user.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = (await browserCdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  return targetInfos.filter((target) => target.type === 'page' && target.url === user.url('popup/index.html')).map((target) => target.targetId);
}

async function closeTargets(ids: string[]): Promise<void> {
  for (const targetId of ids) await browserCdp?.send('Target.closeTarget', { targetId });
}

function extensionWorker(user: ExtensionUser): Worker {
  const worker = user.context.serviceWorkers().find((candidate) => candidate.url().startsWith(`chrome-extension://${user.extensionId}/`));
  assert.ok(worker, `bob's extension service worker is running (workers: ${user.context.serviceWorkers().map((w) => w.url()).join(', ') || 'none'})`);
  return worker;
}

/** A failing test also reports both phones' calls, bob's badge and what the notification server saw. */
function scenario(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      const calls = async (user: ExtensionUser) =>
        JSON.stringify((await user.state().catch(() => undefined))?.calls.map((call) => {
          const { id, direction, phase, endReason, answeredAt } = call;
          return { id: id.slice(0, 8), direction, phase, sdkState: (call as CallLike & { sdkState?: string }).sdkState, answered: answeredAt !== undefined, endReason };
        }));
      const context = [
        `bob's calls: ${await calls(bob)}`,
        `alice's calls: ${await calls(alice)}`,
        `bob's badge: "${await badgeText(bob).catch((badgeError: unknown) => String(badgeError))}"`,
        notifications.describe(),
      ].join('\n');
      if (error instanceof Error) {
        // The reporter prints the stack, which captured the message when the error was made.
        const original = error.message;
        error.message = `${original}\n--- context ---\n${context}`;
        if (error.stack?.includes(original)) error.stack = error.stack.replace(original, error.message);
        throw error;
      }
      throw new Error(`${String(error)}\n--- context ---\n${context}`);
    }
  });
}

before(async () => {
  notifications = await startNotificationServer();
  gateway = await startGateway({ port: 0, log: 'silent' });
  alice = await launchExtensionUser({ ...demoUser('alice'), port: gateway.port });
  // Only bob's browser talks to the fake notification server.
  bob = await launchExtensionUser({ ...demoUser('bob'), port: gateway.port }, { env: notifications.env });
  await alice.waitForState(online, 'alice online');
  await bob.waitForState(online, 'bob online');
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
  await notifications?.close();
});

describe('incoming call notifications', () => {
  afterEach(endAllCalls);

  scenario('Answer on the notification (D-Bus ActionInvoked) connects with audio both ways; the ringtone plays only while ringing', async () => {
    const { call, aliceCallId, notification, mark } = await aliceCallsBob();
    const labels = notification.actions.map((action) => action.label);
    assert.ok(labels.includes('Answer') && labels.includes('Decline'), `the notification offers Answer and Decline (actions: ${JSON.stringify(notification.actions)})`);
    assert.equal(notification.body.split('\n')[0], ALICE_NAME, 'the caller’s name is the first line of the body');
    assert.equal(notification.expireTimeout, 0, 'the ringing notification stays until acted on (requireInteraction)');

    await waitFor(async () => (await ringtonePlaying(bob)) || undefined, 'the ringtone to play while bob’s phone rings', 10_000);
    assert.equal(await badgeText(bob), 'RING', 'the badge says the phone rings');

    notifications.invokeAction(notification.id, 'Answer');
    await bob.waitForState((state) => state.calls.find((candidate) => candidate.id === call.id)?.phase === 'connected', 'bob’s call to connect after Answer on the notification');
    await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'alice’s call to connect');
    await notifications.waitForGone(notification.id, 'the ringing notification closes once answered', 10_000);
    await audioBothWays(bob, 'bob');
    await audioBothWays(alice, 'alice');
    await waitFor(async () => !(await ringtonePlaying(bob)) || undefined, 'the ringtone to stop after answering', 10_000);
    assert.ok(!notifications.list().some(isMissedCall), `an answered call is not missed.\n${notifications.describe()}`);
    assert.equal(incomingNotifiesSince(mark), 1, `one call, one "Incoming call" notification.\n${notifications.describe()}`);

    const ended = await intent(alice, { kind: 'end', callId: aliceCallId });
    assert.ok(ended.ok, `alice could not hang up: ${ended.error}`);
    await bob.waitForState(noLiveCall, 'bob’s call to end');
  });

  scenario('a body click opens the popup; Decline on the notification rejects the call: alice’s call ends and nothing counts as missed', async () => {
    const { aliceCallId, notification } = await aliceCallsBob();
    // A click on the body (the "default" action) opens the toolbar popup, where the call can be handled.
    const popupsBefore = await popupTargets(bob);
    notifications.invokeAction(notification.id, 'default');
    const opened = await waitFor(async () => {
      const now = await popupTargets(bob);
      return now.length > popupsBefore.length ? now.filter((id) => !popupsBefore.includes(id)) : undefined;
    }, 'a click on the notification body to open the call console (chrome.action.openPopup)', 10_000);
    assert.ok(notifications.list().some((shown) => shown.id === notification.id), 'the ringing notification stays after a body click, so Decline is still there');
    await closeTargets(opened);
    notifications.invokeAction(notification.id, 'Decline');
    const aliceState = await alice.waitForState((state) => state.calls.find((candidate) => candidate.id === aliceCallId)?.phase === 'ended', 'alice’s call to end after bob declined');
    assert.ok(aliceState.calls.find((candidate) => candidate.id === aliceCallId)?.endReason, 'alice is told why the call ended');
    await bob.waitForState(noLiveCall, 'bob to have no call left');
    await notifications.waitForGone(notification.id, 'the ringing notification closes once declined', 10_000);
    await waitFor(async () => !(await ringtonePlaying(bob)) || undefined, 'the ringtone to stop after declining', 10_000);
    // Give a (wrong) missed-call notification the time to show up before asserting it does not.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!notifications.list().some(isMissedCall), `a declined call is not missed.\n${notifications.describe()}`);
    assert.notEqual(await badgeText(bob), '1', 'no missed-call count after declining');
  });

  scenario('the caller hangs up while ringing: the notification goes, a missed-call notice and badge 1 appear, the popup clears them', async () => {
    const { call, aliceCallId, notification } = await aliceCallsBob();
    const cancelled = await intent(alice, { kind: 'end', callId: aliceCallId });
    assert.ok(cancelled.ok, `alice could not cancel: ${cancelled.error}`);

    await notifications.waitForGone(notification.id, 'the ringing notification closes when the caller hangs up', 10_000);
    assert.ok(
      notifications.events().some((event) => event.kind === 'close-requested' && event.id === notification.id),
      `Chromium sent CloseNotification for the ringing notification.\n${notifications.describe()}`,
    );
    const missed = await notifications.waitFor((shown) => isMissedCall(shown) && shown.summary.includes(ALICE_NAME), `a "Missed call from ${ALICE_NAME}" notification for ${call.id}`, 10_000);
    assert.equal(missed.actions.filter((action) => action.key !== 'default' && action.key !== 'settings').length, 0, 'a missed-call notice has no call buttons');
    await waitFor(async () => (await badgeText(bob)) === '1' || undefined, 'bob’s badge to show 1 missed call', 10_000).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; badge is "${await badgeText(bob)}", stored missedCalls=${JSON.stringify(await bob.controlPage.evaluate(() => chrome.storage.local.get('missedCalls')))}`);
    });
    await waitFor(async () => !(await ringtonePlaying(bob)) || undefined, 'the ringtone to stop when the caller hangs up', 10_000);

    const popup = await bob.openPopup();
    try {
      await waitFor(async () => (await badgeText(bob)) !== '1' || undefined, 'opening the popup to clear the missed-call badge', 10_000);
      await notifications.waitForGone(missed.id, 'opening the popup clears the missed-call notification', 10_000);
      const stored = await bob.controlPage.evaluate(() => chrome.storage.local.get('missedCalls'));
      assert.equal(stored.missedCalls, 0, 'the missed-call count is reset');
    } finally {
      await popup.close();
    }
  });

  // chrome.commands.onCommand cannot be triggered by a key press in headless Chromium: this is
  // JS-level dispatch of the event in the worker (it calls the listeners the extension registered,
  // but does not prove the Alt+Shift+A / Alt+Shift+H bindings themselves).
  scenario('keyboard commands (JS-level dispatch): answer-call answers the ringing call, hang-up ends it', async () => {
    const { call, notification } = await aliceCallsBob();
    const worker = extensionWorker(bob);
    const dispatch = (command: string) =>
      withTimeout(
        worker.evaluate((name) => (chrome.commands.onCommand as unknown as { dispatch(command: string): void }).dispatch(name), command),
        5000,
        `dispatching the "${command}" command in bob's service worker`,
      );

    await dispatch('answer-call');
    await bob.waitForState((state) => state.calls.find((candidate) => candidate.id === call.id)?.phase === 'connected', 'the answer-call command to answer bob’s ringing call');
    await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'alice’s call to connect');
    await notifications.waitForGone(notification.id, 'the ringing notification closes once the command answered', 10_000);
    await audioBothWays(bob, 'bob after answering by command');

    await dispatch('hang-up');
    await bob.waitForState(noLiveCall, 'the hang-up command to end bob’s call');
    await alice.waitForState(noLiveCall, 'alice to see the call end');
  });

  scenario('with bob’s service worker stopped, an incoming call still shows its notification (the phone’s state push wakes the worker)', async () => {
    await bob.stopServiceWorker();
    await waitFor(async () => (await extensionWorkerTargets(bob)).length === 0 || undefined, 'bob’s service worker to stop', 10_000);

    const { call, aliceCallId, notification, mark } = await aliceCallsBob();
    assert.ok((await extensionWorkerTargets(bob)).length > 0, 'the worker was started again');
    // A woken worker gets a burst of state pushes; each must not start its own notification.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(incomingNotifiesSince(mark), 1, `one call, one "Incoming call" notification.\n${notifications.describe()}`);
    notifications.invokeAction(notification.id, 'Decline');
    await bob.waitForState((state) => state.calls.find((candidate) => candidate.id === call.id)?.phase === 'ended', 'Decline on the notification to reject the call on the woken worker');
    await alice.waitForState((state) => state.calls.find((candidate) => candidate.id === aliceCallId)?.phase === 'ended', 'alice’s call to end');
    await notifications.waitForGone(notification.id, 'the ringing notification closes once declined', 10_000);
  });
});
