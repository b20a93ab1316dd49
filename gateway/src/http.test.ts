import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SDP, http, login, startTestGateway, type TestGateway } from './test-support.ts';

const serviceError = (messageId: string, text: string, variables: string[]) => ({ requestError: { serviceException: { messageId, text, variables } } });

describe('HTTP errors and robustness', () => {
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ maxBodyBytes: 4096 });
    token = (await login(gateway, 'alice')).access_token;
  });
  afterAll(() => gateway.close());

  /** After every bad request the gateway must still answer a good one. */
  async function stillServes(): Promise<void> {
    const result = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token, body: { wrtcsTurnCredentials: { clientCorrelator: 'c' } } });
    expect(result.status).toBe(201);
    expect(result.json.wrtcsTurnCredentials).toMatchObject({ username: expect.stringContaining(':alice'), password: expect.any(String) });
  }

  it('serves a landing page and a health check without a token', async () => {
    const landing = await http(gateway, 'GET', '/');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('--ignore-certificate-errors-spki-list=');
    const health = await http(gateway, 'GET', '/healthz');
    expect(health.json).toEqual({ status: 'ok' });
  });

  it('answers malformed JSON with 400 SVC0001', async () => {
    const result = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/sessions', {
      token,
      body: '{"wrtcsSession": {',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(result.status).toBe(400);
    expect(result.json.requestError.serviceException.messageId).toBe('SVC0001');
    expect(result.json.requestError.serviceException.text).toBe('Malformed request body: %1');
    await stillServes();
  });

  it.each([
    ['an empty body', undefined, ['wrtcsSession', 'the request body is empty']],
    ['a JSON array', [1, 2], ['body', 'expected a JSON object']],
    ['a missing wrapper', { other: {} }, ['wrtcsSession', 'missing']],
    ['a missing address', { wrtcsSession: { offer: { sdp: FAKE_SDP } } }, ['tParticipantAddress', 'missing']],
    ['a numeric address', { wrtcsSession: { tParticipantAddress: 42, offer: { sdp: FAKE_SDP } } }, ['tParticipantAddress', 'expected a non-empty string']],
    ['a missing offer', { wrtcsSession: { tParticipantAddress: 'bob' } }, ['wrtcsSession.offer', 'missing']],
    ['a non-SDP offer', { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: 'hello' } } }, ['wrtcsSession.offer.sdp', 'not an SDP (must start with "v=0")']],
  ])('answers %s with 400 SVC0002 naming the message part', async (_name, body, variables) => {
    const result = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/sessions', { token, body });
    expect(result.status).toBe(400);
    expect(result.json).toEqual(serviceError('SVC0002', 'Invalid input value for message part %1: %2', variables));
    await stillServes();
  });

  it('answers an oversized body with 413 SVC0413 and keeps serving', async () => {
    const result = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/sessions', {
      token,
      body: { wrtcsSession: { tParticipantAddress: 'bob', offer: { sdp: `v=0\r\n${'a=x\r\n'.repeat(2000)}` } } },
    });
    expect(result.status).toBe(413);
    expect(result.json).toEqual(serviceError('SVC0413', 'Request body exceeds the limit of %1 bytes', ['4096']));
    const huge = await http(gateway, 'POST', '/cpaas/auth/v1/token', { body: Buffer.alloc(200_000, 0x61), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toBe('invalid_request');
    await stillServes();
  });

  it('answers unknown routes with 404 SVC0404 and wrong methods with 405 + Allow', async () => {
    const unknown = await http(gateway, 'GET', '/cpaas/nothing/here', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(serviceError('SVC0404', 'Resource not found: %1', ['GET /cpaas/nothing/here']));
    const badVersion = await http(gateway, 'POST', '/cpaas/webrtcsignaling/version1/alice/turn', { token, body: {} });
    expect(badVersion.status).toBe(404);
    const wrongMethod = await http(gateway, 'GET', '/cpaas/webrtcsignaling/v1/alice/sessions', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST, OPTIONS');
    expect(wrongMethod.json.requestError.serviceException.messageId).toBe('SVC0405');
    const tokenGet = await http(gateway, 'GET', '/cpaas/auth/v1/token');
    expect(tokenGet.status).toBe(405);
    await stillServes();
  });

  it('answers a missing or bad token with 401 and another user path with 403', async () => {
    const missing = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { body: {} });
    expect(missing.status).toBe(401);
    expect(missing.json.requestError.policyException.messageId).toBe('POL0001');
    const garbage = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { body: {}, headers: { Authorization: 'Basic YWxpY2U6eA==' } });
    expect(garbage.status).toBe(401);
    const other = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/bob/sessions', { token, body: {} });
    expect(other.status).toBe(403);
    expect(other.json).toEqual({
      requestError: { policyException: { messageId: 'POL0002', text: 'The access token does not grant access to the resources of user %1', variables: ['bob'] } },
    });
    await stillServes();
  });

  it('answers 404 for unknown sessions, channels and subscriptions', async () => {
    for (const [method, path, body] of [
      ['PUT', '/cpaas/webrtcsignaling/v1/alice/sessions/nope/status', { wrtcsSessionStatus: { status: 'Connected' } }],
      ['PUT', '/cpaas/webrtcsignaling/v1/alice/sessions/nope/answer', { wrtcsAnswer: { sdp: FAKE_SDP } }],
      ['PUT', '/cpaas/webrtcsignaling/v1/alice/sessions/nope/update', { wrtcsOffer: { sdp: FAKE_SDP } }],
      ['DELETE', '/cpaas/webrtcsignaling/v1/alice/sessions/nope', undefined],
      ['DELETE', '/cpaas/webrtcsignaling/v1/alice/subscriptions/nope', undefined],
      ['DELETE', '/cpaas/notificationchannel/v1/alice/channels/nope', undefined],
    ] as const) {
      const result = await http(gateway, method, path, { token, body });
      expect(result.status, `${method} ${path}`).toBe(404);
      expect(result.json.requestError.serviceException.messageId).toBe('SVC0404');
    }
    await stillServes();
  });

  it('answers CORS preflights and adds CORS headers to every response', async () => {
    const preflight = await http(gateway, 'OPTIONS', '/cpaas/webrtcsignaling/v1/alice/sessions', {
      headers: { Origin: 'http://127.0.0.1:5555', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5555');
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization,content-type');
    const error = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { body: {}, headers: { Origin: 'http://127.0.0.1:5555' } });
    expect(error.status).toBe(401);
    expect(error.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5555');
  });

  it('refuses everything with 503 during a simulated outage, then recovers', async () => {
    gateway.setRefuseConnections(true);
    try {
      const refused = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token, body: {} });
      expect(refused.status).toBe(503);
      expect(refused.json.requestError.serviceException.messageId).toBe('SVC0503');
      const tokenRefused = await http(gateway, 'POST', '/cpaas/auth/v1/token', { body: 'grant_type=password' });
      expect(tokenRefused.status).toBe(503);
      expect(tokenRefused.json.error).toBe('temporarily_unavailable');
    } finally {
      gateway.setRefuseConnections(false);
    }
    await stillServes();
  });

  it('survives a burst of garbage requests', async () => {
    const paths = ['/cpaas/webrtcsignaling/v1/alice/sessions', '/cpaas/notificationchannel/v1/alice/channels', '/cpaas/webrtcsignaling/v1/alice/subscriptions'];
    const bodies: unknown[] = ['null', '"text"', '[]', '{}', '{"wrtcsSession":null}', '{"notificationChannel":{"channelLifetime":-1}}', '\u0000\u0001', '{"wrtcsNotificationSubscription":{"callbackReference":{"notifyURL":"x"}}}'];
    const results = await Promise.all(
      paths.flatMap((path) => bodies.map((body) => http(gateway, 'POST', path, { token, body: String(body), headers: { 'Content-Type': 'application/json' } }))),
    );
    for (const result of results) {
      expect(result.status).toBe(400);
      expect(result.json.requestError.serviceException.messageId).toMatch(/^SVC000[12]$/);
    }
    await stillServes();
  });
});
