/**
 * The echo line, end to end: alice's extension (the real SDK in its offscreen document, Chromium's
 * fake microphone) calls the gateway's echo line, which answers with its own WebRTC endpoint (werift)
 * and sends her audio back.
 *
 * Round trip, measured two honest ways (neither is the SDK's own RTCP RTT, which the extension's
 * diagnostics do not expose):
 *  - RTCP: the echo endpoint's sender reports come back in Chromium's receiver reports (RFC 3550
 *    LSR/DLSR), giving the network + stack round trip between alice's browser and the echo line;
 *  - connect → first echoed bytes: from the call's answeredAt (offscreen state) to the first
 *    diagnostics poll that shows bytesReceived > 0 (poll period ≈ 200 ms, so this is an upper bound
 *    that includes ICE/DTLS set-up and the first packetization).
 *
 * Run: npm run build && node --import tsx --test e2e/echo.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, type EchoCallSummary, type Gateway } from '../gateway/src/server.ts';
import { launchExtensionUser, waitFor, type AppStateLike, type CallLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';

const TEST_TIMEOUT = { timeout: 180_000 };

let gateway: Gateway;
let alice: ExtensionUser;

const liveCall = (state: AppStateLike): CallLike | undefined => state.calls.find((call) => call.phase !== 'ended');
const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

async function intent(intent: Record<string, unknown>): Promise<void> {
  const reply = await alice.send<{ ok: boolean; error?: string }>({ type: 'ui/intent', intentId: `echo-${Date.now()}-${Math.random().toString(36).slice(2)}`, intent });
  assert.ok(reply.ok, `intent ${String(intent.kind)}: ${reply.error}`);
}

async function media(): Promise<{ bytesSent: number; bytesReceived: number; packetsReceived: number } | undefined> {
  return (await alice.diagnostics()).media[0];
}

async function echoCall(sessionFilter?: (call: EchoCallSummary) => boolean): Promise<EchoCallSummary | undefined> {
  const calls = await gateway.echoCalls();
  return sessionFilter ? calls.find(sessionFilter) : calls.at(-1);
}

before(async () => {
  gateway = await startGateway({ port: 0, log: 'silent' });
  alice = await launchExtensionUser({ ...demoUser('alice'), port: gateway.port });
  await alice.waitForState((state) => state.connection.status === 'online', 'alice online', 60_000);
});

after(async () => {
  await alice?.close();
  await gateway?.close();
});

describe('echo line', () => {
  test('alice calls the echo number: it answers, her audio comes back, hold/unhold work, she hangs up', TEST_TIMEOUT, async (t) => {
    await intent({ kind: 'make', destination: '+1 415 555 0123', video: false });
    const connected = await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'the echo call to connect', 30_000);
    const call = liveCall(connected);
    assert.ok(call);
    assert.match(call.remoteAddress, /4155550123|echo/);
    const answeredAt = call.answeredAt ?? Date.now();

    // Audio comes back: bytes received, and growing.
    const first = await waitFor(async () => {
      const stats = await media();
      return stats && stats.bytesReceived > 0 ? { ...stats, at: Date.now() } : undefined;
    }, 'the first echoed audio bytes', 20_000);
    const connectToFirstBytesMs = first.at - answeredAt;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const later = await media();
    assert.ok(later, 'media stats');
    assert.ok(later.bytesReceived > first.bytesReceived + 1000, `bytesReceived grows (${first.bytesReceived} → ${later.bytesReceived})`);
    assert.ok(later.bytesSent > 1000, 'alice sends audio');

    // The echo line saw the same stream and sent it back; its RTCP gives the round trip.
    const echoed = await waitFor(async () => {
      const summary = await echoCall((candidate) => candidate.state === 'connected');
      return summary && summary.media.roundTripTimeMs !== undefined && summary.media.packetsEchoed > 50 ? summary : undefined;
    }, 'an RTCP round-trip measurement at the echo line', 30_000);
    assert.equal(echoed.media.codec, 'audio/opus');
    assert.ok(echoed.media.bytesEchoed > 1000);
    const rtt = echoed.media.roundTripTimeMs ?? Number.NaN;
    assert.ok(rtt >= 0 && rtt < 500, `RTCP round trip ${rtt} ms is plausible on one machine`);
    const message = `echo line: RTCP round trip ${rtt.toFixed(2)} ms (${echoed.media.roundTripTimeMeasurements} measurement(s)); connect → first echoed bytes ≤ ${connectToFirstBytesMs} ms (200 ms polling); answered ${echoed.answeredAt !== undefined ? echoed.answeredAt - echoed.invitedAt : '?'} ms after the invitation (1 s ring by design)`;
    t.diagnostic(message);
    console.log(message);

    // DTMF from the extension reaches the far end as RFC 4733 telephone-event packets: the echo
    // line is a real RTP receiver, so this proves the tones cross the network, not just the sender.
    const dtmfBefore = echoed.media.dtmfPacketsReceived;
    await intent({ kind: 'dtmf', callId: call.id, tones: '1#' });
    const withTones = await waitFor(async () => {
      const summary = await echoCall((candidate) => candidate.sessionId === echoed.sessionId);
      return summary && summary.media.dtmfPacketsReceived > dtmfBefore ? summary : undefined;
    }, 'telephone-event packets at the echo line', 20_000);
    assert.ok(withTones.media.dtmfPacketsReceived > dtmfBefore);

    // Hold and unhold are re-offers the echo line answers; audio resumes after unhold. The update's
    // response is slowed as on a real network, where it would still arrive before the far side's
    // answer: the gateway must not let the answer overtake it (the SDK then forgot it was holding).
    const undelayUpdates = gateway.delayResponses('session.update', 150);
    await intent({ kind: 'hold', callId: call.id });
    await alice.waitForState((state) => liveCall(state)?.phase === 'on-hold', 'alice on hold', 20_000);
    await waitFor(async () => (await echoCall((candidate) => candidate.sessionId === echoed.sessionId))?.offersAnswered === 2, 'the echo line to answer the hold', 20_000);
    await intent({ kind: 'unhold', callId: call.id });
    await alice.waitForState((state) => liveCall(state)?.phase === 'connected', 'alice off hold', 20_000);
    undelayUpdates();
    const resumedFrom = (await media())?.bytesReceived ?? 0;
    await waitFor(async () => ((await media())?.bytesReceived ?? 0) > resumedFrom + 1000, 'echoed audio after unhold', 20_000);
    const afterUnhold = await echoCall((candidate) => candidate.sessionId === echoed.sessionId);
    assert.equal(afterUnhold?.offersAnswered, 3, 'the first offer, hold and unhold were answered');

    await intent({ kind: 'end', callId: call.id });
    await alice.waitForState(noLiveCall, 'alice has no call left', 20_000);
    await waitFor(async () => (await echoCall((candidate) => candidate.sessionId === echoed.sessionId))?.state === 'ended', 'the echo line to release the call', 10_000);
    assert.deepEqual(gateway.sessions(), []);
  });

  test('the SIP address works too, from the popup, and the echo line stays free for the next call', TEST_TIMEOUT, async () => {
    for (const call of (await alice.state()).calls.filter((candidate) => candidate.phase !== 'ended')) await intent({ kind: 'end', callId: call.id });
    await alice.waitForState(noLiveCall, 'no call left from the previous test', 20_000);
    const popup = await alice.openPopup();
    await popup.getByLabel('Number or address').fill('sip:echo@kandy.example');
    await popup.getByRole('button', { name: 'Call', exact: true }).click();
    await popup.getByRole('region', { name: 'Current call' }).getByText('Connected').waitFor({ timeout: 30_000 });
    await waitFor(async () => ((await media())?.bytesReceived ?? 0) > 1000, 'echoed audio on the SIP call', 20_000);
    await popup.getByRole('region', { name: 'Current call' }).getByRole('button', { name: 'End' }).click();
    await alice.waitForState(noLiveCall, 'alice has no call left', 20_000);
    await popup.close();
  });
});
