/**
 * The local Kandy CPaaS gateway: HTTPS + WSS on one port, speaking the wire protocol of
 * @kandy-io/cpaas-sdk 4.9.0 (see /work/shared/docs/kandy-cpaas-protocol.md and gateway/README.md).
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { TokenService } from './auth.ts';
import { ChannelRegistry, type ChannelSummary } from './channels.ts';
import { Directory, type UserInput, type UserRecord } from './directory.ts';
import { Router, createRequestListener } from './http.ts';
import { createLogger, type LogOption, type Logger } from './log.ts';
import { authRoutes } from './routes/auth.ts';
import { channelRoutes } from './routes/channels.ts';
import { miscRoutes } from './routes/misc.ts';
import { webrtcRoutes } from './routes/webrtc.ts';
import { SessionManager, type SessionSummary } from './sessions.ts';
import { SubscriptionRegistry } from './subscriptions.ts';
import { loadOrCreateCertificate } from './tls.ts';
import { createUpgradeHandler } from './websocket.ts';
import { ECHO_LINE_DEFAULTS, EchoLine, echoDirectoryEntry, type EchoCallSummary, type EchoLineOptions } from './echo.ts';

export type { ChannelSummary } from './channels.ts';
export type { SessionSummary } from './sessions.ts';
export type { EchoCallSummary, EchoLineOptions } from './echo.ts';
export type { UserInput, UserRecord } from './directory.ts';
export type { LogEntry, LogOption } from './log.ts';

/** The repository root (gateway/src/../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface GatewayOptions {
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host: string;
  /** Default 8443; 0 picks a free port. */
  port: number;
  /** The user directory. Default gateway/users.json. Ignored when `users` is given. */
  usersFile: string;
  /** An inline user list instead of usersFile. */
  users: UserInput[] | undefined;
  /** Allowed OAuth client ids (default: the file's "clients", else ["kandy-click-to-call-demo"]). */
  clientIds: string[] | undefined;
  /** SIP / identity domain (default: the file's "domain", else kandy.example). */
  domain: string | undefined;
  /** Region used to read national phone numbers (default: the file's "defaultRegion", else US). */
  defaultRegion: string | undefined;
  tokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Largest accepted request body (and websocket frame). Default 64 kB. */
  maxBodyBytes: number;
  /** Where the self-signed certificate is cached. Default <repo>/.gateway (gitignored). */
  certDir: string;
  /** 'info' (default) / 'debug' / 'warn' JSON lines on stdout, 'silent', or a function receiving each entry. */
  log: LogOption;
  /** Unanswered invitations end after this long. Default 60. */
  ringTimeoutSeconds: number;
  /** A re-offer (hold/unhold) nobody answers ends the call after this long. Default 30. */
  reofferTimeoutSeconds: number;
  /** A connected party silent this long (the SDK audits every 25 s) ends the call; 0 disables. Default 90. */
  auditTimeoutSeconds: number;
  /** Channels without a websocket for this long are removed. Default 300. */
  channelIdleTimeoutSeconds: number;
  /** On reconnect, notifications sent this recently are sent again. Default 15. */
  resendWindowSeconds: number;
  /** Server-driven connCheck interval (channels created with x-connCheckRole "server"). Default 30. */
  serverConnCheckIntervalSeconds: number;
  /** WebSocket protocol ping interval for dead-socket detection. Default 30. */
  wsPingIntervalSeconds: number;
  /** Live calls one user may have at once: 1 (default) answers a second caller with busy, 2 allows call waiting. */
  maxCallsPerUser: number;
  /** The echo line (echo.ts): a user the gateway answers itself, looping audio back. `false` turns it off. Default on: echo, +14155550123. */
  echoLine: Partial<EchoLineOptions> | false;
  /** Keep every token and TURN password issued, for `issuedSecrets()` (tests only: the list only grows). Default false. */
  recordSecrets: boolean;
}

export interface Gateway {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** SIP / identity domain, e.g. kandy.example. */
  readonly domain: string;
  /** base64 sha256 of the certificate's SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list. */
  readonly spkiHash: string;
  /** The PEM file holding key + certificate. */
  readonly certFile: string;
  /** OAuth client ids accepted by the token endpoint. */
  readonly clientIds: readonly string[];
  close(): Promise<void>;
  /** Terminates every websocket server-side; channels, subscriptions and queued notifications stay. */
  dropWebSockets(): void;
  /**
   * Websocket upgrades wait until the returned function is called: a reconnect that is slow to get
   * through, so a test can be sure notifications queue while a client is away.
   */
  holdWebSocketUpgrades(): () => void;
  /** Responses of the named route (e.g. "session.update") leave this much later, until the returned function is called. */
  delayResponses(routeName: string, ms: number): () => void;
  /** Every access token issued so far expires now (refresh tokens stay valid). */
  expireAllTokens(): void;
  /** Simulated outage: new HTTP requests and websocket upgrades get 503 while on. */
  setRefuseConnections(on: boolean): void;
  sessions(): SessionSummary[];
  channels(): ChannelSummary[];
  /** Users who can sign in (the echo line is not one of them). */
  users(): UserRecord[];
  /** The echo line's address, when it is on. */
  readonly echoLine: { username: string; number: string; sipAddress: string } | undefined;
  /** The echo line's live (and recently ended) calls, with media counters and the RTCP round trip. */
  echoCalls(): Promise<EchoCallSummary[]>;
  /** Every access, id and refresh token and TURN password issued so far; empty unless `recordSecrets`. */
  issuedSecrets(): string[];
}

export const DEFAULT_OPTIONS: GatewayOptions = {
  host: '127.0.0.1',
  port: 8443,
  usersFile: resolve(REPO_ROOT, 'gateway', 'users.json'),
  users: undefined,
  clientIds: undefined,
  domain: undefined,
  defaultRegion: undefined,
  tokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 7 * 24 * 3600,
  maxBodyBytes: 64 * 1024,
  certDir: resolve(REPO_ROOT, '.gateway'),
  log: 'info',
  ringTimeoutSeconds: 60,
  reofferTimeoutSeconds: 30,
  auditTimeoutSeconds: 90,
  channelIdleTimeoutSeconds: 300,
  resendWindowSeconds: 15,
  serverConnCheckIntervalSeconds: 30,
  wsPingIntervalSeconds: 30,
  maxCallsPerUser: 1,
  echoLine: {},
  recordSecrets: false,
};

function formatHost(host: string): string {
  if (host.includes(':')) return `[${host}]`;
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, rejectPromise) => {
    const onError = (error: Error) => rejectPromise(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`Gateway option ${name} must be a positive number (got ${value})`);
  return value;
}

export async function startGateway(options: Partial<GatewayOptions> = {}): Promise<Gateway> {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<GatewayOptions>;
  const config: GatewayOptions = { ...DEFAULT_OPTIONS, ...defined };
  const ms = (name: keyof GatewayOptions, allowZero = false) => positive(name, config[name] as number, allowZero) * 1000;
  const log: Logger = createLogger(config.log);
  const echoOptions: EchoLineOptions | undefined = config.echoLine === false ? undefined : { ...ECHO_LINE_DEFAULTS, ...config.echoLine };

  const directory = Directory.load({
    usersFile: config.usersFile,
    users: config.users,
    clientIds: config.clientIds,
    domain: config.domain,
    defaultRegion: config.defaultRegion,
    services: echoOptions ? [echoDirectoryEntry(echoOptions)] : [],
  });
  const tls = await loadOrCreateCertificate(config.certDir, log);

  let refusing = false;
  let url = '';
  const secrets = new Set<string>();
  const onSecret = config.recordSecrets ? (secret: string) => void secrets.add(secret) : undefined;
  const tokens = new TokenService(directory, {
    onSecret,
    tokenTtlSeconds: positive('tokenTtlSeconds', config.tokenTtlSeconds),
    refreshTokenTtlSeconds: positive('refreshTokenTtlSeconds', config.refreshTokenTtlSeconds),
    get issuer() {
      return `${url}/cpaas/auth/v1`;
    },
  });
  const channels = new ChannelRegistry(
    {
      resendWindowMs: ms('resendWindowSeconds', true),
      channelIdleTimeoutMs: ms('channelIdleTimeoutSeconds'),
      serverConnCheckIntervalMs: ms('serverConnCheckIntervalSeconds'),
      wsPingIntervalMs: ms('wsPingIntervalSeconds'),
      queuedNotificationTtlMs: Math.max(120_000, ms('ringTimeoutSeconds')),
      maxQueuedNotifications: 200,
    },
    log,
  );
  const subscriptions = new SubscriptionRegistry(channels, log);
  const sessions = new SessionManager({
    directory,
    channels,
    subscriptions,
    log,
    options: {
      ringTimeoutMs: ms('ringTimeoutSeconds'),
      reofferTimeoutMs: ms('reofferTimeoutSeconds'),
      auditTimeoutMs: ms('auditTimeoutSeconds', true),
      tombstoneMs: 5 * 60_000,
      maxCallsPerUser: Math.floor(positive('maxCallsPerUser', config.maxCallsPerUser)),
    },
  });
  const echoUser = echoOptions ? directory.byUsername(echoOptions.username) : undefined;
  const echoLine = echoOptions && echoUser ? new EchoLine({ sessions, log, options: echoOptions }) : undefined;
  if (echoLine && echoUser) sessions.attachLocalParty(echoUser.username, echoLine);
  const signInUsers = () => directory.users().filter((user) => !user.service);

  const router = new Router().add(
    ...miscRoutes(() => ({ url, spkiHash: tls.spkiHash, users: signInUsers().map((user) => user.username) })),
    ...authRoutes(tokens),
    ...channelRoutes(channels),
    ...webrtcRoutes({ channels, subscriptions, sessions, directory, turnCredentialTtlSeconds: 24 * 3600, onSecret }),
  );

  const maxBodyBytes = positive('maxBodyBytes', config.maxBodyBytes);
  const server = createServer({ key: tls.key, cert: tls.cert });
  const responseDelays = new Map<string, number>();
  server.on('request', createRequestListener({ router, tokens, log, maxBodyBytes, isRefusing: () => refusing, responseDelayMs: (name) => responseDelays.get(name) ?? 0 }));
  let upgradeHold: Promise<void> | undefined;
  const upgrades = createUpgradeHandler({ tokens, channels, log, maxPayloadBytes: maxBodyBytes, isRefusing: () => refusing, upgradeHold: () => upgradeHold });
  server.on('upgrade', upgrades.handle);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    log.debug('http.client-error', { code: error.code, message: error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => log.debug('tls.client-error', { code: error.code, message: error.message }));
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await listen(server, positive('port', config.port, true), config.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  url = `https://${formatHost(config.host)}:${port}`;

  const housekeeping = setInterval(() => {
    try {
      channels.tick();
      sessions.tick();
      tokens.prune();
    } catch (error) {
      log.error('housekeeping.failed', { error });
    }
  }, 1000);
  housekeeping.unref();

  log.info('gateway.start', { url, host: config.host, port, spkiHash: tls.spkiHash, certFile: tls.file, users: signInUsers().length, domain: directory.domain, echoLine: echoUser?.number });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolveClose) => {
      clearInterval(housekeeping);
      sessions.closeAll();
      void echoLine?.close();
      channels.closeAll();
      subscriptions.closeAll();
      upgrades.close();
      server.close(() => resolveClose());
      server.closeAllConnections();
      log.info('gateway.stop', { url });
    });
    return closing;
  };

  return {
    url,
    port,
    host: config.host,
    domain: directory.domain,
    spkiHash: tls.spkiHash,
    certFile: tls.file,
    clientIds: [...directory.config.clients],
    close,
    dropWebSockets: () => void channels.dropSockets(),
    holdWebSocketUpgrades: () => {
      let release = (): void => undefined;
      const hold = new Promise<void>((resolveHold) => (release = resolveHold));
      upgradeHold = hold;
      log.info('ws.upgrades-held');
      return () => {
        if (upgradeHold === hold) upgradeHold = undefined;
        log.info('ws.upgrades-released');
        release();
      };
    },
    delayResponses: (routeName, ms) => {
      if (!router.names().includes(routeName)) throw new Error(`no route named ${routeName}`);
      responseDelays.set(routeName, ms);
      log.info('http.responses-delayed', { route: routeName, ms });
      return () => {
        responseDelays.delete(routeName);
        log.info('http.responses-undelayed', { route: routeName });
      };
    },
    expireAllTokens: () => {
      tokens.expireAll();
      log.info('auth.tokens.expired-all');
    },
    setRefuseConnections: (on) => {
      refusing = on;
      log.info('gateway.refuse-connections', { on });
    },
    sessions: () => sessions.summary(),
    channels: () => channels.summary(),
    users: signInUsers,
    echoLine: echoUser ? { username: echoUser.username, number: echoUser.number, sipAddress: echoUser.sipAddress } : undefined,
    echoCalls: async () => (echoLine ? echoLine.summary() : []),
    issuedSecrets: () => [...secrets],
  };
}
