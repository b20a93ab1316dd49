/** Blind transfer (POST …/sessions/{id}/transfer) and call waiting (maxCallsPerUser), over real HTTP and websockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_SDP, FakeClient, sessionIdOf, sleep, startTestGateway, type TestGateway } from './test-support.ts';

const sdp = (who: string) => `${FAKE_SDP}a=x-from:${who}\r\n`;

describe('blind transfer and call waiting', () => {
  let gateway: TestGateway | undefined;
  const clients: FakeClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await gateway?.close();
    gateway = undefined;
  });

  async function setup(options: Parameters<typeof startTestGateway>[0] = {}) {
    gateway = await startTestGateway(options);
    const g = gateway;
    const [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((user) => FakeClient.connect(g, user)))) as [FakeClient, FakeClient, FakeClient];
    clients.push(alice, bob, carol);
    return { g, alice, bob, carol };
  }

  async function connect(caller: FakeClient, callee: FakeClient): Promise<string> {
    const created = await caller.api('POST', 'webrtcsignaling', '/sessions', {
      wrtcsSession: { clientCorrelator: caller.clientCorrelator, tParticipantAddress: callee.username, offer: { sdp: sdp(caller.username) } },
    });
    expect(created.status, created.text).toBe(201);
    const sessionId = String(created.json.wrtcsSession.resourceURL).split('sessions/')[1] ?? '';
    await callee.nextNotification('wrtcsSessionInvitationNotification', (body) => sessionIdOf(body) === sessionId);
    expect((await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing' } })).status).toBe(200);
    const answer = await callee.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: callee.clientCorrelator, sdp: sdp(callee.username) } });
    expect(answer.status).toBe(204);
    await caller.nextNotification('wrtcsAcceptanceNotification', (body) => sessionIdOf(body) === sessionId);
    return sessionId;
  }

  const transfer = (from: FakeClient, sessionId: string, to: string) =>
    from.api('POST', 'webrtcsignaling', `/sessions/${sessionId}/transfer`, { wrtcsTransfer: { tParticipantAddress: to, clientCorrelator: from.clientCorrelator } });

  it('hands the other party to the destination: slow-start offer, invitation, answer notification', async () => {
    const { g, alice, bob, carol } = await setup();
    const sessionId = await connect(alice, bob);

    const accepted = await transfer(alice, sessionId, '+1 (415) 555-0102');
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.json).toEqual({ wrtcsTransfer: { tParticipantAddress: '+1 (415) 555-0102', transferTarget: 'sip:carol@kandy.example' } });
    await alice.event('SessionEnded', sessionId);
    expect(g.sessions()).toMatchObject([{ id: sessionId, state: 'initiated', caller: 'bob', callee: 'carol', transferredBy: 'alice' }]);

    // bob's SDK is asked for a fresh offer (no SDP = slow start) and answers with it on /answer.
    const slowStart = await bob.nextNotification('wrtcsOfferNotification', (body) => sessionIdOf(body) === sessionId);
    expect(slowStart.offer).toEqual({});
    expect((await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: sdp('bob-fresh') } })).status).toBe(204);

    const invitation = await carol.nextNotification('wrtcsSessionInvitationNotification', (body) => sessionIdOf(body) === sessionId);
    expect(invitation).toMatchObject({
      offer: { sdp: sdp('bob-fresh') },
      originatorAddress: 'sip:bob@kandy.example',
      originatorName: 'Bob Demo',
      link: [{ href: `/cpaas/webrtcsignaling/v1/carol/sessions/${sessionId}`, rel: 'WebrtcSession' }],
    });
    expect((await carol.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing' } })).json).toEqual({ wrtcsSessionStatus: { status: 'Ringing' } });
    // bob's own call is still connected while carol rings, and he is not told "Ringing" (his SDK would reject it).
    expect((await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Connected' } })).json).toEqual({ wrtcsSessionStatus: { status: 'Connected' } });

    expect((await carol.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: sdp('carol') } })).status).toBe(204);
    const answer = await bob.nextNotification('wrtcsAnswerNotification', (body) => sessionIdOf(body) === sessionId);
    expect(answer.answer).toEqual({ sdp: sdp('carol') });
    expect(bob.notifications.some((n) => n.type === 'wrtcsAcceptanceNotification' && sessionIdOf(n.body) === sessionId)).toBe(false);
    expect(bob.notifications.some((n) => n.type === 'wrtcsEventNotification' && n.body.eventType === 'Ringing')).toBe(false);
    expect(g.sessions()).toMatchObject([{ id: sessionId, state: 'connected', caller: 'bob', callee: 'carol', transferredBy: undefined }]);

    // alice is out: her late requests hear that the session has ended, a DELETE is harmless.
    const late = await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Connected' } });
    expect(late.status).toBe(404);
    expect(late.json.requestError.serviceException.text).toMatch(/has ended/);
    expect((await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    expect(g.sessions()).toHaveLength(1);

    // The new call is an ordinary call: carol hangs up, bob hears it.
    expect((await carol.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await bob.event('SessionEnded', sessionId);
    expect(g.sessions()).toHaveLength(0);
  });

  it('ends the transferee’s call when the destination declines', async () => {
    const { g, alice, bob, carol } = await setup();
    const sessionId = await connect(alice, bob);
    expect((await transfer(bob, sessionId, 'carol')).status).toBe(202);
    await bob.event('SessionEnded', sessionId);
    await alice.nextNotification('wrtcsOfferNotification', (body) => sessionIdOf(body) === sessionId);
    await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/answer`, { wrtcsAnswer: { sdp: sdp('alice-fresh') } });
    await carol.nextNotification('wrtcsSessionInvitationNotification', (body) => sessionIdOf(body) === sessionId);
    expect((await carol.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`)).status).toBe(204);
    await alice.event('SessionEnded', sessionId);
    expect(g.sessions()).toHaveLength(0);
  });

  it('ends the call if the transferee never makes its offer', async () => {
    const { g, alice, bob } = await setup({ reofferTimeoutSeconds: 0.3 });
    const sessionId = await connect(alice, bob);
    expect((await transfer(alice, sessionId, 'carol')).status).toBe(202);
    await bob.nextNotification('wrtcsOfferNotification', (body) => sessionIdOf(body) === sessionId);
    await bob.event('SessionEnded', sessionId, 3000);
    expect(g.sessions()).toHaveLength(0);
  });

  it('refuses transfers it cannot carry out and leaves the call as it was', async () => {
    const { g, alice, bob, carol } = await setup();
    const sessionId = await connect(alice, bob);
    const unknown = await transfer(alice, sessionId, 'mallory');
    expect(unknown.status).toBe(404);
    expect(unknown.json.requestError.serviceException.messageId).toBe('SVC0004');
    expect((await transfer(alice, sessionId, 'bob')).status).toBe(400);
    expect((await transfer(alice, sessionId, 'sip:alice@kandy.example')).status).toBe(400);
    expect((await alice.api('POST', 'webrtcsignaling', `/sessions/${sessionId}/transfer`, { wrong: {} })).status).toBe(400);
    expect((await carol.api('POST', 'webrtcsignaling', `/sessions/${sessionId}/transfer`, { wrtcsTransfer: { tParticipantAddress: 'alice' } })).status).toBe(404);
    // Not while a re-offer is pending.
    await alice.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/update`, { wrtcsOffer: { sdp: sdp('alice-hold') } });
    expect((await transfer(alice, sessionId, 'carol')).status).toBe(491);
    expect(g.sessions()).toMatchObject([{ id: sessionId, state: 'connected', caller: 'alice', callee: 'bob' }]);
    await sleep(10);
    expect(carol.notifications.filter((n) => n.type === 'wrtcsSessionInvitationNotification')).toHaveLength(0);
  });

  it('refuses to transfer a call that has not been answered', async () => {
    const { alice, bob } = await setup();
    const created = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: sdp('alice') } } });
    const sessionId = String(created.json.wrtcsSession.resourceURL).split('sessions/')[1] ?? '';
    await bob.nextNotification('wrtcsSessionInvitationNotification');
    expect((await transfer(alice, sessionId, 'carol')).status).toBe(409);
  });

  it('lets a user in a call take a second call when maxCallsPerUser is 2, and no third', async () => {
    const { g, alice, bob, carol } = await setup({ maxCallsPerUser: 2 });
    await connect(alice, bob);
    const second = await connect(carol, bob);
    expect(g.sessions()).toHaveLength(2);
    const third = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: sdp('alice') } } });
    expect(third.status).toBe(486);
    expect((await carol.api('DELETE', 'webrtcsignaling', `/sessions/${second}`)).status).toBe(204);
    await bob.event('SessionEnded', second);
  });

  it('keeps a busy callee busy by default', async () => {
    const { alice, bob, carol } = await setup();
    await connect(alice, bob);
    const busy = await carol.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: sdp('carol') } } });
    expect(busy.status).toBe(486);
  });
});
