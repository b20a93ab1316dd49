import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, decodeJwtPayload, http, login, sleep, startTestGateway, type TestGateway } from './test-support.ts';

const TOKEN_PATH = '/cpaas/auth/v1/token';
const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

describe('token endpoint', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  /** After every refusal the gateway must still issue tokens. */
  async function stillServes(): Promise<void> {
    const tokens = await login(gateway, 'carol');
    expect(tokens.access_token).toMatch(/^at-/);
  }

  it('issues tokens for the password grant (form-urlencoded)', async () => {
    const result = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'password', client_id: CLIENT_ID, username: 'alice', password: 'alice-demo-password', scope: 'openid' }));
    expect(result.status).toBe(200);
    expect(result.headers['cache-control']).toBe('no-store');
    expect(result.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid' });
    expect(typeof result.json.access_token).toBe('string');
    expect(typeof result.json.refresh_token).toBe('string');
    const claims = decodeJwtPayload(result.json.id_token);
    expect(claims).toMatchObject({
      preferred_username: 'alice',
      'services-identity': 'alice@kandy.example',
      aud: CLIENT_ID,
      name: 'Alice Demo',
      phone_number: '+14155550100',
    });
    expect(result.json.id_token.split('.')).toHaveLength(3);
  });

  it('accepts a JSON body too, and a case-insensitive user name', async () => {
    const result = await http(gateway, 'POST', TOKEN_PATH, { body: { grant_type: 'password', client_id: CLIENT_ID, username: 'Bob', password: 'bob-demo-password' } });
    expect(result.status).toBe(200);
    expect(decodeJwtPayload(result.json.id_token).preferred_username).toBe('bob');
  });

  it.each([
    ['wrong password', { username: 'alice', password: 'nope' }, 400, 'invalid_grant', 'Invalid username or password.'],
    ['unknown user', { username: 'mallory', password: 'x' }, 400, 'invalid_grant', 'Invalid username or password.'],
    ['missing password', { username: 'alice' }, 400, 'invalid_request', 'Missing parameter username or password.'],
  ])('refuses %s with an OAuth error', async (_name, fields, status, error, description) => {
    const result = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'password', client_id: CLIENT_ID, ...fields }));
    expect(result.status).toBe(status);
    expect(result.json).toEqual({ error, error_description: description });
    await stillServes();
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    const result = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'password', client_id: 'evil-app', username: 'alice', password: 'alice-demo-password' }));
    expect(result.status).toBe(401);
    expect(result.json).toEqual({ error: 'invalid_client', error_description: 'Unknown client_id "evil-app".' });
    await stillServes();
  });

  it('refuses a missing or unsupported grant type', async () => {
    const missing = await http(gateway, 'POST', TOKEN_PATH, form({ client_id: CLIENT_ID }));
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe('invalid_request');
    const unsupported = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'client_credentials', client_id: CLIENT_ID }));
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.error).toBe('unsupported_grant_type');
    const badJson = await http(gateway, 'POST', TOKEN_PATH, { body: '{"grant_type":', headers: { 'Content-Type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toEqual({ error: 'invalid_request', error_description: 'The request body is not valid JSON.' });
    await stillServes();
  });

  it('renews tokens with the refresh_token grant', async () => {
    const first = await login(gateway, 'alice');
    const renewed = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: first.refresh_token }));
    expect(renewed.status).toBe(200);
    expect(renewed.json.access_token).not.toBe(first.access_token);
    expect(decodeJwtPayload(renewed.json.id_token).preferred_username).toBe('alice');
    const works = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token: renewed.json.access_token, body: { wrtcsTurnCredentials: {} } });
    expect(works.status).toBe(201);

    const bogus = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'rt-bogus' }));
    expect(bogus.status).toBe(400);
    expect(bogus.json).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is invalid or has expired; sign in again.' });
  });

  it('answers expireAllTokens with 401 policyException on REST, and refresh still works', async () => {
    const tokens = await login(gateway, 'bob');
    gateway.expireAllTokens();
    const refused = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/bob/turn', { token: tokens.access_token, body: {} });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('invalid_token');
    expect(refused.json).toEqual({
      requestError: {
        policyException: {
          messageId: 'POL0001',
          text: 'Authentication failed: %1',
          variables: ['the access token has expired; fetch a new one with the refresh_token grant'],
        },
      },
    });
    const renewed = await http(gateway, 'POST', TOKEN_PATH, form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }));
    expect(renewed.status).toBe(200);
    const works = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/bob/turn', { token: renewed.json.access_token, body: {} });
    expect(works.status).toBe(201);
  });
});

describe('token lifetime', () => {
  it('expires access tokens after tokenTtlSeconds', async () => {
    const gateway = await startTestGateway({ tokenTtlSeconds: 0.4 });
    try {
      const tokens = await login(gateway, 'alice');
      expect(tokens.expires_in).toBe(1);
      const fresh = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token: tokens.access_token, body: {} });
      expect(fresh.status).toBe(201);
      await sleep(600);
      const stale = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token: tokens.access_token, body: {} });
      expect(stale.status).toBe(401);
      expect(stale.json.requestError.policyException.variables[0]).toMatch(/expired/);
      const unknown = await http(gateway, 'POST', '/cpaas/webrtcsignaling/v1/alice/turn', { token: 'at-made-up', body: {} });
      expect(unknown.status).toBe(401);
      expect(unknown.json.requestError.policyException.variables).toEqual(['the access token is not valid']);
    } finally {
      await gateway.close();
    }
  });
});
