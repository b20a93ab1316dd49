/** Unauthenticated helpers: a landing page (open it once to accept the certificate) and a health check. */
import type { Route } from '../http.ts';

export function miscRoutes(info: () => { url: string; spkiHash: string; users: string[] }): Route[] {
  return [
    {
      name: 'landing',
      method: 'GET',
      pattern: '/',
      auth: 'none',
      body: 'none',
      handler: () => {
        const { url, spkiHash, users } = info();
        return {
          status: 200,
          body: [
            'Kandy local CPaaS gateway is running.',
            `If you can read this in your browser, it now trusts ${url} for this session.`,
            `Chromium flag alternative: --ignore-certificate-errors-spki-list=${spkiHash}`,
            `Demo users: ${users.join(', ')} (see gateway/README.md).`,
            '',
          ].join('\n'),
        };
      },
    },
    {
      name: 'health',
      method: 'GET',
      pattern: '/healthz',
      auth: 'none',
      body: 'none',
      handler: () => ({ status: 200, body: { status: 'ok' } }),
    },
  ];
}
