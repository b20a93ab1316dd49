import { describe, expect, it } from 'vitest';
import { requestTokens, SignInError } from './auth';

const SERVER = { host: 'kandy.test', port: 8443 };
const GRANT = { grant: 'refresh_token', clientId: 'c', refreshToken: 'rt-x' } as const;
const answering = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failure(fetchImpl: typeof fetch): Promise<SignInError> {
  const error = await requestTokens(SERVER, GRANT, fetchImpl).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

describe('requestTokens', () => {
  it('reports a refused grant as rejected, with the server’s reason', async () => {
    const error = await failure(answering(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or has expired; sign in again.' }));
    expect(error.kind).toBe('rejected');
    expect(error.detail).toBe('The refresh token is invalid or has expired; sign in again.');
  });

  it('reports a server outage (5xx) or throttling (429) as unreachable, so a refresh is retried instead of signing out', async () => {
    for (const status of [500, 502, 503, 429]) {
      const error = await failure(answering(status, { error: 'temporarily_unavailable', error_description: 'simulated outage' }));
      expect(error.kind, `HTTP ${status}`).toBe('unreachable');
      expect(error.detail).toBe('kandy.test:8443');
      expect(error.message).toContain('simulated outage');
    }
  });
});
