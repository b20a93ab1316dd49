/** POST /cpaas/auth/v1/token (password and refresh_token grants). */
import type { TokenService } from '../auth.ts';
import type { Route } from '../http.ts';

export function authRoutes(tokens: TokenService): Route[] {
  return [
    {
      name: 'auth.token',
      method: 'POST',
      pattern: '/cpaas/auth/v1/token',
      auth: 'none',
      body: 'form-or-json',
      errorStyle: 'oauth',
      handler: ({ body, log }) => {
        const params = (body ?? {}) as Record<string, string>;
        try {
          const { response, username, grantType } = tokens.grant(params);
          log.info('auth.token.issued', { user: username, grantType, clientId: params.client_id });
          return { status: 200, body: response, headers: { Pragma: 'no-cache' } };
        } catch (error) {
          log.info('auth.token.refused', { grantType: params.grant_type, username: params.username, reason: (error as Error).message });
          throw error;
        }
      },
    },
  ];
}
