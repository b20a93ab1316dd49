/** Helpers for the gateway's vitest suites: a started gateway, an HTTPS client that accepts the self-signed cert, and a fake SDK client. */
import { request as httpsRequest } from 'node:https';
import { WebSocket } from 'ws';
import type { LogEntry } from './log.ts';
import { startGateway, type Gateway, type GatewayOptions } from './server.ts';

export const CLIENT_ID = 'kandy-click-to-call-demo';
export const PASSWORDS: Record<string, string> = { alice: 'alice-demo-password', bob: 'bob-demo-password', carol: 'carol-demo-password' };
export const FAKE_SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';

export interface TestGateway extends Gateway {
  logs: LogEntry[];
}

export async function startTestGateway(options: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const logs: LogEntry[] = [];
  const gateway = await startGateway({ port: 0, log: (entry) => logs.push(entry), ...options });
  return Object.assign(gateway, { logs });
}

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into arbitrary JSON
  json: any;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON unless it is a string or Buffer. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function http(gateway: Gateway, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (Buffer.isBuffer(options.body)) payload = options.body;
    else if (typeof options.body === 'string') payload = Buffer.from(options.body);
    else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] ??= 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${gateway.url}${path}`,
      { method, headers, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  expires_in: number;
}

export async function login(gateway: Gateway, username: string, password = PASSWORDS[username] ?? ''): Promise<Tokens> {
  const form = new URLSearchParams({ grant_type: 'password', client_id: CLIENT_ID, username, password, scope: 'openid' });
  const result = await http(gateway, 'POST', '/cpaas/auth/v1/token', {
    body: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (result.status !== 200) throw new Error(`login ${username} failed: ${result.status} ${result.text}`);
  return result.json as Tokens;
}

export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function openSocket(gateway: Gateway, path: string): Promise<WebSocket> {
  const url = `${gateway.url.replace(/^https/, 'wss')}${path}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The websocket upgrade's refusal status (or 101 if it opened). */
export function socketStatus(gateway: Gateway, path: string): Promise<number> {
  const url = `${gateway.url.replace(/^https/, 'wss')}${path}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

export type Notification = { type: string; body: Record<string, unknown> & { id: string } };

/** Behaves like the SDK on the wire: token, channel, websocket, call subscription; records notifications. */
export class FakeClient {
  tokens!: Tokens;
  channelId = '';
  channelURL = '';
  callbackURL = '';
  subscriptionId = '';
  ws: WebSocket | undefined;
  readonly notifications: Notification[] = [];
  readonly frames: unknown[] = [];
  private waiters: Array<() => void> = [];
  readonly clientCorrelator: string;

  constructor(
    readonly gateway: Gateway,
    readonly username: string,
  ) {
    this.clientCorrelator = `corr-${username}-${Math.random().toString(36).slice(2)}`;
  }

  get token(): string {
    return this.tokens.access_token;
  }

  static async connect(gateway: Gateway, username: string, options: { connCheckRole?: 'client' | 'server'; subscribe?: boolean } = {}): Promise<FakeClient> {
    const client = new FakeClient(gateway, username);
    client.tokens = await login(gateway, username);
    const channel = await client.api('POST', 'notificationchannel', '/channels', {
      notificationChannel: { channelType: 'Websockets', clientCorrelator: client.clientCorrelator, 'x-connCheckRole': options.connCheckRole ?? 'client' },
    });
    if (channel.status !== 201) throw new Error(`channel create failed: ${channel.status} ${channel.text}`);
    client.channelURL = channel.json.notificationChannel.channelData.channelURL;
    client.callbackURL = channel.json.notificationChannel.callbackURL;
    client.channelId = String(channel.json.notificationChannel.resourceURL).split('/channels/')[1] ?? '';
    await client.openSocket();
    if (options.subscribe !== false) {
      const sub = await client.api('POST', 'webrtcsignaling', '/subscriptions', {
        wrtcsNotificationSubscription: { callbackReference: { notifyURL: client.callbackURL }, clientCorrelator: client.clientCorrelator },
      });
      if (sub.status !== 201) throw new Error(`subscribe failed: ${sub.status} ${sub.text}`);
      client.subscriptionId = String(sub.json.wrtcsNotificationSubscription.resourceURL).split('/subscriptions/')[1] ?? '';
    }
    return client;
  }

  async openSocket(): Promise<void> {
    const ws = await openSocket(this.gateway, `${this.channelURL}?access_token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      this.frames.push(frame);
      const [type] = Object.keys(frame);
      const body = type ? frame[type] : undefined;
      if (type && type !== 'connAck' && type !== 'connCheck' && body && typeof body === 'object' && 'id' in body) {
        if (!this.notifications.some((n) => n.body.id === (body as { id: string }).id)) {
          this.notifications.push({ type, body: body as Notification['body'] });
        }
      }
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** REST call under this user's path, e.g. api('PUT', 'webrtcsignaling', '/sessions/x/answer', {...}). */
  api(method: string, service: 'notificationchannel' | 'webrtcsignaling', path: string, body?: unknown): Promise<HttpResult> {
    return http(this.gateway, method, `/cpaas/${service}/v1/${this.username}${path}`, { token: this.token, body });
  }

  /** Waits for a frame matching `predicate` (already received ones count). */
  async waitFor<T>(predicate: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = predicate();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${this.username}: timed out waiting for ${what}; got ${JSON.stringify(this.notifications.map((n) => n.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  nextNotification(type: string, predicate: (body: Notification['body']) => boolean = () => true, timeoutMs = 3000): Promise<Notification['body']> {
    return this.waitFor(() => this.notifications.find((n) => n.type === type && predicate(n.body))?.body, type, timeoutMs);
  }

  event(eventType: string, sessionId: string, timeoutMs = 3000): Promise<Notification['body']> {
    return this.nextNotification(
      'wrtcsEventNotification',
      (body) => body.eventType === eventType && JSON.stringify(body.link).includes(`/sessions/${sessionId}`),
      timeoutMs,
    );
  }

  close(): void {
    this.ws?.terminate();
  }
}

export function sessionIdOf(body: Record<string, unknown>): string {
  const link = body.link as Array<{ href: string }> | undefined;
  return link?.[0]?.href.split('sessions/')[1] ?? '';
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
