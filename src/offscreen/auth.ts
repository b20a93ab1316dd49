/** The OAuth token endpoint of a Kandy CPaaS server (and of the local gateway). */

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** Seconds the access token lives, as the server said. */
  expiresIn: number;
}

export interface ServerAddress {
  host: string;
  port: number;
}

export type Grant =
  | { grant: 'password'; clientId: string; username: string; password: string }
  | { grant: 'refresh_token'; clientId: string; refreshToken: string };

/** A failure worded for the user: the server's own reason where it gave one. */
export class SignInError extends Error {
  constructor(message: string, readonly kind: 'rejected' | 'unreachable' | 'protocol') {
    super(message);
  }
}

export function tokenUrl(server: ServerAddress): string {
  return `https://${server.host}:${server.port}/cpaas/auth/v1/token`;
}

function formFor(grant: Grant): URLSearchParams {
  const form = new URLSearchParams({ client_id: grant.clientId, grant_type: grant.grant, scope: 'openid' });
  if (grant.grant === 'password') {
    form.set('username', grant.username);
    form.set('password', grant.password);
  } else {
    form.set('refresh_token', grant.refreshToken);
  }
  return form;
}

export async function requestTokens(server: ServerAddress, grant: Grant, fetchImpl: typeof fetch = fetch): Promise<Tokens> {
  let response: Response;
  try {
    response = await fetchImpl(tokenUrl(server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: formFor(grant),
    });
  } catch {
    throw new SignInError(`Cannot reach the Kandy server at ${server.host}:${server.port} (unreachable, or its certificate is not trusted).`, 'unreachable');
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    const reason = typeof body?.error_description === 'string' ? body.error_description : typeof body?.error === 'string' ? body.error : response.statusText;
    throw new SignInError(`Sign-in refused: ${reason || `HTTP ${response.status}`}`, 'rejected');
  }
  const accessToken = body?.access_token;
  const idToken = body?.id_token;
  if (typeof accessToken !== 'string' || typeof idToken !== 'string') {
    throw new SignInError('The server answered without the tokens a Kandy server sends.', 'protocol');
  }
  return {
    accessToken,
    idToken,
    ...(typeof body?.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresIn: Number(body?.expires_in ?? 3600),
  };
}

/** When to renew: well before expiry, but never in a tight loop. */
export function refreshDelayMs(expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return Math.max(1000, Math.min(lifetimeMs * 0.8, lifetimeMs - 30_000));
}

/** The user identity the id token names (the SDK reads the same claim). */
export function identityFromIdToken(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const identity = json['services-identity'] ?? json.preferred_username;
    return typeof identity === 'string' ? identity : undefined;
  } catch {
    return undefined;
  }
}
