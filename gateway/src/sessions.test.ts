import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_SDP, FakeClient, sessionIdOf, startTestGateway, type TestGateway } from './test-support.ts';

const SDP_A = `${FAKE_SDP}a=x-from:alice\r\n`;
const SDP_B = `${FAKE_SDP}a=x-from:bob\r\n`;

describe('call sessions', () => {
  let gateway: TestGateway | undefined;
  const clients: FakeClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await gateway?.close();
    gateway = undefined;
  });

  async function setup(options: Parameters<typeof startTestGateway>[0] = {}, users = ['alice', 'bob']): Promise<{ g: TestGateway; c: FakeClient[] }> {
    gateway = await startTestGateway(options);
    const g = gateway;
    const c = await Promise.all(users.map((user) => FakeClient.connect(g, user)));
    clients.push(...c);
    return { g, c };
  }

  /** alice calls `callee`; returns the session id once the callee has the invitation. */
  async function invite(caller: FakeClient, callee: FakeClient, address = callee.username): Promise<string> {
    const created = await caller.api('POST', 'webrtcsignaling', '/sessions', {
      wrtcsSession: { clientCorrelator: caller.clientCorrelator, tParticipantAddress: address, offer: { sdp: SDP_A } },
    });
    expect(created.status, created.text).toBe(201);
    const sessionId = String(created.json.wrtcsSession.resourceURL).split('sessions/')[1] ?? '';
    expect(created.json.wrtcsSession.resourceURL).toBe(`/cpaas/webrtcsignaling/v1/${caller.username}/sessions/${sessionId}`);
    const invitation = await callee.nextNotification('wrtcsSessionInvitationNotification', (body) => sessionIdOf(body) === sessionId);
    expect(invitation.link).toEqual([{ href: `/cpaas/webrtcsignaling/v1/${callee.username}/sessions/${sessionId}`, rel: 'WebrtcSession' }]);
    expect(invitation.offer).toEqual({ sdp: SDP_A });
    return sessionId;
  }

  async function ring(caller: FakeClient, callee: FakeClient, sessionId: string): Promise<void> {
    const status = await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { clientCorrelator: 'c', status: 'Ringing' } });
    expect(status.status).toBe(200);
    expect(status.json).toEqual({ wrtcsSessionStatus: { status: 'Ringing' } });
    await caller.event('Ringing', sessionId);
  }

  async function connectCall(caller: FakeClient, callee: FakeClient): Promise<string> {
    const sessionId = await invite(caller, callee);
    await ring(caller, callee, sessionId);
    const answer = await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: callee.clientCorrelator, sdp: SDP_B } });
    expect(answer.status).toBe(204);
    const acceptance = await caller.nextNotification('wrtcsAcceptanceNotification', (body) => sessionIdOf(body) === sessionId);
    expect(acceptance.answer).toEqual({ sdp: SDP_B });
    return sessionId;
  }

  it('holds the caller\'s notifications back just after creating a call, then delivers them in order', async () => {
    // On loopback the callee rings and answers within milliseconds; the caller's SDK drops events
    // for a session whose creation response it has not read yet.
    const { c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const started = Date.now();
    const sessionId = await invite(alice, bob);
    await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing' } });
    await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: bob.clientCorrelator, sdp: SDP_B } });
    await alice.event('Ringing', sessionId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const acceptance = await alice.nextNotification('wrtcsAcceptanceNotification', (body) => sessionIdOf(body) === sessionId);
    expect(acceptance.answer).toEqual({ sdp: SDP_B });
  });

  it('holds a party\'s notifications back just after its re-offer, so the answer cannot overtake the update\'s response', async () => {
    // An answer to a hold that the SDK read before the update's response left its call "On Hold"
    // without the hold flag, and unhold was then refused.
    const { c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await connectCall(alice, bob);
    const started = Date.now();
    expect((await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: `${SDP_A}a=inactive\r\n` } })).status).toBe(204);
    await bob.nextNotification('wrtcsOfferNotification');
    expect((await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: `${SDP_B}a=inactive\r\n` } })).status).toBe(204);
    const answer = await alice.nextNotification('wrtcsAnswerNotification');
    expect(answer.answer).toEqual({ sdp: `${SDP_B}a=inactive\r\n` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('runs a whole call: invite, ring, answer, audit, re-offer both ways, hang up', async () => {
    const { g, c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await connectCall(alice, bob);
    expect(g.sessions()).toMatchObject([{ id: sessionId, state: 'connected', caller: 'alice', callee: 'bob' }]);

    for (const party of [alice, bob]) {
      const audit = await party.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Connected' } });
      expect(audit.status).toBe(200);
      expect(audit.json).toEqual({ wrtcsSessionStatus: { status: 'Connected' } });
    }

    // Hold by alice: re-offer to bob, bob's answer comes back as an answer notification (not an acceptance).
    const hold = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: `${SDP_A}a=inactive\r\n` } });
    expect(hold.status).toBe(204);
    const offer = await bob.nextNotification('wrtcsOfferNotification');
    expect(offer.offer).toEqual({ sdp: `${SDP_A}a=inactive\r\n` });
    expect(g.sessions()[0]?.pendingOfferFrom).toBe('caller');
    // Alice cannot answer her own offer; bob cannot re-offer while one is pending (glare → 491).
    expect((await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: SDP_A } })).status).toBe(409);
    const glare = await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: SDP_B } });
    expect(glare.status).toBe(491);
    expect(glare.json.requestError.serviceException.messageId).toBe('SVC0491');
    const reanswer = await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: `${SDP_B}a=inactive\r\n` } });
    expect(reanswer.status).toBe(204);
    const answerNotification = await alice.nextNotification('wrtcsAnswerNotification');
    expect(answerNotification.answer).toEqual({ sdp: `${SDP_B}a=inactive\r\n` });
    expect(alice.notifications.filter((n) => n.type === 'wrtcsAcceptanceNotification')).toHaveLength(1);

    // Unhold from the callee side this time.
    expect((await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: SDP_B } })).status).toBe(204);
    await alice.nextNotification('wrtcsOfferNotification');
    expect((await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: SDP_A } })).status).toBe(204);
    await bob.nextNotification('wrtcsAnswerNotification');

    // A second answer without an offer is a state error.
    expect((await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: SDP_B } })).status).toBe(409);

    const end = await bob.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`);
    expect(end.status).toBe(204);
    await alice.event('SessionEnded', sessionId);
    expect(g.sessions()).toEqual([]);

    // After the end: audits get 404 (the SDK then ends the call locally), repeated DELETE is harmless.
    const audit = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Connected' } });
    expect(audit.status).toBe(404);
    expect(audit.json.requestError.serviceException).toEqual({
      messageId: 'SVC0404',
      text: 'Resource not found: session %1 has ended',
      variables: [sessionId],
    });
    expect((await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    expect(bob.notifications.some((n) => n.type === 'wrtcsEventNotification' && n.body.eventType === 'SessionEnded')).toBe(false);
  });

  it('caller cancel before answer → Cancelled to the callee', async () => {
    const { c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await invite(alice, bob);
    await ring(alice, bob, sessionId);
    expect((await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await bob.event('Cancelled', sessionId);
    const late = await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: SDP_B } });
    expect(late.status).toBe(404);
  });

  it('callee reject → SessionEnded to the caller', async () => {
    const { c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await invite(alice, bob);
    await ring(alice, bob, sessionId);
    expect((await bob.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await alice.event('SessionEnded', sessionId);
  });

  it('refuses a busy callee with 486 SVC0486', async () => {
    const { g, c } = await setup({}, ['alice', 'bob', 'carol']);
    const [alice, bob, carol] = c as [FakeClient, FakeClient, FakeClient];
    await connectCall(alice, bob);
    const busy = await carol.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: '+1 (415) 555-0101', offer: { sdp: SDP_A } } });
    expect(busy.status).toBe(486);
    expect(busy.statusText).toBe('Busy Here');
    expect(busy.json).toEqual({
      requestError: { serviceException: { messageId: 'SVC0486', text: 'Callee %1 is busy in another call', variables: ['+1 (415) 555-0101'] } },
    });
    expect(g.sessions()).toHaveLength(1);
  });

  it('refuses self-calls and answers by the caller', async () => {
    const { c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const self = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'alice', offer: { sdp: SDP_A } } });
    expect(self.status).toBe(400);
    const sessionId = await invite(alice, bob);
    const callerAnswer = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: SDP_A } });
    expect(callerAnswer.status).toBe(409);
    const callerRinging = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing' } });
    expect(callerRinging.status).toBe(409);
    const badStatus = await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Dancing' } });
    expect(badStatus.status).toBe(400);
    const earlyUpdate = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: SDP_A } });
    expect(earlyUpdate.status).toBe(409);
    // carol cannot see alice's session even with a valid token of her own
    const carol = await FakeClient.connect(alice.gateway, 'carol');
    clients.push(carol);
    expect((await carol.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(404);
  });

  it('ends an unanswered invitation after the ring timeout (Cancelled to callee, SessionEnded to caller)', async () => {
    const { g, c } = await setup({ ringTimeoutSeconds: 0.5 });
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await invite(alice, bob);
    await bob.event('Cancelled', sessionId, 3000);
    await alice.event('SessionEnded', sessionId, 3000);
    expect(g.sessions()).toEqual([]);
    expect(g.logs.some((entry) => entry.event === 'session.end' && entry.reason === 'no-answer')).toBe(true);
  });

  it('ends a call whose party lost its channel', async () => {
    const { g, c } = await setup();
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await connectCall(alice, bob);
    expect((await bob.api('DELETE', 'notificationchannel', `/channels/${bob.channelId}`)).status).toBe(204);
    await alice.event('SessionEnded', sessionId);
    expect(g.sessions()).toEqual([]);

    // Before answer: caller's channel disappears → the ringing callee gets Cancelled.
    const bob2 = await FakeClient.connect(g, 'bob');
    clients.push(bob2);
    const second = await invite(alice, bob2);
    expect((await alice.api('DELETE', 'notificationchannel', `/channels/${alice.channelId}`)).status).toBe(204);
    await bob2.event('Cancelled', second);
  });

  it('ends a connected call when a party stops auditing', async () => {
    const { g, c } = await setup({ auditTimeoutSeconds: 0.6 });
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await connectCall(alice, bob);
    await alice.event('SessionEnded', sessionId, 4000);
    await bob.event('SessionEnded', sessionId, 4000);
    expect(g.sessions()).toEqual([]);
  });

  it('ends a call whose re-offer is never answered', async () => {
    const { c } = await setup({ reofferTimeoutSeconds: 0.5 });
    const [alice, bob] = c as [FakeClient, FakeClient];
    const sessionId = await connectCall(alice, bob);
    expect((await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: SDP_A } })).status).toBe(204);
    await alice.event('SessionEnded', sessionId, 3000);
    await bob.event('SessionEnded', sessionId, 3000);
  });

  it('rings every subscribed device of the callee and stops the others on answer', async () => {
    const { c } = await setup({}, ['alice', 'bob', 'bob']);
    const [alice, bobDesk, bobLaptop] = c as [FakeClient, FakeClient, FakeClient];
    const created = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: SDP_A } } });
    const sessionId = String(created.json.wrtcsSession.resourceURL).split('sessions/')[1] ?? '';
    await bobDesk.nextNotification('wrtcsSessionInvitationNotification');
    await bobLaptop.nextNotification('wrtcsSessionInvitationNotification');
    const answer = await bobLaptop.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: bobLaptop.clientCorrelator, sdp: SDP_B } });
    expect(answer.status).toBe(204);
    await alice.nextNotification('wrtcsAcceptanceNotification');
    await bobDesk.event('Cancelled', sessionId);
    // Later notifications go only to the device in the call.
    expect((await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await bobLaptop.event('SessionEnded', sessionId);
    expect(bobDesk.notifications.some((n) => n.body.eventType === 'SessionEnded')).toBe(false);
  });
});
