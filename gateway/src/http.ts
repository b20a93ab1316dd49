/**
 * The HTTP plumbing: a small router (path patterns with :params, 404/405), bounded body reading, JSON
 * and form parsing, bearer auth and path-user checks, CORS, and error responses in the CPaaS
 * (requestError) or OAuth shape. Route handlers live in routes/*.ts and never see raw requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessGrant, TokenService } from './auth.ts';
import type { Logger } from './log.ts';
import { bearerToken } from './auth.ts';
import { GatewayError, OAuthError, STATUS_TEXT, errors } from './errors.ts';
import { uniqueId } from './ids.ts';

export type BodyKind = 'none' | 'json' | 'form-or-json';

export interface RequestContext {
  method: string;
  path: string;
  url: URL;
  params: Record<string, string>;
  /** Parsed JSON (body 'json'), a string map (body 'form-or-json') or undefined for an empty body. */
  body: unknown;
  /** Set for routes with auth 'bearer'. */
  grant: AccessGrant | undefined;
  log: Logger;
  requestId: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface Route {
  /** For logs, e.g. "session.answer". */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. "/cpaas/webrtcsignaling/:version/:user/sessions/:sessionId/answer"; ":version" must look like v1. */
  pattern: string;
  auth: 'bearer' | 'none';
  body: BodyKind;
  /** OAuth routes answer errors as {error, error_description}. */
  errorStyle?: 'cpaas' | 'oauth';
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | undefined;

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const keys: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          keys.push(segment.slice(1));
          return segment === ':version' ? '(v\\d{1,3})' : '([^/]+)';
        })
        .join('/');
      this.routes.push({ ...route, regex: new RegExp(`^${source}/?$`), keys });
    }
    return this;
  }

  names(): string[] {
    return this.routes.map((route) => route.name);
  }

  match(method: string, path: string): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.add(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = safeDecode(found[index + 1] ?? '');
      });
      return { route, params };
    }
    return allowed.size ? { allowed: [...allowed, 'OPTIONS'] } : undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export interface HttpDeps {
  router: Router;
  tokens: TokenService;
  log: Logger;
  maxBodyBytes: number;
  /** Simulated outage: every request gets 503. */
  isRefusing: () => boolean;
  /** Test hook: how long a route's response waits after its handler ran (a slow network back to the client). */
  responseDelayMs?: (routeName: string) => number;
}

class BodyTooLarge extends Error {}

/** Reads at most `limit` bytes; beyond that keeps draining (so the client can read our 413) up to a hard cap. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const hardCap = Math.max(limit * 16, 1024 * 1024);
    if (Number.isFinite(declared) && declared > hardCap) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      if (size > hardCap) {
        req.pause();
        reject(new BodyTooLarge());
      }
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw errors.malformedBody(`invalid JSON (${(error as Error).message})`);
  }
}

/** Token requests: form-urlencoded (the standard) or a JSON object of strings. */
function parseFormOrJson(raw: Buffer, contentType: string): Record<string, string> {
  const text = raw.toString('utf8');
  if (/json/i.test(contentType) || /^\s*\{/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'The request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new OAuthError(400, 'invalid_request', 'The request body must be a JSON object or a form.');
    }
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') result[key] = value;
    return result;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': origin ?? '*',
    'Access-Control-Expose-Headers': 'Location, WWW-Authenticate, Retry-After',
    Vary: 'Origin',
  };
  if (req.method === 'OPTIONS') {
    headers['Access-Control-Allow-Methods'] = 'GET, POST, PUT, DELETE, OPTIONS';
    headers['Access-Control-Allow-Headers'] = req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Accept';
    headers['Access-Control-Max-Age'] = '600';
    if (req.headers['access-control-request-private-network'] === 'true') headers['Access-Control-Allow-Private-Network'] = 'true';
  }
  return headers;
}

function send(req: IncomingMessage, res: ServerResponse, result: HandlerResult): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...corsHeaders(req), 'Cache-Control': 'no-store', ...result.headers };
  let payload: string | undefined;
  if (result.body !== undefined && result.status !== 204) {
    payload = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    headers['Content-Type'] ??= typeof result.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  res.writeHead(result.status, STATUS_TEXT[result.status], headers);
  res.end(payload);
}

function errorResult(error: GatewayError | OAuthError): HandlerResult {
  return { status: error.status, body: error.body(), headers: error instanceof GatewayError ? error.headers : {} };
}

/** An OAuth route reports gateway-level failures (413, 400, 503) in its own shape. */
function asOAuth(error: GatewayError): OAuthError {
  if (error.status === 503) return new OAuthError(503, 'temporarily_unavailable', error.message);
  if (error.status >= 500) return new OAuthError(error.status, 'server_error', error.message);
  return new OAuthError(error.status, 'invalid_request', error.message);
}

export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = Date.now();
    const requestId = uniqueId('req');
    const method = (req.method ?? 'GET').toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://gateway.invalid');
    } catch {
      url = new URL('https://gateway.invalid/');
    }
    const path = url.pathname;
    let log = deps.log.child({ request: requestId });
    let user: string | undefined;
    let routeName: string | undefined;

    res.on('finish', () => {
      log.info('http.request', { method, path: redactPath(path), route: routeName, user, status: res.statusCode, ms: Date.now() - started });
    });

    const handle = async (): Promise<HandlerResult> => {
      if (method === 'OPTIONS') return { status: 204 };
      const match = deps.router.match(method, path);
      const oauth = match !== undefined && 'route' in match && match.route.errorStyle === 'oauth';
      try {
        if (deps.isRefusing()) throw errors.unavailable();
        if (match === undefined) throw errors.notFound(`${method} ${path}`);
        if ('allowed' in match) throw errors.methodNotAllowed(method, match.allowed);
        const { route, params } = match;
        routeName = route.name;

        let raw: Buffer;
        try {
          raw = await readBody(req, deps.maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            res.setHeader('Connection', 'close');
            throw errors.payloadTooLarge(deps.maxBodyBytes);
          }
          throw error;
        }

        let grant: AccessGrant | undefined;
        if (route.auth === 'bearer') {
          grant = deps.tokens.authenticate(bearerToken(req.headers.authorization));
          user = grant.username;
          log = log.child({ user });
          if (params.user !== undefined && params.user !== grant.username) throw errors.forbidden(params.user);
        }

        let body: unknown;
        if (route.body === 'json') body = parseJson(raw);
        else if (route.body === 'form-or-json') body = parseFormOrJson(raw, req.headers['content-type'] ?? '');

        const result = await route.handler({ method, path, url, params, body, grant, log, requestId });
        const delayMs = deps.responseDelayMs?.(route.name) ?? 0;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return result;
      } catch (error) {
        if (req.destroyed && !(error instanceof GatewayError) && !(error instanceof OAuthError)) {
          log.debug('http.client-aborted', { method, path: redactPath(path), route: routeName });
          return { status: 400 };
        }
        if (error instanceof GatewayError) return errorResult(oauth ? asOAuth(error) : error);
        if (error instanceof OAuthError) return errorResult(error);
        log.error('http.handler.failed', { method, path: redactPath(path), route: routeName, error });
        const internal = errors.internal(requestId);
        return errorResult(oauth ? asOAuth(internal) : internal);
      }
    };

    handle()
      .then((result) => send(req, res, result))
      .catch((error: unknown) => {
        log.error('http.send.failed', { error });
        if (!res.headersSent) send(req, res, errorResult(errors.internal(requestId)));
        else res.destroy();
      });
  };
}

/** Paths carry no secrets, but keep logs short. */
function redactPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
