/**
 * Notification channels (POST /cpaas/notificationchannel/{v}/{user}/channels) and their websockets.
 *
 * A channel outlives its socket: the SDK reconnects to the same channelURL after a drop, so the channel,
 * its subscriptions and its queued notifications stay until the channel is deleted, or has had no socket
 * for `channelIdleTimeoutMs`, or its lifetime ran out while no socket was attached.
 */
import { WebSocket, type RawData } from 'ws';
import type { Logger } from './log.ts';
import { randomId, uniqueId } from './ids.ts';

export type ConnCheckRole = 'client' | 'server';

export interface ChannelOptions {
  /** Notifications sent less than this long before a reconnect are sent again (the SDK drops duplicate ids). */
  resendWindowMs: number;
  /** A channel without a socket for this long is removed. */
  channelIdleTimeoutMs: number;
  /** In server connCheck mode, how often the gateway sends {"connCheck":{...}}. */
  serverConnCheckIntervalMs: number;
  /** WebSocket protocol pings; a socket that misses one pong is terminated. */
  wsPingIntervalMs: number;
  /** Queued (unsent) notifications older than this are discarded. */
  queuedNotificationTtlMs: number;
  maxQueuedNotifications: number;
}

export const DEFAULT_CHANNEL_LIFETIME_SECONDS = 3600;

interface OutboxEntry {
  id: string;
  type: string;
  frame: string;
  queuedAt: number;
  sentAt?: number;
}

export interface Channel {
  readonly id: string;
  readonly user: string;
  readonly version: string;
  readonly clientCorrelator: string | undefined;
  readonly connCheckRole: ConnCheckRole;
  readonly resourceURL: string;
  readonly channelURL: string;
  readonly callbackURL: string;
  readonly createdAt: number;
  lifetimeSeconds: number;
  expiresAt: number;
  socket: WebSocket | undefined;
  connects: number;
  lastContactAt: number | undefined;
  disconnectedAt: number | undefined;
  outbox: OutboxEntry[];
}

export interface ChannelSummary {
  id: string;
  user: string;
  clientCorrelator: string | undefined;
  connCheckRole: ConnCheckRole;
  connected: boolean;
  /** How many sockets have attached so far (2 after one reconnect). */
  connects: number;
  /** Notifications waiting for a socket. */
  queued: number;
  lifetimeSeconds: number;
}

export type ChannelClosedListener = (channel: Channel, reason: string) => void;

export interface CreateChannelParams {
  user: string;
  version: string;
  clientCorrelator: string | undefined;
  connCheckRole: ConnCheckRole;
  lifetimeSeconds: number | undefined;
}

export class ChannelRegistry {
  private readonly channels = new Map<string, Channel>();
  private readonly closedListeners: ChannelClosedListener[] = [];
  private readonly socketTimers = new Map<WebSocket, NodeJS.Timeout>();

  constructor(
    private readonly options: ChannelOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  onClosed(listener: ChannelClosedListener): void {
    this.closedListeners.push(listener);
  }

  create(params: CreateChannelParams): Channel {
    const id = randomId(12);
    const resourceURL = `/cpaas/notificationchannel/${params.version}/${params.user}/channels/${id}`;
    const lifetimeSeconds = params.lifetimeSeconds ?? DEFAULT_CHANNEL_LIFETIME_SECONDS;
    const now = this.now();
    const channel: Channel = {
      id,
      user: params.user,
      version: params.version,
      clientCorrelator: params.clientCorrelator,
      connCheckRole: params.connCheckRole,
      resourceURL,
      channelURL: `${resourceURL}/websocket`,
      callbackURL: `gateway-channel:${id}`,
      createdAt: now,
      lifetimeSeconds,
      expiresAt: now + lifetimeSeconds * 1000,
      socket: undefined,
      connects: 0,
      lastContactAt: undefined,
      disconnectedAt: now,
      outbox: [],
    };
    this.channels.set(id, channel);
    this.log.info('channel.create', { user: channel.user, channel: id, connCheckRole: channel.connCheckRole, lifetimeSeconds });
    return channel;
  }

  get(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  byCallbackURL(url: string): Channel | undefined {
    for (const channel of this.channels.values()) if (channel.callbackURL === url || channel.resourceURL === url) return channel;
    return undefined;
  }

  ofUser(user: string): Channel[] {
    return [...this.channels.values()].filter((channel) => channel.user === user);
  }

  setLifetime(channel: Channel, seconds: number): void {
    channel.lifetimeSeconds = seconds;
    channel.expiresAt = this.now() + seconds * 1000;
  }

  /** Deletes a channel, closes its socket and tells listeners (subscriptions, sessions). */
  remove(id: string, reason: string): boolean {
    const channel = this.channels.get(id);
    if (!channel) return false;
    this.channels.delete(id);
    const socket = channel.socket;
    channel.socket = undefined;
    if (socket) this.closeSocket(socket, 1000, 'channel deleted');
    this.log.info('channel.remove', { user: channel.user, channel: id, reason, unsent: channel.outbox.filter((e) => e.sentAt === undefined).length });
    for (const listener of this.closedListeners) {
      try {
        listener(channel, reason);
      } catch (error) {
        this.log.error('channel.listener.failed', { channel: id, error });
      }
    }
    return true;
  }

  /** A websocket was accepted for this channel (auth already checked). */
  attach(channel: Channel, socket: WebSocket): void {
    const previous = channel.socket;
    channel.socket = socket;
    channel.connects += 1;
    channel.lastContactAt = this.now();
    channel.disconnectedAt = undefined;
    if (previous) this.closeSocket(previous, 4000, 'replaced by a newer connection');
    this.log.info('ws.open', { user: channel.user, channel: channel.id, connects: channel.connects });

    let alive = true;
    socket.on('pong', () => {
      alive = true;
      channel.lastContactAt = this.now();
    });
    socket.on('message', (data, isBinary) => this.handleFrame(channel, socket, data, isBinary));
    socket.on('error', (error) => this.log.debug('ws.error', { user: channel.user, channel: channel.id, error: error.message }));
    socket.on('close', (code) => {
      this.clearSocketTimer(socket);
      if (channel.socket === socket) {
        channel.socket = undefined;
        channel.disconnectedAt = this.now();
      }
      this.log.info('ws.close', { user: channel.user, channel: channel.id, code });
    });

    let sinceServerCheck = 0;
    const tickMs = Math.max(50, Math.min(this.options.wsPingIntervalMs, this.options.serverConnCheckIntervalMs));
    let sincePing = 0;
    const timer = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      sincePing += tickMs;
      if (sincePing >= this.options.wsPingIntervalMs) {
        sincePing = 0;
        if (!alive) {
          this.log.warn('ws.dead', { user: channel.user, channel: channel.id, reason: 'no pong' });
          this.dropSocket(channel, socket);
          return;
        }
        alive = false;
        socket.ping();
      }
      if (channel.connCheckRole === 'server') {
        sinceServerCheck += tickMs;
        if (sinceServerCheck >= this.options.serverConnCheckIntervalMs) {
          sinceServerCheck = 0;
          this.sendRaw(socket, JSON.stringify({ connCheck: { interval: Math.max(1, Math.round(this.options.serverConnCheckIntervalMs / 1000)) } }));
        }
      }
    }, tickMs);
    timer.unref();
    this.socketTimers.set(socket, timer);

    this.flush(channel);
  }

  private handleFrame(channel: Channel, socket: WebSocket, data: RawData, isBinary: boolean): void {
    channel.lastContactAt = this.now();
    if (isBinary) {
      this.log.debug('ws.frame.ignored', { user: channel.user, channel: channel.id, reason: 'binary frame' });
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      this.log.debug('ws.frame.ignored', { user: channel.user, channel: channel.id, reason: 'not JSON' });
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.log.debug('ws.frame.ignored', { user: channel.user, channel: channel.id, reason: 'not an object' });
      return;
    }
    if ('connCheck' in message) {
      // Client-driven keep-alive: answer every ping.
      this.sendRaw(socket, JSON.stringify({ connAck: {} }));
    } else if ('connAck' in message) {
      // Answer to our own connCheck (server mode): contact time already noted.
    } else if ((message as { message_type?: unknown }).message_type === 'ping') {
      // keepAlive method: nothing to answer.
    } else {
      this.log.debug('ws.frame.ignored', { user: channel.user, channel: channel.id, reason: 'unknown message', keys: Object.keys(message).slice(0, 5) });
    }
  }

  /**
   * Queues `{[type]: {id, ...fields}}` for a channel and sends it if a socket is attached. Returns the
   * notification id, or undefined if the channel does not exist.
   */
  notify(channelId: string, type: string, fields: Record<string, unknown>): string | undefined {
    const channel = this.channels.get(channelId);
    if (!channel) return undefined;
    const id = uniqueId('ntf');
    const entry: OutboxEntry = { id, type, frame: JSON.stringify({ [type]: { id, ...fields } }), queuedAt: this.now() };
    this.prune(channel);
    channel.outbox.push(entry);
    if (channel.outbox.length > this.options.maxQueuedNotifications) channel.outbox.shift();
    if (channel.socket) this.send(channel, channel.socket, entry);
    else this.log.info('notify.queued', { user: channel.user, channel: channel.id, type });
    return id;
  }

  /** Sends what is pending, plus what was sent shortly before (it may have died with a half-open socket). */
  private flush(channel: Channel): void {
    const socket = channel.socket;
    if (!socket) return;
    this.prune(channel);
    const since = this.now() - this.options.resendWindowMs;
    const pending = channel.outbox.filter((entry) => entry.sentAt === undefined || entry.sentAt >= since);
    if (pending.length) this.log.info('notify.resend', { user: channel.user, channel: channel.id, count: pending.length });
    for (const entry of pending) this.send(channel, socket, entry);
  }

  private send(channel: Channel, socket: WebSocket, entry: OutboxEntry): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    entry.sentAt = this.now();
    socket.send(entry.frame, (error) => {
      if (error) {
        entry.sentAt = undefined;
        this.log.warn('notify.send.failed', { user: channel.user, channel: channel.id, type: entry.type, error: error.message });
      }
    });
    this.log.info('notify.sent', { user: channel.user, channel: channel.id, type: entry.type, notification: entry.id });
  }

  private sendRaw(socket: WebSocket, frame: string): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame, () => undefined);
  }

  private prune(channel: Channel): void {
    const now = this.now();
    channel.outbox = channel.outbox.filter((entry) =>
      entry.sentAt === undefined ? now - entry.queuedAt < this.options.queuedNotificationTtlMs : now - entry.sentAt < this.options.resendWindowMs,
    );
  }

  private clearSocketTimer(socket: WebSocket): void {
    const timer = this.socketTimers.get(socket);
    if (timer) clearInterval(timer);
    this.socketTimers.delete(socket);
  }

  private closeSocket(socket: WebSocket, code: number, reason: string): void {
    this.clearSocketTimer(socket);
    try {
      socket.close(code, reason);
    } catch {
      socket.terminate();
    }
    // Do not wait for a peer that never answers the close handshake.
    setTimeout(() => socket.terminate(), 2000).unref();
  }

  private dropSocket(channel: Channel, socket: WebSocket): void {
    this.clearSocketTimer(socket);
    if (channel.socket === socket) {
      channel.socket = undefined;
      channel.disconnectedAt = this.now();
    }
    socket.terminate();
  }

  /** Terminates every socket server-side (no close handshake); channels, subscriptions and queues stay. */
  dropSockets(): number {
    let dropped = 0;
    for (const channel of this.channels.values()) {
      if (!channel.socket) continue;
      this.dropSocket(channel, channel.socket);
      dropped += 1;
    }
    this.log.info('ws.drop-all', { dropped });
    return dropped;
  }

  /** Periodic housekeeping: removes idle and expired channels. */
  tick(): void {
    const now = this.now();
    for (const channel of [...this.channels.values()]) {
      if (channel.socket) continue;
      const idleSince = channel.disconnectedAt ?? now;
      if (now - idleSince >= this.options.channelIdleTimeoutMs) this.remove(channel.id, 'idle');
      else if (now >= channel.expiresAt) this.remove(channel.id, 'expired');
    }
  }

  summary(): ChannelSummary[] {
    return [...this.channels.values()].map((channel) => ({
      id: channel.id,
      user: channel.user,
      clientCorrelator: channel.clientCorrelator,
      connCheckRole: channel.connCheckRole,
      connected: channel.socket?.readyState === WebSocket.OPEN,
      connects: channel.connects,
      queued: channel.outbox.filter((entry) => entry.sentAt === undefined).length,
      lifetimeSeconds: channel.lifetimeSeconds,
    }));
  }

  /** Shutdown: closes every socket (after what is queued on it) and forgets every channel without notifying listeners. */
  closeAll(): void {
    for (const channel of this.channels.values()) {
      const socket = channel.socket;
      if (!socket) continue;
      this.clearSocketTimer(socket);
      channel.socket = undefined;
      socket.close(1001, 'gateway shutting down');
      setTimeout(() => socket.terminate(), 300).unref();
    }
    for (const timer of this.socketTimers.values()) clearInterval(timer);
    this.socketTimers.clear();
    this.channels.clear();
  }
}
