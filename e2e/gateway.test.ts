/**
 * The local Kandy CPaaS gateway driven by the real SDK (@kandy-io/cpaas-sdk 4.9.0, loaded from
 * node_modules) in headless Chromium: three users (alice, bob, carol), one browser, one context each.
 *
 * Run: node --import tsx --test e2e/gateway.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startGateway, type Gateway, type LogEntry } from '../gateway/src/server.ts';
import { launchBrowser } from './support/browser.ts';
import { SdkPage, startHarnessServer, waitUntil, type HarnessServer } from './support/sdk-page.ts';

const CLIENT_ID = 'kandy-click-to-call-demo';
const PASSWORDS: Record<string, string> = { alice: 'alice-demo-password', bob: 'bob-demo-password', carol: 'carol-demo-password' };
/** Short keep-alive so the SDK notices a dropped socket within ~2 s. */
const PING_INTERVAL_MS = 2000;
const STEP_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 90_000;

describe('gateway + real Kandy SDK in Chromium', { timeout: 240_000 }, () => {
  let gateway: Gateway;
  let server: HarnessServer;
  let browser: Browser;
  let alice: SdkPage;
  let bob: SdkPage;
  let carol: SdkPage;
  const gatewayLog: LogEntry[] = [];

  const gatewayTail = (): string =>
    `--- gateway: last log lines ---\n${gatewayLog
      .slice(-20)
      .map((entry) => JSON.stringify(entry))
      .join('\n')}`;

  before(async () => {
    const collect = (entry: LogEntry): void => {
      gatewayLog.push(entry);
      if (gatewayLog.length > 2000) gatewayLog.splice(0, 1000);
    };
    gateway = await startGateway({ port: 0, log: collect });
    server = await startHarnessServer();
    browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${gateway.spkiHash}`]);
    [alice, bob, carol] = await Promise.all([SdkPage.open(browser, server, 'alice'), SdkPage.open(browser, server, 'bob'), SdkPage.open(browser, server, 'carol')]);
    for (const page of [alice, bob, carol]) page.extraDiagnostics = gatewayTail;
  });

  after(async () => {
    for (const page of [alice, bob, carol]) await page?.close();
    await browser?.close().catch(() => undefined);
    await server?.close();
    await gateway?.close();
  });

  /** caller dials `destination`; returns once both sides ring. */
  async function ringing(caller: SdkPage, callee: SdkPage, destination: string): Promise<{ callId: string; incoming: string }> {
    const since = await callee.lastSeq();
    const callId = await caller.make(destination);
    const incoming = await callee.waitForIncomingCall(since, STEP_TIMEOUT_MS);
    await callee.waitForCallState(incoming, 'Ringing', STEP_TIMEOUT_MS);
    await caller.waitForCallState(callId, 'Ringing', STEP_TIMEOUT_MS);
    return { callId, incoming };
  }

  async function connected(caller: SdkPage, callee: SdkPage, destination: string): Promise<{ callId: string; incoming: string }> {
    const call = await ringing(caller, callee, destination);
    await callee.answer(call.incoming);
    await callee.waitForCallState(call.incoming, 'Connected', STEP_TIMEOUT_MS);
    await caller.waitForCallState(call.callId, 'Connected', STEP_TIMEOUT_MS);
    return call;
  }

  async function hangUp(caller: SdkPage, callee: SdkPage, call: { callId: string; incoming: string }): Promise<void> {
    await caller.end(call.callId);
    await caller.waitForCallState(call.callId, 'Ended', STEP_TIMEOUT_MS);
    await callee.waitForCallState(call.incoming, 'Ended', STEP_TIMEOUT_MS);
    await noSessionsLeft();
  }

  async function noSessionsLeft(): Promise<void> {
    await waitUntil(() => gateway.sessions().length === 0, 'the gateway to have no sessions left', 5000, gatewayTail);
  }

  it('signs in with the password grant and subscribes to calls over the websocket', { timeout: TEST_TIMEOUT_MS }, async () => {
    const results = await Promise.all(
      [alice, bob, carol].map((page) =>
        page.init({ host: '127.0.0.1', port: gateway.port, username: page.name, password: PASSWORDS[page.name] ?? '', clientId: CLIENT_ID, pingInterval: PING_INTERVAL_MS }),
      ),
    );
    for (const result of results) assert.ok(result.subscribed.includes('call'), `subscribed: ${JSON.stringify(result.subscribed)}`);
    for (const page of [alice, bob, carol]) assert.equal(await page.socketConnected(), true, `${page.name}'s websocket is connected`);
    const channels = gateway.channels();
    assert.deepEqual(channels.map((channel) => channel.user).sort(), ['alice', 'bob', 'carol']);
    assert.ok(channels.every((channel) => channel.connected), 'every channel has its websocket');
  });

  it('calls by user name: ringing, answer, audio both ways, hold/unhold, DTMF, end', { timeout: TEST_TIMEOUT_MS }, async () => {
    const call = await connected(alice, bob, 'bob');
    const incoming = await bob.call(call.incoming);
    assert.equal(incoming?.remoteParticipant?.displayNumber, 'sip:alice@kandy.example');
    assert.equal(incoming?.remoteParticipant?.displayName, 'Alice Demo');
    assert.deepEqual(gateway.sessions().map((s) => [s.caller, s.callee, s.state]), [['alice', 'bob', 'connected']]);

    // Audio flows both ways (fake microphone, inbound-rtp bytesReceived from the SDK's getStats).
    const aliceBytes = await alice.waitForAudioBytes(call.callId, 0);
    const bobBytes = await bob.waitForAudioBytes(call.incoming, 0);
    assert.ok(aliceBytes > 0 && bobBytes > 0);

    // Hold (re-offer via /update, answer notification back), then unhold: audio must resume.
    await alice.hold(call.callId);
    await waitUntil(async () => (await alice.call(call.callId))?.localHold === true, 'alice to hold', STEP_TIMEOUT_MS, () => alice.diagnostics());
    await waitUntil(async () => (await bob.call(call.incoming))?.remoteHold === true, 'bob to see the remote hold', STEP_TIMEOUT_MS, () => bob.diagnostics());
    assert.equal((await alice.call(call.callId))?.state, 'On Hold');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const heldStart = (await bob.inboundAudioBytes(call.incoming)).bytes;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const heldEnd = (await bob.inboundAudioBytes(call.incoming)).bytes;

    await alice.unhold(call.callId);
    await alice.waitForCallState(call.callId, 'Connected', STEP_TIMEOUT_MS);
    await waitUntil(async () => (await bob.call(call.incoming))?.remoteHold === false, 'bob to see the unhold', STEP_TIMEOUT_MS, () => bob.diagnostics());
    assert.equal((await bob.call(call.incoming))?.state, 'Connected');
    if (process.env.E2E_VERBOSE) console.log(`# on hold: bob received ${heldEnd - heldStart} bytes in 1.5 s`);
    const resumedBob = await bob.waitForAudioBytes(call.incoming, heldEnd + 2000);
    const resumedAlice = await alice.waitForAudioBytes(call.callId, aliceBytes + 2000);
    assert.ok(heldEnd - heldStart < 2000, `audio stopped while on hold (grew ${heldEnd - heldStart} bytes in 1.5 s)`);
    assert.ok(resumedBob > heldEnd && resumedAlice > aliceBytes);

    // DTMF: out-of-band through RTCDTMFSender (no signalling).
    const dtmf = await alice.sendDtmf(call.callId, '1#');
    assert.equal(dtmf.error, undefined, `SEND_DTMF failed: ${JSON.stringify(dtmf.error)}`);
    assert.ok(dtmf.telephoneEventNegotiated, 'telephone-event negotiated in both SDPs');
    assert.ok(dtmf.dtmfSenders > 0, 'an RTCDTMFSender exists');
    assert.deepEqual(dtmf.played, ['1', '#']);

    await hangUp(alice, bob, call);
  });

  it('calls a national phone number "(415) 555-0101"; the callee rejects', { timeout: TEST_TIMEOUT_MS }, async () => {
    const call = await ringing(alice, bob, '(415) 555-0101');
    const created = gatewayLog.filter((entry) => entry.event === 'session.create').at(-1);
    assert.equal(created?.dialed, 'sip:4155550101@kandy.example', 'the SDK normalized the number into a SIP URI');
    assert.equal(created?.callee, 'bob');
    await bob.reject(call.incoming);
    await bob.waitForCallState(call.incoming, 'Ended', STEP_TIMEOUT_MS);
    await alice.waitForCallState(call.callId, 'Ended', STEP_TIMEOUT_MS);
    await noSessionsLeft();
  });

  it('caller cancels before answer: the callee goes to Cancelled', { timeout: TEST_TIMEOUT_MS }, async () => {
    const call = await ringing(alice, bob, 'sip:bob@kandy.example');
    await alice.end(call.callId);
    await alice.waitForCallState(call.callId, 'Ended', STEP_TIMEOUT_MS);
    await bob.waitForCallState(call.incoming, 'Cancelled', STEP_TIMEOUT_MS);
    await noSessionsLeft();
  });

  it('unknown callee: the SDK reports the gateway error on the call', { timeout: TEST_TIMEOUT_MS }, async () => {
    const callId = await alice.make('mallory');
    const failure = await alice.waitForCallError(callId);
    assert.equal(failure.error.code, 'SVC0004');
    assert.equal(
      failure.error.message,
      'No valid addresses provided in message part tParticipantAddress: sip:mallory@kandy.example is not a user or number known to this gateway',
    );
    await alice.waitForCallState(callId, 'Ended', STEP_TIMEOUT_MS);
    assert.equal(gateway.sessions().length, 0);
  });

  it('busy callee: a second caller gets the busy error', { timeout: TEST_TIMEOUT_MS }, async () => {
    const call = await connected(alice, bob, 'bob');
    const carolCall = await carol.make('+1 415 555 0101');
    const failure = await carol.waitForCallError(carolCall);
    assert.equal(failure.error.code, 'SVC0486');
    assert.equal(failure.error.message, 'Callee sip:+14155550101@kandy.example is busy in another call');
    await carol.waitForCallState(carolCall, 'Ended', STEP_TIMEOUT_MS);
    assert.equal((await bob.call(call.incoming))?.state, 'Connected', 'the existing call is untouched');
    await hangUp(alice, bob, call);
  });

  it('websocket dropped by the gateway: the SDK reconnects, queued notifications arrive, calls work', { timeout: TEST_TIMEOUT_MS }, async () => {
    const connectsBefore = new Map(gateway.channels().map((channel) => [channel.id, channel.connects]));
    // Reconnects wait until bob's invitation is queued: otherwise an SDK whose ping timer fires
    // before alice's call is created reconnects first, and nothing needs to queue.
    const releaseUpgrades = gateway.holdWebSocketUpgrades();
    let call: { callId: string; incoming: string };
    try {
      gateway.dropWebSockets();
      assert.ok(gateway.channels().every((channel) => !channel.connected), 'all sockets dropped');
      const since = await bob.lastSeq();
      const callId = await alice.make('bob');
      await waitUntil(
        () => gatewayLog.some((entry) => entry.event === 'notify.queued' && entry.user === 'bob' && entry.type === 'wrtcsSessionInvitationNotification'),
        "bob's invitation to wait in the queue",
        STEP_TIMEOUT_MS,
        gatewayTail,
      );
      releaseUpgrades();
      const incoming = await bob.waitForIncomingCall(since, STEP_TIMEOUT_MS);
      call = { callId, incoming };
    } finally {
      releaseUpgrades();
    }
    await bob.waitForCallState(call.incoming, 'Ringing', STEP_TIMEOUT_MS);
    await alice.waitForCallState(call.callId, 'Ringing', STEP_TIMEOUT_MS);
    await bob.answer(call.incoming);
    await bob.waitForCallState(call.incoming, 'Connected', STEP_TIMEOUT_MS);
    await alice.waitForCallState(call.callId, 'Connected', STEP_TIMEOUT_MS);
    await waitUntil(
      () => gateway.channels().every((channel) => channel.connected && channel.connects > (connectsBefore.get(channel.id) ?? 0)),
      'every SDK to reconnect to its existing channel',
      STEP_TIMEOUT_MS,
      () => JSON.stringify(gateway.channels()),
    );
    assert.equal(gateway.channels().length, 3, 'no new channels: the SDK reused its channel URL');
    await alice.waitForAudioBytes(call.callId, 0);
    if (process.env.E2E_VERBOSE) {
      console.log(gatewayLog.filter((e) => /^(ws\.|notify\.(queued|resend)|session\.)/.test(e.event)).slice(-30).map((e) => JSON.stringify(e)).join('\n'));
    }
    await hangUp(alice, bob, call);
  });

  it('expired token: the next operation fails with the 401 error; after a refresh_token grant calls work again', { timeout: TEST_TIMEOUT_MS }, async () => {
    gateway.expireAllTokens();
    const failedCall = await alice.make('bob');
    const failure = await alice.waitForCallError(failedCall);
    assert.equal(failure.error.code, 'POL0001');
    assert.equal(failure.error.message, 'Authentication failed: the access token has expired; fetch a new one with the refresh_token grant');
    await alice.waitForCallState(failedCall, 'Ended', STEP_TIMEOUT_MS);

    const [aliceRenewed, bobRenewed] = await Promise.all([alice.refreshTokens(), bob.refreshTokens()]);
    assert.equal(aliceRenewed.expiresIn, 3600);
    assert.equal(bobRenewed.expiresIn, 3600);
    const call = await connected(alice, bob, 'bob');
    await hangUp(alice, bob, call);
  });
});
