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
  /**
   * @param detail the server's own reason (rejected) or the address that could not be reached
   *   (unreachable), for pages that word the message in the user's language.
   */
  constructor(
    message: string,
    readonly kind: 'rejected' | 'unreachable' | 'protocol',
    readonly detail?: string,
  ) {
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
    throw new SignInError(`Cannot reach the Kandy server at ${server.host}:${server.port} (unreachable, or its certificate is not trusted).`, 'unreachable', `${server.host}:${server.port}`);
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    const reason = typeof body?.error_description === 'string' ? body.error_description : typeof body?.error === 'string' ? body.error : response.statusText;
    const detail = reason || `HTTP ${response.status}`;
    // An overloaded or restarting server (5xx, 429) has not refused the user: treating it as a
    // refusal would sign the user out whenever a token refresh met an outage. Try again later.
    if (response.status >= 500 || response.status === 429) {
      throw new SignInError(`The Kandy server at ${server.host}:${server.port} is not available right now (${detail}).`, 'unreachable', `${server.host}:${server.port}`);
    }
    throw new SignInError(`Sign-in refused: ${detail}`, 'rejected', detail);
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

/** When to renew: at 80 % of the lifetime, leaving time to retry if the server is briefly away; never in a tight loop. */
export function refreshDelayMs(expiresInSeconds: number): number {
  return Math.max(1000, expiresInSeconds * 1000 * 0.8);
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
