/** WSS upgrades for notification channels: wss://host:port{channelURL}?access_token=… */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TokenService } from './auth.ts';
import type { ChannelRegistry } from './channels.ts';
import type { Logger } from './log.ts';
import { bearerToken } from './auth.ts';
import { GatewayError, STATUS_TEXT, errors } from './errors.ts';

const CHANNEL_SOCKET = /^\/cpaas\/notificationchannel\/(v\d{1,3})\/([^/]+)\/channels\/([^/]+)\/websocket\/?$/;

export interface UpgradeDeps {
  tokens: TokenService;
  channels: ChannelRegistry;
  log: Logger;
  maxPayloadBytes: number;
  isRefusing: () => boolean;
  /** While set, upgrades wait for it before being handled (see Gateway.holdWebSocketUpgrades). */
  upgradeHold?: () => Promise<void> | undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function reject(socket: Duplex, error: GatewayError): void {
  const body = JSON.stringify(error.body());
  const reason = STATUS_TEXT[error.status] ?? (error.status === 401 ? 'Unauthorized' : error.status === 403 ? 'Forbidden' : error.status === 404 ? 'Not Found' : 'Service Unavailable');
  const head = [
    `HTTP/1.1 ${error.status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(error.headers).map(([key, value]) => `${key}: ${value}`),
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function createUpgradeHandler(deps: UpgradeDeps): { handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void; close: () => void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayloadBytes, perMessageDeflate: false });
  const heldSockets = new Set<Duplex>();

  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const hold = deps.upgradeHold?.();
    if (hold) {
      heldSockets.add(socket);
      void hold.then(() => {
        heldSockets.delete(socket);
        if (!socket.destroyed) handleNow(req, socket, head);
      });
      return;
    }
    handleNow(req, socket, head);
  };

  const handleNow = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://gateway.invalid');
    } catch {
      reject(socket, errors.notFound('websocket'));
      return;
    }
    const log = deps.log.child({ path: url.pathname });
    try {
      if (deps.isRefusing()) throw errors.unavailable();
      const match = CHANNEL_SOCKET.exec(url.pathname);
      if (!match) throw errors.notFound(`websocket ${url.pathname}`);
      const [, , pathUser = '', channelId = ''] = match;
      const grant = deps.tokens.authenticate(url.searchParams.get('access_token') ?? bearerToken(req.headers.authorization));
      if (grant.username !== safeDecode(pathUser)) throw errors.forbidden(pathUser);
      const channel = deps.channels.get(channelId);
      if (!channel || channel.user !== grant.username) throw errors.notFound(`notification channel ${channelId}`);
      wss.handleUpgrade(req, socket, head, (ws) => deps.channels.attach(channel, ws));
    } catch (error) {
      const gatewayError = error instanceof GatewayError ? error : errors.internal('websocket');
      log.info('ws.refused', { status: gatewayError.status, reason: gatewayError.message });
      reject(socket, gatewayError);
    }
  };

  const close = (): void => {
    for (const socket of heldSockets) socket.destroy();
    heldSockets.clear();
    wss.close();
  };
  return { handle, close };
}
