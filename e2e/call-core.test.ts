/**
 * Call core, end to end: two Chromium profiles with the built extension, the real Kandy SDK in
 * each offscreen document, and the local gateway in between. Nothing of ours is faked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type CallLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';

let gateway: Gateway;
let alice: ExtensionUser;
let bob: ExtensionUser;

const online = (state: AppStateLike) => state.connection.status === 'online';
const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

async function dialFromPopup(popup: Page, destination: string): Promise<void> {
  await popup.getByLabel('Number or address').fill(destination);
  await popup.getByRole('button', { name: 'Call', exact: true }).click();
}

async function audioFlowing(user: ExtensionUser, what: string): Promise<{ bytesSent: number; bytesReceived: number }> {
  return waitFor(async () => {
    const stats = (await user.diagnostics()).media[0];
    return stats && stats.bytesReceived > 1000 && stats.bytesSent > 1000 ? stats : undefined;
  }, what);
}

before(async () => {
  gateway = await startGateway({ port: 0, log: 'silent' });
  alice = await launchExtensionUser({ ...demoUser('alice'), port: gateway.port });
  bob = await launchExtensionUser({ ...demoUser('bob'), port: gateway.port });
  await alice.waitForState(online, 'alice online');
  await bob.waitForState(online, 'bob online');
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
});

describe('call core', () => {
  test('alice calls bob by a national number; both connect with audio; alice ends', async () => {
    const alicePopup = await alice.openPopup();
    await dialFromPopup(alicePopup, '(415) 555-0101');

    const bobPopup = await bob.openPopup();
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.waitFor({ timeout: 20_000 });
    assert.match(await incoming.innerText(), /alice|4155550100/i);
    await incoming.getByRole('button', { name: 'Answer', exact: true }).click();

    for (const popup of [alicePopup, bobPopup]) {
      await popup.getByRole('region', { name: 'Current call' }).getByText('Connected').waitFor({ timeout: 20_000 });
    }
    await audioFlowing(alice, 'audio both ways at alice');
    await audioFlowing(bob, 'audio both ways at bob');
    const remoteMedia = (await bob.diagnostics()).remoteMedia;
    assert.ok(remoteMedia.some((element) => element.kind === 'audio' && element.playing), 'bob plays the remote audio');

    await alicePopup.getByRole('region', { name: 'Current call' }).getByRole('button', { name: 'End' }).click();
    await alice.waitForState(noLiveCall, 'alice call ended');
    await bob.waitForState(noLiveCall, 'bob call ended');
    await bobPopup.getByRole('region', { name: 'Last call' }).getByTestId('call-phase').getByText('Ended').waitFor({ timeout: 10_000 });
    await alicePopup.close();
    await bobPopup.close();
  });

  test('bob rejects: alice sees the call end with a reason', async () => {
    const alicePopup = await alice.openPopup();
    await dialFromPopup(alicePopup, 'bob');
    const bobPopup = await bob.openPopup();
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).and(bobPopup.locator(':enabled')).waitFor({ timeout: 20_000 });
    await incoming.getByRole('button', { name: 'Reject' }).click();
    const ended = await alice.waitForState((state) => noLiveCall(state) && state.calls.length > 0, 'alice sees the rejection');
    const last = ended.calls.at(-1);
    assert.ok(last?.endReason, 'the ended call carries a reason');
    await alicePopup.getByRole('region', { name: 'Last call' }).waitFor({ timeout: 10_000 });
    await bob.waitForState(noLiveCall, 'bob has no call left');
    await alicePopup.close();
    await bobPopup.close();
  });

  test('alice cancels before bob answers: bob’s incoming call disappears', async () => {
    const alicePopup = await alice.openPopup();
    await dialFromPopup(alicePopup, '+1 415 555 0101');
    const bobPopup = await bob.openPopup();
    await bobPopup.getByRole('region', { name: 'Incoming call' }).waitFor({ timeout: 20_000 });
    await alice.waitForState((state) => liveCall(state)?.phase === 'ringing', 'alice hears ringing');
    await alicePopup.getByRole('region', { name: 'Current call' }).getByRole('button', { name: 'End' }).click();
    await bobPopup.getByRole('region', { name: 'Incoming call' }).waitFor({ state: 'detached', timeout: 20_000 });
    await bob.waitForState(noLiveCall, 'bob has no call left');
    await alicePopup.close();
    await bobPopup.close();
  });

  test('an unknown number gives a clear error and leaves no call behind', async () => {
    const alicePopup = await alice.openPopup();
    await dialFromPopup(alicePopup, '(415) 555-0199');
    const state = await alice.waitForState((candidate) => noLiveCall(candidate) && candidate.calls.at(-1)?.remoteAddress.includes('4155550199') === true, 'the failed call to settle');
    assert.match(state.calls.at(-1)?.endReason ?? '', /./, 'the failure has a reason');
    await alicePopup.getByRole('region', { name: 'Last call' }).waitFor({ timeout: 10_000 });
    await dialFromPopup(alicePopup, '12');
    await alicePopup.getByRole('alert').waitFor({ timeout: 10_000 });
    await alicePopup.close();
  });

  test('the call survives a stopped service worker; a new popup shows it and can end it', async () => {
    const alicePopup = await alice.openPopup();
    await dialFromPopup(alicePopup, '(415) 555-0101');
    const bobPopup = await bob.openPopup();
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).and(bobPopup.locator(':enabled')).waitFor({ timeout: 20_000 });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).click();
    const connected = await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'alice connected');
    await alicePopup.close();
    const before = await audioFlowing(alice, 'audio before the worker stops');

    await alice.stopServiceWorker();
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const popup = await alice.openPopup();
    const current = popup.getByRole('region', { name: 'Current call' });
    await current.getByText('Connected').waitFor({ timeout: 20_000 });
    const timerText = await current.getByTestId('call-timer').innerText();
    const [minutes, seconds] = timerText.split(':').map(Number);
    const shownSeconds = (minutes ?? 0) * 60 + (seconds ?? 0);
    const expectedSeconds = (Date.now() - (liveCall(connected)?.answeredAt ?? Date.now())) / 1000;
    assert.ok(Math.abs(shownSeconds - expectedSeconds) <= 3, `timer ${timerText} is close to ${expectedSeconds.toFixed(1)} s`);
    const afterStop = await waitFor(async () => {
      const stats = (await alice.diagnostics()).media[0];
      return stats && stats.bytesReceived > before.bytesReceived + 1000 ? stats : undefined;
    }, 'audio still flowing after the worker stopped');
    assert.ok(afterStop.bytesSent > before.bytesSent);

    await current.getByRole('button', { name: 'End' }).click();
    await alice.waitForState(noLiveCall, 'alice ended');
    await bob.waitForState(noLiveCall, 'bob ended');
    await popup.close();
    await bobPopup.close();
  });
});

describe('microphone permission', () => {
  test('denied microphone: a clear error, the permission page opens, nothing is left half-open', async () => {
    const carol = await launchExtensionUser({ ...demoUser('carol'), port: gateway.port }, { realPermissionPrompts: true });
    try {
      await carol.waitForState(online, 'carol online');
      const permissionPage = carol.context.waitForEvent('page', { predicate: (page) => page.url().includes('permission/index.html'), timeout: 20_000 });
      const popup = await carol.openPopup();
      await dialFromPopup(popup, 'bob');
      const alert = popup.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      assert.match(await alert.innerText(), /microphone/i);
      const page = await permissionPage;
      await page.getByRole('button', { name: 'Allow microphone' }).waitFor({ timeout: 10_000 });
      const state = await carol.state();
      assert.ok(noLiveCall(state), 'no call was started');
      await bob.waitForState(noLiveCall, 'bob was never called');
    } finally {
      await carol.close();
    }
  });
});
