/**
 * The echo line end to end inside Node: a werift peer plays the SDK's part (non-bundled offer with its
 * candidates inline, like the SDK sends), a FakeClient does the signalling, and the gateway's echo line
 * answers and loops the audio back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { keepInactiveSectionsOpen } from './echo-media.ts';
import { FAKE_SDP, FakeClient, http, sessionIdOf, sleep, startTestGateway, type TestGateway } from './test-support.ts';

/** Loopback candidates too, so the tests also pass on a machine whose only interface is lo. */
const LOOPBACK = ['127.0.0.1'];
const FAST = { ringDelayMs: 10, answerDelayMs: 50, peer: { additionalHostAddresses: LOOPBACK } };

/** The caller's media side, shaped like the SDK's offer: unified plan, no BUNDLE, no trickle. */
class CallerPeer {
  readonly pc = new RTCPeerConnection({
    bundlePolicy: 'disable',
    iceUseIpv6: false,
    iceAdditionalHostAddresses: LOOPBACK,
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 }),
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0 }),
        new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, payloadType: 126 }),
      ],
    },
  });
  readonly transceiver: RTCRtpTransceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
  readonly received: RtpPacket[] = [];
  private sequence = 1000;

  constructor() {
    this.transceiver.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((packet) => this.received.push(packet)));
  }

  async offer(direction?: 'sendrecv' | 'inactive'): Promise<string> {
    if (direction) this.transceiver.setDirection(direction);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await waitUntil(() => this.pc.iceGatheringState === 'complete', 'caller ICE gathering');
    const sdp = this.pc.localDescription?.sdp ?? '';
    // Like Chromium (unlike werift), an inactive section keeps a non-zero port: port 0 would mean "rejected".
    return sdp.replace(/^a=ice-options:trickle\r\n/gm, '').replace(/^m=audio 0 /m, 'm=audio 9 ');
  }

  async accept(answer: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** Sends one voice packet (payload type 111) whose payload says which one it is. */
  async send(index: number): Promise<void> {
    const header = new RtpHeader({ payloadType: 111, sequenceNumber: this.sequence++, timestamp: index * 960, marker: index === 0 });
    await this.transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from(`voice-${index}`)));
  }

  /** An RFC 4733 event. Straight onto the transport: werift's sender would stamp the voice payload type on it. */
  async sendDtmf(): Promise<void> {
    const header = new RtpHeader({ payloadType: 126, sequenceNumber: this.sequence++, timestamp: 0, ssrc: this.transceiver.sender.ssrc });
    await this.transceiver.sender.dtlsTransport.sendRtp(Buffer.from([1, 0x8a, 0, 160]), header);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}

async function waitUntil(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('echo line', () => {
  let gateway: TestGateway | undefined;
  const clients: FakeClient[] = [];
  const peers: CallerPeer[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const peer of peers.splice(0)) await peer.close();
    await gateway?.close();
    gateway = undefined;
  });

  async function setup(options: Parameters<typeof startTestGateway>[0] = { echoLine: FAST }): Promise<{ g: TestGateway; alice: FakeClient }> {
    gateway = await startTestGateway(options);
    const alice = await FakeClient.connect(gateway, 'alice');
    clients.push(alice);
    return { g: gateway, alice };
  }

  async function call(alice: FakeClient, address: string, sdp: string): Promise<{ sessionId: string; status: number; text: string }> {
    const created = await alice.api('POST', 'webrtcsignaling', '/sessions', {
      wrtcsSession: { clientCorrelator: alice.clientCorrelator, tParticipantAddress: address, offer: { sdp } },
    });
    const sessionId = String(created.json?.wrtcsSession?.resourceURL ?? '').split('sessions/')[1] ?? '';
    return { sessionId, status: created.status, text: created.text };
  }

  async function connect(alice: FakeClient, address = '+1 415 555 0123'): Promise<{ sessionId: string; caller: CallerPeer }> {
    const caller = new CallerPeer();
    peers.push(caller);
    const offer = await caller.offer();
    expect(offer).not.toMatch(/a=group:BUNDLE/);
    const { sessionId, status, text } = await call(alice, address, offer);
    expect(status, text).toBe(201);
    await alice.event('Ringing', sessionId, 5000);
    const acceptance = await alice.nextNotification('wrtcsAcceptanceNotification', (body) => sessionIdOf(body) === sessionId, 15_000);
    const answer = (acceptance.answer as { sdp: string }).sdp;
    expect(answer).toMatch(/^a=candidate:.* typ host/m);
    expect(answer).not.toMatch(/a=group:BUNDLE/);
    expect(answer).toMatch(/^a=setup:active/m);
    expect(answer).toMatch(/^a=rtpmap:111 opus\/48000\/2/m);
    await caller.accept(answer);
    await waitUntil(() => caller.pc.connectionState === 'connected', 'the caller to connect');
    return { sessionId, caller };
  }

  it('is in the directory by number and SIP address, but nobody can sign in as it', async () => {
    const { g } = await setup();
    expect(g.echoLine).toEqual({ username: 'echo', number: '+14155550123', sipAddress: 'sip:echo@kandy.example' });
    expect(g.users().map((user) => user.username)).not.toContain('echo');
    const form = new URLSearchParams({ grant_type: 'password', client_id: 'kandy-click-to-call-demo', username: 'echo', password: 'anything', scope: 'openid' });
    const token = await http(g, 'POST', '/cpaas/auth/v1/token', { body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(token.status).toBe(400);
  });

  it('answers a call, loops voice packets back unchanged, skips DTMF, and ends when the caller hangs up', { timeout: 30_000 }, async () => {
    const { g, alice } = await setup();
    const { sessionId, caller } = await connect(alice);
    expect(g.sessions()).toMatchObject([{ id: sessionId, state: 'connected', caller: 'alice', callee: 'echo' }]);

    for (let index = 0; index < 20; index++) {
      await caller.send(index);
      await sleep(5);
    }
    await caller.sendDtmf();
    await waitUntil(() => caller.received.length >= 20, 'the echoed packets', 10_000);
    await waitUntil(async () => (await g.echoCalls())[0]?.media.dtmfPacketsReceived === 1, 'the DTMF packet to arrive', 10_000);
    await sleep(200);
    const payloads = caller.received.map((packet) => packet.payload.toString());
    expect(payloads).toContain('voice-0');
    expect(payloads).toContain('voice-19');
    expect(payloads.every((payload) => payload.startsWith('voice-'))).toBe(true);
    expect(caller.received.every((packet) => packet.header.payloadType === 111)).toBe(true);

    const [live] = await g.echoCalls();
    expect(live).toMatchObject({ sessionId, state: 'connected', offersAnswered: 1 });
    expect(live?.media).toMatchObject({ codec: 'audio/opus', connectionState: 'connected', dtmfPacketsReceived: 1 });
    expect(live?.media.packetsEchoed).toBeGreaterThanOrEqual(20);

    const ended = await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`);
    expect(ended.status).toBe(204);
    await waitUntil(async () => (await g.echoCalls())[0]?.state === 'ended', 'the echo call to be released');
    const [after] = await g.echoCalls();
    expect(after).toMatchObject({ state: 'ended', endReason: 'ended-by-caller' });
    expect(after?.media.connectionState).toBe('closed');
    expect(g.sessions()).toEqual([]);
  });

  it('answers hold and unhold re-offers, and answers several callers at once', { timeout: 30_000 }, async () => {
    const { g, alice } = await setup();
    const bob = await FakeClient.connect(g, 'bob');
    clients.push(bob);
    const first = await connect(alice, 'sip:echo@kandy.example');
    await connect(bob, '(415) 555-0123');
    expect(g.sessions()).toHaveLength(2);

    const hold = await alice.api('PUT', 'webrtcsignaling', `/sessions/${first.sessionId}/update`, { wrtcsOffer: { sdp: await first.caller.offer('inactive') } });
    expect(hold.status).toBe(204);
    const held = await alice.nextNotification('wrtcsAnswerNotification', (body) => sessionIdOf(body) === first.sessionId, 10_000);
    const heldSdp = (held.answer as { sdp: string }).sdp;
    expect(heldSdp).toMatch(/^a=inactive/m);
    expect(heldSdp, 'an inactive section is held, not rejected (port 0)').toMatch(/^m=audio 9 /m);
    await first.caller.accept(heldSdp);

    const unhold = await alice.api('PUT', 'webrtcsignaling', `/sessions/${first.sessionId}/update`, { wrtcsOffer: { sdp: await first.caller.offer('sendrecv') } });
    expect(unhold.status).toBe(204);
    await alice.waitFor(() => alice.notifications.filter((n) => n.type === 'wrtcsAnswerNotification').length === 2 || undefined, 'the unhold answer', 10_000);
    const resumed = alice.notifications.filter((n) => n.type === 'wrtcsAnswerNotification')[1]?.body;
    const resumedSdp = (resumed?.answer as { sdp: string }).sdp;
    expect(resumedSdp).toMatch(/^a=sendrecv/m);
    await first.caller.accept(resumedSdp);

    const before = first.caller.received.length;
    await first.caller.send(1);
    await first.caller.send(2);
    await waitUntil(() => first.caller.received.length > before, 'audio after unhold', 10_000);
    const summary = await g.echoCalls();
    expect(summary.find((entry) => entry.sessionId === first.sessionId)?.offersAnswered).toBe(3);
  });

  it('stops ringing when the caller cancels before the answer', { timeout: 20_000 }, async () => {
    const { g, alice } = await setup({ echoLine: { ...FAST, answerDelayMs: 3000 } });
    const caller = new CallerPeer();
    peers.push(caller);
    const { sessionId } = await call(alice, 'echo', await caller.offer());
    await alice.event('Ringing', sessionId, 5000);
    expect((await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await waitUntil(async () => (await g.echoCalls())[0]?.endReason === 'cancelled', 'the echo call to be cancelled');
    await sleep(3200);
    expect(alice.notifications.some((n) => n.type === 'wrtcsAcceptanceNotification')).toBe(false);
    expect(g.sessions()).toEqual([]);
  });

  it('rejects an offer it cannot answer: the caller gets SessionEnded', { timeout: 20_000 }, async () => {
    const { g, alice } = await setup();
    const { sessionId, status } = await call(alice, '+14155550123', FAKE_SDP);
    expect(status).toBe(201);
    await alice.event('SessionEnded', sessionId, 10_000);
    expect(g.sessions()).toEqual([]);
    const [ended] = await g.echoCalls();
    expect(ended?.endReason).toBe('answer-failed');
  });

  it('can be turned off', async () => {
    const { g, alice } = await setup({ echoLine: false });
    expect(g.echoLine).toBeUndefined();
    const { status, text } = await call(alice, '+14155550123', FAKE_SDP);
    expect(status).toBe(404);
    expect(text).toMatch(/SVC0004/);
  });

  it('keeps an inactive answer section open unless the offer rejected it', () => {
    const offer = 'v=0\r\nm=audio 50000 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=inactive\r\n';
    const answer = 'v=0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=inactive\r\n';
    expect(keepInactiveSectionsOpen(answer, offer)).toBe('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=inactive\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\na=inactive\r\n');
    const sendrecv = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n';
    expect(keepInactiveSectionsOpen(sendrecv, offer)).toBe(sendrecv);
  });
});
