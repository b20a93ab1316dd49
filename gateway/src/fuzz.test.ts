/** Random bodies, paths and dial strings against a live gateway: every answer is a well-formed error or success, and it keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { http, login, startTestGateway, type TestGateway } from './test-support.ts';

const PATHS = [
  '/cpaas/webrtcsignaling/v1/alice/sessions',
  '/cpaas/webrtcsignaling/v1/alice/subscriptions',
  '/cpaas/notificationchannel/v1/alice/channels',
  '/cpaas/webrtcsignaling/v1/alice/sessions/unknown/status',
  '/cpaas/webrtcsignaling/v1/alice/sessions/unknown/answer',
  '/cpaas/auth/v1/token',
];

function wellFormed(status: number, json: unknown): boolean {
  if (status >= 200 && status < 300) return true;
  const body = json as { requestError?: { serviceException?: { messageId?: string }; policyException?: { messageId?: string } }; error?: string } | undefined;
  const exception = body?.requestError?.serviceException ?? body?.requestError?.policyException;
  return typeof exception?.messageId === 'string' || typeof body?.error === 'string';
}

describe('gateway under fuzzing', () => {
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    // The echo line would answer some dial strings; this suite checks that nothing else does.
    gateway = await startTestGateway({ echoLine: false });
    token = (await login(gateway, 'alice')).access_token;
  });
  afterAll(() => gateway.close());

  it('answers random JSON on every route with a clear status and body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.constantFrom('POST', 'PUT', 'DELETE'), fc.jsonValue({ maxDepth: 4 }), async (path, method, body) => {
        const result = await http(gateway, method, path, { token, body: body as never });
        expect(result.status).toBeGreaterThanOrEqual(200);
        expect(result.status).toBeLessThan(500);
        expect(wellFormed(result.status, result.json), `${method} ${path} → ${result.status} ${result.text.slice(0, 200)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(gateway.sessions().filter((session) => session.state !== 'ended')).toEqual([]);
  }, 60_000);

  it('routes or rejects random dial strings without leaving a session behind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[+0-9 ().\-x]{1,25}$/), fc.constant('sip:@'), fc.constant('tel:')), async (address) => {
        const result = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/sessions', {
          token,
          body: { wrtcsSession: { clientCorrelator: 'fuzz', tParticipantAddress: address, offer: { sdp: 'v=0\r\n' } } },
        });
        // Nobody but alice is subscribed, so no dial string may create a session.
        expect(result.status).toBeGreaterThanOrEqual(400);
        expect(result.status).toBeLessThan(500);
        expect(wellFormed(result.status, result.json)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(gateway.sessions()).toEqual([]);
    const health = await http(gateway, 'GET', '/healthz');
    expect(health.status).toBe(200);
  }, 60_000);
});
