/** Nothing secret reaches the gateway's log lines: no password, access token, refresh token or id token. */
import { describe, expect, it } from 'vitest';
import { FakeClient, http, PASSWORDS, startTestGateway } from './test-support.ts';

describe('log privacy', () => {
  it('logs sign-ins, websocket opens (token in the URL), refreshes, refused tokens and failed grants without any credential', async () => {
    const gatewayWithLogs = await startTestGateway();
    try {
      const alice = await FakeClient.connect(gatewayWithLogs, 'alice');
      const bob = await FakeClient.connect(gatewayWithLogs, 'bob');
      const refreshed = await http(gatewayWithLogs, 'POST', '/cpaas/auth/v1/token', {
        body: `grant_type=refresh_token&client_id=kandy-click-to-call-demo&refresh_token=${encodeURIComponent(alice.tokens.refresh_token ?? '')}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(refreshed.status).toBe(200);
      const wrong = await http(gatewayWithLogs, 'POST', '/cpaas/auth/v1/token', {
        body: 'grant_type=password&client_id=kandy-click-to-call-demo&username=alice&password=not-the-secret-hunter2',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(wrong.status).toBeGreaterThanOrEqual(400);
      const refused = await http(gatewayWithLogs, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token: 'forged-token-abcdef123456', body: {} });
      expect(refused.status).toBe(401);

      const secrets = [
        PASSWORDS.alice,
        PASSWORDS.bob,
        'not-the-secret-hunter2',
        'forged-token-abcdef123456',
        alice.tokens.access_token,
        alice.tokens.refresh_token,
        alice.tokens.id_token,
        bob.tokens.access_token,
        refreshed.json.access_token,
        refreshed.json.refresh_token,
      ].filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
      const logged = JSON.stringify(gatewayWithLogs.logs);
      expect(gatewayWithLogs.logs.length).toBeGreaterThan(5);
      for (const secret of secrets) expect(logged.includes(secret), `a secret (${secret.slice(0, 6)}…) is in the log`).toBe(false);
      alice.ws?.close();
      bob.ws?.close();
    } finally {
      await gatewayWithLogs.close();
    }
  });
});
