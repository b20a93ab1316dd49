/** A loopback-only HTTP server for benchmark pages (http://127.0.0.1:<free port>/<name>). */
import { createServer } from 'node:http';

export interface PageServer {
  origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

/** Serves each `pages` entry at `/<key>` as UTF-8 HTML (no caching); anything else is a blank page. */
export async function servePages(pages: Record<string, string | Buffer>): Promise<PageServer> {
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\//, '');
    const body = pages[name];
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (body === undefined) {
      response.writeHead(name === '' || name === 'blank' ? 200 : 404, headers).end('<!doctype html><title>blank</title>');
      return;
    }
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('page server has no address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    url: (path) => `${origin}/${path.replace(/^\//, '')}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
