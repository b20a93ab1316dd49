import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_SDP, FakeClient, http, login, sessionIdOf, sleep, socketStatus, startTestGateway, type TestGateway } from './test-support.ts';

describe('notification channels and websockets', () => {
  let gateway: TestGateway | undefined;
  const clients: FakeClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await gateway?.close();
    gateway = undefined;
  });

  async function start(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
    gateway = await startTestGateway(options);
    return gateway;
  }
  async function connect(g: TestGateway, user: string, options?: Parameters<typeof FakeClient.connect>[2]): Promise<FakeClient> {
    const client = await FakeClient.connect(g, user, options);
    clients.push(client);
    return client;
  }

  it('creates a channel in the shape the SDK needs', async () => {
    const g = await start();
    const { access_token: token } = await login(g, 'alice');
    const result = await http(g, 'POST', '/cpaas/notificationchannel/v1/alice/channels', {
      token,
      body: { notificationChannel: { channelType: 'Websockets', clientCorrelator: 'corr-1', 'x-connCheckRole': 'client', channelLifetime: 600 } },
    });
    expect(result.status).toBe(201);
    const channel = result.json.notificationChannel;
    expect(channel.channelType).toBe('websockets');
    expect(channel.resourceURL).toMatch(/^\/cpaas\/notificationchannel\/v1\/alice\/channels\/[\w-]+$/);
    expect(channel.channelData.channelURL).toBe(`${channel.resourceURL}/websocket`);
    expect(typeof channel.callbackURL).toBe('string');
    expect(channel).toMatchObject({ channelLifetime: 600, clientCorrelator: 'corr-1' });
    expect(result.headers.location).toBe(channel.resourceURL);

    const lifetime = await http(g, 'PUT', `${channel.resourceURL}/channelLifetime`, { token, body: { notificationChannelLifetime: { channelLifetime: 1200 } } });
    expect(lifetime.status).toBe(200);
    expect(lifetime.json).toEqual({ notificationChannelLifetime: { channelLifetime: 1200 } });

    const bad = await http(g, 'POST', '/cpaas/notificationchannel/v1/alice/channels', { token, body: { notificationChannel: { channelType: 'LongPolling' } } });
    expect(bad.status).toBe(400);
  });

  it('answers connCheck with connAck', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    alice.ws?.send(JSON.stringify({ connCheck: { interval: 30 } }));
    await alice.waitFor(() => alice.frames.find((frame) => JSON.stringify(frame) === '{"connAck":{}}'), 'connAck');
    // Garbage frames are ignored, the socket stays usable.
    alice.ws?.send('not json');
    alice.ws?.send(Buffer.from([1, 2, 3]));
    alice.ws?.send(JSON.stringify({ message_type: 'ping' }));
    alice.ws?.send(JSON.stringify({ connCheck: { interval: 30 } }));
    await alice.waitFor(() => (alice.frames.filter((frame) => JSON.stringify(frame) === '{"connAck":{}}').length === 2 ? true : undefined), 'second connAck');
  });

  it('sends connCheck itself when the client asked for server-side checks', async () => {
    const g = await start({ serverConnCheckIntervalSeconds: 0.2 });
    const alice = await connect(g, 'alice', { connCheckRole: 'server' });
    const check = await alice.waitFor(() => alice.frames.find((frame) => typeof frame === 'object' && frame !== null && 'connCheck' in frame), 'server connCheck');
    expect(check).toEqual({ connCheck: { interval: 1 } });
    alice.ws?.send(JSON.stringify({ connAck: {} }));
  });

  it('refuses websocket upgrades with bad tokens, foreign or unknown channels, and during an outage', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    const bob = await login(g, 'bob');
    expect(await socketStatus(g, `${alice.channelURL}?access_token=bogus`)).toBe(401);
    expect(await socketStatus(g, alice.channelURL)).toBe(401);
    expect(await socketStatus(g, `${alice.channelURL}?access_token=${bob.access_token}`)).toBe(403);
    expect(await socketStatus(g, `/cpaas/notificationchannel/v1/alice/channels/nope/websocket?access_token=${alice.token}`)).toBe(404);
    expect(await socketStatus(g, `/elsewhere?access_token=${alice.token}`)).toBe(404);
    g.setRefuseConnections(true);
    expect(await socketStatus(g, `${alice.channelURL}?access_token=${alice.token}`)).toBe(503);
    g.setRefuseConnections(false);
    g.expireAllTokens();
    expect(await socketStatus(g, `${alice.channelURL}?access_token=${alice.token}`)).toBe(401);
  });

  it('keeps the channel across a server-side drop and re-sends what was queued meanwhile', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    const bob = await connect(g, 'bob');
    g.dropWebSockets();
    await sleep(50);
    expect(g.channels().every((channel) => !channel.connected)).toBe(true);

    // Bob is offline at the socket level but still subscribed: the invitation is queued.
    const created = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: FAKE_SDP } } });
    expect(created.status).toBe(201);
    expect(g.channels().find((channel) => channel.user === 'bob')?.queued).toBe(1);

    await bob.openSocket();
    const invitation = await bob.nextNotification('wrtcsSessionInvitationNotification');
    const sessionId = sessionIdOf(invitation);
    expect(g.channels().find((channel) => channel.user === 'bob')).toMatchObject({ connected: true, connects: 2, queued: 0 });

    // A reconnect within the resend window sends recent notifications again, with the same ids (the SDK drops duplicates).
    const before = bob.frames.length;
    bob.ws?.terminate();
    await sleep(50);
    await bob.openSocket();
    await bob.waitFor(() => (bob.frames.length > before ? true : undefined), 'resent invitation');
    const resent = bob.frames.slice(before) as Array<Record<string, { id: string }>>;
    expect(resent[0]?.wrtcsSessionInvitationNotification?.id).toBe(invitation.id);

    const ringing = await bob.api('PUT', 'webrtcsignaling', `/sessions/${sessionId}/status`, { wrtcsSessionStatus: { status: 'Ringing' } });
    expect(ringing.status).toBe(200);
    await alice.openSocket();
    await alice.event('Ringing', sessionId);
  });

  it('holds websocket upgrades until released, and then connects them', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    g.dropWebSockets();
    const release = g.holdWebSocketUpgrades();
    let opened = false;
    const reconnect = alice.openSocket().then(() => (opened = true));
    await sleep(150);
    expect(opened).toBe(false);
    expect(g.channels()[0]?.connected).toBe(false);
    release();
    await reconnect;
    expect(g.channels()[0]).toMatchObject({ connected: true, connects: 2 });
  });

  it('deletes channels on request: socket closed, subscription gone, calls to that user refused', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    const bob = await connect(g, 'bob');
    const closed = new Promise<number>((resolve) => bob.ws?.once('close', (code) => resolve(code)));
    const deleted = await bob.api('DELETE', 'notificationchannel', `/channels/${bob.channelId}`);
    expect(deleted.status).toBe(204);
    expect(await closed).toBe(1000);
    expect(g.channels().map((channel) => channel.user)).toEqual(['alice']);
    const call = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: FAKE_SDP } } });
    expect(call.status).toBe(480);
    expect(call.statusText).toBe('Temporarily Unavailable');
    expect(call.json.requestError.serviceException.messageId).toBe('SVC0480');
  });

  it('removes channels that stay without a socket', async () => {
    const g = await start({ channelIdleTimeoutSeconds: 0.5 });
    const alice = await connect(g, 'alice');
    alice.close();
    await alice.waitFor(() => (g.channels().length === 0 ? true : undefined), 'idle channel removal', 4000);
    expect(g.logs.some((entry) => entry.event === 'channel.remove' && entry.reason === 'idle')).toBe(true);
  });

  it('unsubscribes the call service', async () => {
    const g = await start();
    const alice = await connect(g, 'alice');
    const bob = await connect(g, 'bob');
    const result = await bob.api('DELETE', 'webrtcsignaling', `/subscriptions/${bob.subscriptionId}`);
    expect(result.status).toBe(204);
    const again = await bob.api('DELETE', 'webrtcsignaling', `/subscriptions/${bob.subscriptionId}`);
    expect(again.status).toBe(404);
    const call = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: FAKE_SDP } } });
    expect(call.status).toBe(480);
  });
});
