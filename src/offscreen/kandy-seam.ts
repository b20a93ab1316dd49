/**
 * The only module that knows the Kandy.js SDK. Everything else talks to `KandySession`
 * and hears back `SessionEvent`s, so another Kandy flavour can replace this file alone.
 */
import Kandy, { type KandyClient, type KandyError } from '@kandy-io/cpaas-sdk';
import type { SessionEvent } from './session-events';

export interface SessionConfig {
  host: string;
  port: number;
  clientCorrelator: string;
  iceServers: RTCIceServer[];
  /** Keep-alive ping period; the SDK declares the socket dead after three missed answers. */
  pingIntervalMs: number;
  /** Where remote audio/video elements are rendered (a CSS selector in the offscreen page). */
  remoteMediaSelector: string;
}

export interface MediaStats {
  callId: string;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  audioLevel?: number;
}

export interface KandySession {
  setTokens(tokens: { accessToken: string; idToken: string }): void;
  subscribe(): void;
  unsubscribe(): void;
  make(destination: string, options: { video: boolean }): string;
  answer(callId: string, options: { video: boolean }): void;
  reject(callId: string): void;
  end(callId: string): void;
  hold(callId: string): void;
  unhold(callId: string): void;
  mute(callId: string): void;
  unmute(callId: string): void;
  sendDtmf(callId: string, tones: string): void;
  stats(callId: string): Promise<MediaStats>;
  /** Ends every call and drops the subscription; the session cannot be used afterwards. */
  destroy(): void;
}

const CPAAS_PLATFORM = 'cpaas';
const STATS_TIMEOUT_MS = 5000;

function describeError(error: unknown): string | undefined {
  if (!error) return undefined;
  if (typeof error === 'string') return error;
  const { message, code } = error as KandyError;
  if (message) return code !== undefined ? `${message} (${code})` : message;
  return code !== undefined ? `Error ${code}` : 'Unknown error';
}

export function createKandySession(config: SessionConfig, emit: (event: SessionEvent) => void): KandySession {
  const client: KandyClient = Kandy.create({
    authentication: {
      server: { base: config.host, port: String(config.port), protocol: 'https', version: 'v1' },
      clientCorrelator: config.clientCorrelator,
    },
    call: {
      iceServers: config.iceServers,
      serverTurnCredentials: config.iceServers.length > 0,
      sdpSemantics: 'unified-plan',
    },
    connectivity: {
      method: { type: 'pingPong', responsibleParty: 'client' },
      pingInterval: config.pingIntervalMs,
      maxMissedPings: 3,
      // A phone must not give up: keep trying while the user is signed in, backing off to 30 s.
      autoReconnect: true,
      reconnectLimit: 100000,
      reconnectDelay: 1000,
      reconnectTimeMultiplier: 2,
      reconnectTimeLimit: 30000,
    },
    logs: { logLevel: 'warn' },
  });

  let destroyed = false;
  let everOnline = false;

  function reportConnection(reasonWhenDown?: string): void {
    const subscriptions = client.services.getSubscriptions();
    const socket = client.connection.getSocketState(CPAAS_PLATFORM);
    if (subscriptions.subscribed.includes('call') && socket?.connected) {
      everOnline = true;
      emit({ type: 'connection', connection: { status: 'online' } });
    } else if (subscriptions.isPending || (!everOnline && !reasonWhenDown)) {
      emit({ type: 'connection', connection: { status: 'connecting' } });
    } else {
      emit({ type: 'connection', connection: { status: 'offline', reason: reasonWhenDown ?? 'Connection to the server lost; reconnecting…' } });
    }
  }

  function callSnapshot(callId: string) {
    const call = client.call.getById(callId);
    if (!call) return undefined;
    return call;
  }

  function onCallAdded(params: Record<string, unknown>): void {
    const callId = params.callId as string;
    const call = callSnapshot(callId);
    const at = Date.now();
    if (!call) {
      emit({ type: 'operation-failed', at, message: describeError(params.error) ?? 'The call could not be started.' });
      return;
    }
    const remote = call.remoteParticipant ?? {};
    emit({
      type: 'call-added',
      at,
      call: {
        id: callId,
        direction: call.direction,
        remoteAddress: remote.displayNumber ?? '',
        ...(remote.displayName ? { remoteName: remote.displayName } : {}),
        video: Boolean(call.mediaConstraints?.video),
        sdkState: call.state,
      },
    });
    const error = describeError(params.error);
    if (error) emit({ type: 'call-changed', at, id: callId, sdkState: 'Ended', localHold: false, remoteHold: false, error });
  }

  client.on('call:start', onCallAdded);
  client.on('call:receive', onCallAdded);

  client.on('call:stateChange', (params) => {
    const callId = params.callId as string;
    const call = callSnapshot(callId);
    if (!call) return;
    const error = describeError(params.error);
    if (call.state === 'Connected') renderRemoteTracks(callId);
    emit({
      type: 'call-changed',
      at: Date.now(),
      id: callId,
      sdkState: call.state,
      localHold: call.localHold,
      remoteHold: call.remoteHold,
      ...(error ? { error } : {}),
    });
  });

  client.on('call:operation', (params) => {
    const error = describeError(params.error);
    if (error && params.transition === 'finish') {
      emit({ type: 'operation-failed', at: Date.now(), message: `${String(params.operation)} failed: ${error}`, callId: params.callId as string });
    }
  });

  /** Rendering is idempotent in the SDK, so render on every chance: the callee's tracks can arrive before its call does. */
  function renderRemoteTracks(callId: string): void {
    const call = client.call.getById(callId);
    if (call && call.remoteTracks.length > 0) client.media.renderTracks(call.remoteTracks, config.remoteMediaSelector);
  }

  client.on('call:newTrack', (params) => {
    if (params.local) return;
    renderRemoteTracks(params.callId as string);
  });

  client.on('subscription:change', () => reportConnection());
  client.on('subscription:error', (params) => reportConnection(describeError(params.error) ?? 'Could not subscribe to calls.'));
  client.on('ws:change', () => reportConnection());

  function localAudioTracks(callId: string): string[] {
    const call = client.call.getById(callId);
    if (!call) throw new Error('No such call.');
    return call.localTracks.filter((trackId) => client.media.getTrackById(trackId)?.kind === 'audio');
  }

  return {
    setTokens(tokens) {
      client.setTokens(tokens);
    },
    subscribe() {
      client.services.subscribe(['call'], 'websocket');
    },
    unsubscribe() {
      client.services.unsubscribe(['call'], 'websocket');
    },
    make(destination, { video }) {
      return client.call.make(destination, { audio: true, video });
    },
    answer(callId, { video }) {
      client.call.answer(callId, { audio: true, video });
    },
    reject(callId) {
      client.call.reject(callId);
    },
    end(callId) {
      client.call.end(callId);
    },
    hold(callId) {
      client.call.hold(callId);
    },
    unhold(callId) {
      client.call.unhold(callId);
    },
    mute(callId) {
      client.media.muteTracks(localAudioTracks(callId));
      emit({ type: 'call-muted', id: callId, muted: true });
    },
    unmute(callId) {
      client.media.unmuteTracks(localAudioTracks(callId));
      emit({ type: 'call-muted', id: callId, muted: false });
    },
    sendDtmf(callId, tones) {
      client.call.sendDTMF(callId, tones);
    },
    stats(callId) {
      return new Promise<MediaStats>((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off('call:statsReceived', listener);
          reject(new Error('No statistics from the call.'));
        }, STATS_TIMEOUT_MS);
        function listener(params: Record<string, unknown>): void {
          if (params.callId !== callId || params.trackId) return;
          clearTimeout(timer);
          client.off('call:statsReceived', listener);
          if (params.error) return reject(new Error(describeError(params.error)));
          resolve(summarizeStats(callId, params.result as RTCStatsReport | undefined));
        }
        client.on('call:statsReceived', listener);
        client.call.getStats(callId);
      });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const call of client.call.getAll()) {
        if (call.state !== 'Ended' && call.state !== 'Cancelled') client.call.end(call.id);
      }
      client.services.unsubscribe(['call'], 'websocket');
    },
  };
}

function summarizeStats(callId: string, report: RTCStatsReport | undefined): MediaStats {
  const stats: MediaStats = { callId, bytesSent: 0, bytesReceived: 0, packetsReceived: 0 };
  report?.forEach((entry: Record<string, unknown>) => {
    if (entry.type === 'outbound-rtp' && entry.kind === 'audio') stats.bytesSent += Number(entry.bytesSent ?? 0);
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      stats.bytesReceived += Number(entry.bytesReceived ?? 0);
      stats.packetsReceived += Number(entry.packetsReceived ?? 0);
      if (typeof entry.audioLevel === 'number') stats.audioLevel = entry.audioLevel;
    }
  });
  return stats;
}
