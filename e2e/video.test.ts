/**
 * Video calls end to end: the call media stays in each user's offscreen document and reaches the
 * call window (src/callwindow) over the local relay. Chromium's fake camera draws a moving
 * picture, so live video shows as two different screenshots of the same <video>.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';
import { axeViolations, saveScreenshot } from './support/a11y.ts';

const STEP_MS = 30_000;

let gateway: Gateway;
let alice: ExtensionUser;
let bob: ExtensionUser;
const opened: Page[] = [];
const a11yFindings: string[] = [];

interface VideoCallLike {
  id: string;
  phase: string;
  localVideo?: boolean;
  remoteVideo?: boolean;
}
interface VideoStats {
  callId: string;
  videoBytesReceived: number;
  videoFramesDecoded: number;
  videoBytesSent: number;
}

const online = (state: AppStateLike) => state.connection.status === 'online';
const liveCall = (state: AppStateLike) => state.calls.find((call) => call.phase !== 'ended') as VideoCallLike | undefined;

async function popupOf(user: ExtensionUser): Promise<Page> {
  const page = await user.openPopup();
  opened.push(page);
  await page.setViewportSize({ width: 364, height: 600 });
  await page.getByLabel('Number or address').waitFor();
  return page;
}

/** The call window the extension opens by itself (a chrome.windows popup window). */
function nextCallWindow(user: ExtensionUser): Promise<Page> {
  return user.context.waitForEvent('page', { predicate: (page) => page.url().includes('callwindow/index.html'), timeout: STEP_MS }).then(async (page) => {
    opened.push(page);
    await page.waitForLoadState();
    return page;
  });
}

/** Waits until the <video> plays frames, then proves they change: two screenshots must differ. */
async function assertLiveVideo(window: Page, testId: 'remote-video' | 'local-video', what: string): Promise<Buffer> {
  const video = window.getByTestId(testId);
  await video.waitFor({ state: 'visible', timeout: STEP_MS });
  await waitFor(async () => video.evaluate((element: HTMLVideoElement) => element.videoWidth > 0 && element.readyState >= 2 && !element.paused), `${what} to play`);
  const first = await video.screenshot();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const second = await video.screenshot();
  assert.notDeepEqual(first, second, `${what} changes between two screenshots`);
  return second;
}

async function videoStats(user: ExtensionUser): Promise<VideoStats | undefined> {
  const diagnostics = (await user.diagnostics()) as unknown as { media: VideoStats[] };
  return diagnostics.media[0];
}

async function hangUpEverything(): Promise<void> {
  for (const user of [alice, bob]) {
    for (const call of (await user.state()).calls.filter((candidate) => candidate.phase !== 'ended')) {
      await user.send({ type: 'ui/intent', intentId: `cleanup-${call.id}-${Date.now()}`, intent: { kind: 'end', callId: call.id } });
    }
  }
  for (const user of [alice, bob]) await user.waitForState((state) => !liveCall(state), 'no call left', STEP_MS);
}

before(async () => {
  gateway = await startGateway({ port: 0, log: 'silent' });
  alice = await launchExtensionUser({ ...demoUser('alice'), port: gateway.port });
  bob = await launchExtensionUser({ ...demoUser('bob'), port: gateway.port });
  for (const user of [alice, bob]) await user.waitForState(online, 'online', STEP_MS);
});

after(async () => {
  await alice?.close();
  await bob?.close();
  await gateway?.close();
});

describe('video calls', () => {
  afterEach(async () => {
    for (const page of opened.splice(0)) await page.close().catch(() => undefined);
    await hangUpEverything();
  });

  test('a video call opens the call window on both sides, with live remote and local video', async () => {
    const alicePopup = await popupOf(alice);
    await alicePopup.getByLabel('Number or address').fill('bob');
    const aliceWindow = nextCallWindow(alice);
    const bobWindow = nextCallWindow(bob);
    await alicePopup.getByRole('button', { name: 'Video call' }).click();

    const bobPopup = await popupOf(bob);
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.getByRole('button', { name: 'Answer with video' }).and(bobPopup.locator(':enabled')).waitFor({ timeout: STEP_MS });
    assert.match(await incoming.innerText(), /Incoming video call from\s+Alice Demo/);
    await incoming.getByRole('button', { name: 'Answer with video' }).click();

    const windowAtAlice = await aliceWindow;
    const windowAtBob = await bobWindow;
    await alice.waitForState((state) => liveCall(state)?.localVideo === true && liveCall(state)?.remoteVideo === true, 'alice sends and receives video', STEP_MS);
    for (const [window, who] of [[windowAtAlice, 'alice'], [windowAtBob, 'bob']] as const) {
      await window.setViewportSize({ width: 520, height: 480 });
      await window.getByTestId('call-phase').getByText('Connected').waitFor({ timeout: STEP_MS });
      await assertLiveVideo(window, 'remote-video', `${who}'s view of the other camera`);
      await assertLiveVideo(window, 'local-video', `${who}'s own camera`);
    }
    assert.match(await windowAtAlice.title(), /Video call with /);
    const stats = await waitFor(async () => {
      const media = await videoStats(bob);
      return media && media.videoFramesDecoded > 10 ? media : undefined;
    }, 'bob to decode alice’s video');
    assert.ok(stats.videoBytesSent > 0, 'bob sends video too');
    // The relay is the only thing the window has: the call itself stays in the offscreen document.
    const relays = ((await alice.diagnostics()) as unknown as { videoRelays: { connectionState: string; tracks: number }[] }).videoRelays;
    assert.ok(relays.some((relay) => relay.connectionState === 'connected' && relay.tracks === 2), `alice's relay carries two tracks: ${JSON.stringify(relays)}`);

    a11yFindings.push(...(await axeViolations(windowAtAlice, 'call window, video call')));
    await saveScreenshot(windowAtAlice, 'callwindow-video.png');
    await saveScreenshot(bobPopup.locator('main'), 'popup-video-call.png');

    await windowAtAlice.getByRole('button', { name: 'End call' }).click();
    await bob.waitForState((state) => !liveCall(state), 'bob’s call ended', STEP_MS);
    await windowAtAlice.getByTestId('call-phase').getByText('Ended').waitFor({ timeout: STEP_MS });
    a11yFindings.push(...(await axeViolations(windowAtAlice, 'call window, ended')));
    // The window closes itself a few seconds after the call ended.
    await windowAtAlice.waitForEvent('close', { timeout: STEP_MS });
  });

  test('stop and start video mid-call; an audio call can add video, and the popup opens the window', async () => {
    const alicePopup = await popupOf(alice);
    await alicePopup.getByLabel('Number or address').fill('bob');
    await alicePopup.getByRole('button', { name: 'Call', exact: true }).click();
    const bobPopup = await popupOf(bob);
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).and(bobPopup.locator(':enabled')).waitFor({ timeout: STEP_MS });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).click();
    const aliceCall = alicePopup.getByRole('region', { name: 'Current call' });
    await aliceCall.getByTestId('call-phase').getByText('Connected').waitFor({ timeout: STEP_MS });
    assert.equal(await aliceCall.getByRole('button', { name: 'Open video window' }).count(), 0, 'an audio call has no video window');

    // alice adds video: both windows open by themselves.
    const aliceWindow = nextCallWindow(alice);
    const bobWindow = nextCallWindow(bob);
    await aliceCall.getByRole('button', { name: 'Start video' }).click();
    await alice.waitForState((state) => liveCall(state)?.localVideo === true, 'alice sends video', STEP_MS);
    const windowAtBob = await bobWindow;
    const windowAtAlice = await aliceWindow;
    await assertLiveVideo(windowAtBob, 'remote-video', 'alice’s added video at bob');
    await assertLiveVideo(windowAtAlice, 'local-video', 'alice’s own camera');
    await windowAtAlice.getByText('The other party sends no video.').waitFor({ timeout: STEP_MS });
    a11yFindings.push(...(await axeViolations(windowAtAlice, 'call window, one-way video')));

    // alice stops it again: bob's window says so, from state and relay alone.
    await aliceCall.getByRole('button', { name: 'Stop video' }).click();
    await alice.waitForState((state) => liveCall(state)?.localVideo === false, 'alice stopped her video', STEP_MS);
    await bob.waitForState((state) => liveCall(state)?.remoteVideo === false, 'bob sees no video from alice', STEP_MS);
    await windowAtBob.getByText('The other party sends no video.').waitFor({ timeout: STEP_MS });
    await aliceCall.getByRole('button', { name: 'Start video' }).waitFor();

    // bob starts his; alice's popup button brings her (already open) window to the front.
    await bobPopup.getByRole('region', { name: 'Current call' }).getByRole('button', { name: 'Start video' }).click();
    await alice.waitForState((state) => liveCall(state)?.remoteVideo === true, 'alice receives bob’s video', STEP_MS);
    await assertLiveVideo(windowAtAlice, 'remote-video', 'bob’s video at alice');
    await windowAtAlice.close();
    const reopened = nextCallWindow(alice);
    await aliceCall.getByRole('button', { name: 'Open video window' }).click();
    await assertLiveVideo(await reopened, 'remote-video', 'bob’s video in the reopened window');
  });

  test('axe found no violations in the call window', () => {
    assert.deepEqual(a11yFindings, []);
  });
});
