/**
 * OAuth-style tokens for the gateway: the password and refresh_token grants of POST /cpaas/auth/v1/token,
 * and bearer-token checks for REST and the websocket.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Directory, UserRecord } from './directory.ts';
import { OAuthError, errors } from './errors.ts';

export interface TokenResponse {
  access_token: string;
  id_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
  scope: string;
}

export interface AccessGrant {
  username: string;
  clientId: string;
  expiresAt: number;
}

interface RefreshGrant {
  username: string;
  clientId: string;
  expiresAt: number;
}

export interface TokenServiceOptions {
  tokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** `iss` of the id token. */
  issuer: string;
  now?: () => number;
  /** Told every token it issues (tests check that no log shows one). */
  onSecret?: (secret: string) => void;
}

/** Expired tokens are remembered this long, so a client is told "expired" rather than "unknown". */
const EXPIRED_MEMORY_MS = 3600_000;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenService {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly signingKey = randomBytes(32);
  private readonly now: () => number;

  constructor(
    private readonly directory: Directory,
    private readonly options: TokenServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Handles a token request's parameters (already decoded from form or JSON). Throws OAuthError. */
  grant(params: Record<string, string>): { response: TokenResponse; username: string; grantType: string } {
    const grantType = params.grant_type;
    if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing parameter grant_type (use "password" or "refresh_token").');
    if (grantType === 'password') return { ...this.passwordGrant(params), grantType };
    if (grantType === 'refresh_token') return { ...this.refreshGrant(params), grantType };
    throw new OAuthError(400, 'unsupported_grant_type', `Grant type "${grantType}" is not supported (use "password" or "refresh_token").`);
  }

  private checkClient(clientId: string | undefined): string {
    if (!clientId) throw new OAuthError(400, 'invalid_request', 'Missing parameter client_id.');
    if (!this.directory.isClientAllowed(clientId)) throw new OAuthError(401, 'invalid_client', `Unknown client_id "${clientId}".`);
    return clientId;
  }

  private passwordGrant(params: Record<string, string>): { response: TokenResponse; username: string } {
    const clientId = this.checkClient(params.client_id);
    const { username, password } = params;
    if (!username || !password) throw new OAuthError(400, 'invalid_request', 'Missing parameter username or password.');
    const user = this.directory.authenticate(username, password);
    if (!user) throw new OAuthError(400, 'invalid_grant', 'Invalid username or password.');
    const refreshToken = `rt-${randomBytes(24).toString('base64url')}`;
    this.refresh.set(refreshToken, { username: user.username, clientId, expiresAt: this.now() + this.options.refreshTokenTtlSeconds * 1000 });
    return { response: this.issue(user, clientId, refreshToken), username: user.username };
  }

  private refreshGrant(params: Record<string, string>): { response: TokenResponse; username: string } {
    const token = params.refresh_token;
    if (!token) throw new OAuthError(400, 'invalid_request', 'Missing parameter refresh_token.');
    if (params.client_id !== undefined) this.checkClient(params.client_id);
    const grant = this.refresh.get(token);
    if (!grant || grant.expiresAt <= this.now()) throw new OAuthError(400, 'invalid_grant', 'The refresh token is invalid or has expired; sign in again.');
    if (params.client_id !== undefined && params.client_id !== grant.clientId) {
      throw new OAuthError(400, 'invalid_grant', 'The refresh token was issued to another client.');
    }
    const user = this.directory.byUsername(grant.username);
    if (!user) throw new OAuthError(400, 'invalid_grant', 'The user of this refresh token no longer exists.');
    // The refresh token is not rotated: it stays valid until its own expiry.
    return { response: this.issue(user, grant.clientId, token), username: user.username };
  }

  private issue(user: UserRecord, clientId: string, refreshToken: string): TokenResponse {
    const now = this.now();
    const ttlMs = this.options.tokenTtlSeconds * 1000;
    const accessToken = `at-${randomBytes(24).toString('base64url')}`;
    this.access.set(accessToken, { username: user.username, clientId, expiresAt: now + ttlMs });
    const refreshGrant = this.refresh.get(refreshToken);
    const idToken = this.idToken(user, clientId, now, ttlMs);
    for (const secret of [accessToken, idToken, refreshToken]) this.options.onSecret?.(secret);
    return {
      access_token: accessToken,
      id_token: idToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.round(this.options.tokenTtlSeconds)),
      refresh_expires_in: Math.max(0, Math.round(((refreshGrant?.expiresAt ?? now) - now) / 1000)),
      scope: 'openid',
    };
  }

  /** A JWT (HS256 with a per-process key; the SDK only base64-decodes the payload). */
  private idToken(user: UserRecord, clientId: string, now: number, ttlMs: number): string {
    const header = b64url({ alg: 'HS256', typ: 'JWT' });
    const payload = b64url({
      iss: this.options.issuer,
      sub: user.username,
      aud: clientId,
      azp: clientId,
      iat: Math.floor(now / 1000),
      exp: Math.floor((now + ttlMs) / 1000),
      preferred_username: user.username,
      'services-identity': user.identity,
      name: user.displayName,
      email: user.identity,
      phone_number: user.number,
    });
    const signature = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The grant behind a bearer token. Throws the 401 policyException for missing, unknown and expired tokens. */
  authenticate(token: string | undefined): AccessGrant {
    if (!token) throw errors.unauthorized('no access token was sent (use "Authorization: Bearer <token>")');
    const grant = this.access.get(token);
    if (!grant) throw errors.unauthorized('the access token is not valid');
    if (grant.expiresAt <= this.now()) throw errors.unauthorized('the access token has expired; fetch a new one with the refresh_token grant');
    return grant;
  }

  /** Test hook: every access token issued so far expires now (refresh tokens stay valid). */
  expireAll(): void {
    const now = this.now();
    for (const grant of this.access.values()) grant.expiresAt = Math.min(grant.expiresAt, now);
  }

  /** Drops tokens that expired long ago. */
  prune(): void {
    const now = this.now();
    for (const [token, grant] of this.access) if (grant.expiresAt + EXPIRED_MEMORY_MS < now) this.access.delete(token);
    for (const [token, grant] of this.refresh) if (grant.expiresAt < now) this.refresh.delete(token);
  }
}

/** `Authorization: Bearer x` → x. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
