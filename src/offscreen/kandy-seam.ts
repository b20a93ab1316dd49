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
  /** Where our own camera picture is rendered (hidden; it gives the video relay the track). */
  localMediaSelector: string;
}

export interface MediaStats {
  callId: string;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  audioLevel?: number;
  packetsSent: number;
  /** Cumulative energy of the received audio (RTCInboundRtpStreamStats.totalAudioEnergy): flat while the far side is muted. */
  totalAudioEnergy: number;
  totalSamplesDuration: number;
  videoBytesReceived: number;
  videoFramesDecoded: number;
  videoBytesSent: number;
}

/** The live video tracks of a call, for the relay to the call window. */
export interface VideoTracks {
  local: MediaStreamTrack[];
  remote: MediaStreamTrack[];
}

export interface KandySession {
  setTokens(tokens: { accessToken: string; idToken: string }): void;
  subscribe(): void;
  unsubscribe(): void;
  /** `microphoneId`: the microphone to use (the SDK's audioOptions.deviceId, which must be connected); the system default without it. */
  make(destination: string, options: { video: boolean; microphoneId?: string }): string;
  answer(callId: string, options: { video: boolean; microphoneId?: string }): void;
  /** The speaker remote audio is rendered on from now on (the SDK's renderTracks speakerId); '' = default. */
  setOutputDevice?(speakerId: string): void;
  reject(callId: string): void;
  end(callId: string): void;
  hold(callId: string): void;
  unhold(callId: string): void;
  mute(callId: string): void;
  unmute(callId: string): void;
  sendDtmf(callId: string, tones: string): void;
  /** Blind transfer: the server hands the other party to `destination`, then ends this call. */
  transfer(callId: string, destination: string): Promise<void>;
  startVideo(callId: string): void;
  stopVideo(callId: string): void;
  videoTracks(callId: string): VideoTracks;
  /** Device names of the tracks a call really uses (they can differ from the defaults). */
  trackLabels(callId: string): { audio?: string; video?: string };
  stats(callId: string): Promise<MediaStats>;
  /** Ends every call and drops the subscription; the session cannot be used afterwards. */
  destroy(): void;
}

const CPAAS_PLATFORM = 'cpaas';
/** The SDK's defaults for sendDTMF; the queue below paces tones by them. */
const DTMF_DURATION_MS = 100;
const DTMF_GAP_MS = 70;
const DTMF_MARGIN_MS = 60;
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
      // The SDK only reconnects to the same channel, which a restarted server no longer has; after
      // a few quick tries it reports LOST_CONNECTION and we subscribe afresh (see resubscribeSoon).
      autoReconnect: true,
      reconnectLimit: 3,
      reconnectDelay: 1000,
      reconnectTimeMultiplier: 2,
      reconnectTimeLimit: 8000,
    },
    logs: { logLevel: 'warn' },
  });

  let destroyed = false;
  let speakerId = '';
  let everOnline = false;
  let wantSubscribed = false;
  let resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  let resubscribeAttempt = 0;

  /** A phone never gives up while the user is signed in: back off to 30 s, with jitter so clients spread out. */
  function resubscribeSoon(): void {
    if (!wantSubscribed || destroyed || resubscribeTimer) return;
    const delay = Math.min(30_000, 1000 * 2 ** resubscribeAttempt) * (0.75 + Math.random() * 0.5);
    resubscribeAttempt++;
    resubscribeTimer = setTimeout(() => {
      resubscribeTimer = undefined;
      if (!wantSubscribed || destroyed) return;
      const subscriptions = client.services.getSubscriptions();
      if (!subscriptions.subscribed.includes('call') && !subscriptions.isPending) client.services.subscribe(['call'], 'websocket');
      else if (!subscriptions.subscribed.includes('call')) resubscribeSoon();
    }, delay);
  }

  function reportConnection(reasonWhenDown?: string): void {
    const subscriptions = client.services.getSubscriptions();
    const socket = client.connection.getSocketState(CPAAS_PLATFORM);
    if (subscriptions.subscribed.includes('call') && socket?.connected) {
      everOnline = true;
      resubscribeAttempt = 0;
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

  /** Reports the call's state and hold flags as the SDK has them now. */
  function reportCallAsItIs(callId: string): void {
    const call = client.call.getById(callId);
    if (destroyed || !call || call.state === 'Ended' || call.state === 'Cancelled') return;
    emit({ type: 'call-changed', at: Date.now(), id: call.id, sdkState: call.state, localHold: call.localHold, remoteHold: call.remoteHold });
  }

  client.on('call:stateChange', (params) => {
    const callId = params.callId as string;
    const call = callSnapshot(callId);
    if (!call) return;
    const error = describeError(params.error);
    if (call.state === 'Connected') renderRemoteTracks(callId);
    reportMedia(callId);
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
    if (params.transition === 'finish' && typeof params.callId === 'string') {
      reportMedia(params.callId);
      // The hold flags are set by the operation's finish, which may come after the state change
      // that announced the hold (e.g. a hold made while another call is being answered).
      reportCallAsItIs(params.callId);
    }
    const error = describeError(params.error);
    if (error && params.transition === 'finish') {
      emit({ type: 'operation-failed', at: Date.now(), message: `${String(params.operation)} failed: ${error}`, callId: params.callId as string });
    }
  });

  /** Rendering is idempotent in the SDK, so render on every chance: the callee's tracks can arrive before its call does. */
  function renderRemoteTracks(callId: string): void {
    const call = client.call.getById(callId);
    if (call && call.remoteTracks.length > 0) client.media.renderTracks(call.remoteTracks, config.remoteMediaSelector, speakerId ? { speakerId } : {});
  }

  function tracksOfKind(trackIds: string[], kind: 'audio' | 'video'): string[] {
    return trackIds.filter((trackId) => {
      const track = client.media.getTrackById(trackId);
      return track?.kind === kind && track.state !== 'ended';
    });
  }

  /** Tells the reducer which video the call carries now; renders our own camera where the relay can find it. */
  function reportMedia(callId: string): void {
    const call = client.call.getById(callId);
    if (!call) return;
    const localVideo = tracksOfKind(call.localTracks, 'video');
    if (localVideo.length > 0) client.media.renderTracks(localVideo, config.localMediaSelector);
    const offered = localVideo.length > 0 || tracksOfKind(call.remoteTracks, 'video').length > 0;
    emit({ type: 'call-media', id: callId, localVideo: localVideo.length > 0, remoteVideo: receivedVideo(callId).length > 0, offered });
  }

  const watchedTracks = new WeakSet<MediaStreamTrack>();

  /**
   * The other party's video tracks that carry pictures now. When the other side stops its video the
   * SDK keeps the track (the transceiver only stops receiving), but the browser mutes it; it is
   * also muted until the first frame arrives. So mute/unmute of the real track decide, and are watched.
   */
  function receivedVideo(callId: string): MediaStreamTrack[] {
    const call = client.call.getById(callId);
    if (!call) return [];
    const tracks = tracksOfKind(call.remoteTracks, 'video')
      .map(mediaStreamTrack)
      .filter((track): track is MediaStreamTrack => track !== undefined && track.readyState === 'live');
    for (const track of tracks) {
      if (watchedTracks.has(track)) continue;
      watchedTracks.add(track);
      const report = () => reportMedia(callId);
      track.addEventListener('mute', report);
      track.addEventListener('unmute', report);
      track.addEventListener('ended', report);
    }
    return tracks.filter((track) => !track.muted);
  }

  client.on('call:newTrack', (params) => {
    if (!params.local) renderRemoteTracks(params.callId as string);
    reportMedia(params.callId as string);
  });
  for (const event of ['call:trackEnded', 'call:newMedia', 'call:removedMedia']) {
    client.on(event, (params) => reportMedia(params.callId as string));
  }

  client.on('subscription:change', (params) => {
    const subscriptions = client.services.getSubscriptions();
    const lost = !subscriptions.subscribed.includes('call') && !subscriptions.isPending;
    reportConnection(params.reason === 'LOST_CONNECTION' ? 'Connection to the server lost; reconnecting…' : lost && wantSubscribed ? 'Not subscribed to calls; retrying…' : undefined);
    if (lost) resubscribeSoon();
  });
  client.on('subscription:error', (params) => {
    reportConnection(`${describeError(params.error) ?? 'Could not subscribe to calls'}; retrying…`);
    resubscribeSoon();
  });
  client.on('ws:change', () => reportConnection());

  /** The MediaStreamTrack behind an SDK track id, found on the media elements the SDK rendered. */
  function mediaStreamTrack(trackId: string): MediaStreamTrack | undefined {
    const selector = `${config.localMediaSelector} video, ${config.remoteMediaSelector} video`;
    for (const element of document.querySelectorAll<HTMLVideoElement>(selector)) {
      const stream = element.srcObject;
      if (!(stream instanceof MediaStream)) continue;
      const track = stream.getTracks().find((candidate) => candidate.id === trackId);
      if (track) return track;
    }
    return undefined;
  }

  function existingCall(callId: string) {
    const call = client.call.getById(callId);
    if (!call) throw new Error('No such call.');
    return call;
  }

  interface DtmfQueue {
    pending: string;
    busyUntil: number;
    timer: ReturnType<typeof setTimeout> | undefined;
  }
  const dtmfQueues = new Map<string, DtmfQueue>();

  function flushDtmf(callId: string, queue: DtmfQueue): void {
    const wait = queue.busyUntil - Date.now();
    if (wait > 0) {
      queue.timer = setTimeout(() => flushDtmf(callId, queue), wait);
      return;
    }
    queue.timer = undefined;
    const tones = queue.pending;
    queue.pending = '';
    if (!tones) {
      dtmfQueues.delete(callId);
      return;
    }
    if (!client.call.getById(callId)) return;
    client.call.sendDTMF(callId, tones, DTMF_DURATION_MS, DTMF_GAP_MS);
    // A comma is the browser's two-second pause.
    const playing = [...tones].reduce((total, tone) => total + (tone === ',' ? 2000 : DTMF_DURATION_MS + DTMF_GAP_MS), 0);
    queue.busyUntil = Date.now() + playing + DTMF_MARGIN_MS;
    queue.timer = setTimeout(() => flushDtmf(callId, queue), queue.busyUntil - Date.now());
  }

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
      wantSubscribed = true;
      client.services.subscribe(['call'], 'websocket');
    },
    unsubscribe() {
      wantSubscribed = false;
      client.services.unsubscribe(['call'], 'websocket');
    },
    make(destination, { video, microphoneId }) {
      return client.call.make(destination, { audio: true, video, ...audioOptions(microphoneId) });
    },
    answer(callId, { video, microphoneId }) {
      client.call.answer(callId, { audio: true, video, ...audioOptions(microphoneId) });
    },
    setOutputDevice(deviceId) {
      speakerId = deviceId;
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
      existingCall(callId);
      // The browser's RTCDTMFSender replaces the tones still waiting when new ones are inserted, so
      // fast key presses would be lost: tones queue per call and go out when the previous ones are done.
      const queue = dtmfQueues.get(callId) ?? { pending: '', busyUntil: 0, timer: undefined };
      queue.pending += tones;
      dtmfQueues.set(callId, queue);
      if (queue.timer === undefined) flushDtmf(callId, queue);
    },
    async transfer(callId, destination) {
      // The CPaaS build of SDK 4.9.0 has call.directTransfer() but no saga or request behind it for
      // CPaaS (only the Link build signals it), so the call is handed on with the server's
      // transfer request directly: POST …/sessions/{id}/transfer (see gateway/README.md).
      const call = existingCall(callId);
      if (!call.wrtcsSessionId) throw new Error('This call cannot be transferred yet.');
      const { username, accessToken } = client.getUserInfo();
      if (!username || !accessToken) throw new Error('Not signed in.');
      const base = `https://${config.host}:${config.port}/cpaas/webrtcsignaling/v1/${encodeURIComponent(username)}`;
      let response: Response;
      try {
        response = await fetch(`${base}/sessions/${encodeURIComponent(call.wrtcsSessionId)}/transfer`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ wrtcsTransfer: { tParticipantAddress: destination, clientCorrelator: config.clientCorrelator } }),
        });
      } catch {
        throw new Error('Transfer failed: the server could not be reached.');
      }
      if (!response.ok) throw new Error(`Transfer failed: ${await requestErrorText(response)}`);
    },
    startVideo(callId) {
      existingCall(callId);
      client.call.addMedia(callId, { video: true });
    },
    stopVideo(callId) {
      const tracks = tracksOfKind(existingCall(callId).localTracks, 'video');
      if (tracks.length === 0) throw new Error('This call sends no video.');
      client.call.removeMedia(callId, tracks);
    },
    videoTracks(callId) {
      const call = client.call.getById(callId);
      if (!call) return { local: [], remote: [] };
      const local = tracksOfKind(call.localTracks, 'video')
        .map(mediaStreamTrack)
        .filter((track): track is MediaStreamTrack => track !== undefined && track.readyState === 'live');
      return { local, remote: receivedVideo(callId) };
    },
    trackLabels(callId) {
      const call = client.call.getById(callId);
      if (!call) return {};
      const label = (kind: 'audio' | 'video') => tracksOfKind(call.localTracks, kind).map((id) => client.media.getTrackById(id)?.label).find(Boolean);
      const audio = label('audio');
      const video = label('video');
      return { ...(audio ? { audio } : {}), ...(video ? { video } : {}) };
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
      wantSubscribed = false;
      clearTimeout(resubscribeTimer);
      for (const call of client.call.getAll()) {
        if (call.state !== 'Ended' && call.state !== 'Cancelled') client.call.end(call.id);
      }
      client.services.unsubscribe(['call'], 'websocket');
    },
  };
}

/**
 * The SDK's media option for a chosen microphone. 'exact', because Chromium ignores an 'ideal'
 * deviceId for audio; the caller passes only a microphone that is connected.
 */
function audioOptions(microphoneId: string | undefined): { audioOptions?: { deviceId: { exact: string } } } {
  return microphoneId ? { audioOptions: { deviceId: { exact: microphoneId } } } : {};
}

/** The server's own words from a CPaaS `requestError` body, else the HTTP status. */
async function requestErrorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { requestError?: Record<string, { text?: string; variables?: string[] }> };
    const exception = Object.values(body.requestError ?? {})[0];
    if (exception?.text) return exception.text.replace(/%(\d+)/g, (_match, index: string) => exception.variables?.[Number(index) - 1] ?? '');
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

function summarizeStats(callId: string, report: RTCStatsReport | undefined): MediaStats {
  const stats: MediaStats = {
    callId,
    bytesSent: 0,
    bytesReceived: 0,
    packetsReceived: 0,
    packetsSent: 0,
    totalAudioEnergy: 0,
    totalSamplesDuration: 0,
    videoBytesReceived: 0,
    videoFramesDecoded: 0,
    videoBytesSent: 0,
  };
  report?.forEach((entry: Record<string, unknown>) => {
    if (entry.type === 'outbound-rtp' && entry.kind === 'audio') {
      stats.bytesSent += Number(entry.bytesSent ?? 0);
      stats.packetsSent += Number(entry.packetsSent ?? 0);
    }
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      stats.bytesReceived += Number(entry.bytesReceived ?? 0);
      stats.packetsReceived += Number(entry.packetsReceived ?? 0);
      stats.totalAudioEnergy += Number(entry.totalAudioEnergy ?? 0);
      stats.totalSamplesDuration += Number(entry.totalSamplesDuration ?? 0);
      if (typeof entry.audioLevel === 'number') stats.audioLevel = entry.audioLevel;
    }
    if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
      stats.videoBytesReceived += Number(entry.bytesReceived ?? 0);
      stats.videoFramesDecoded += Number(entry.framesDecoded ?? 0);
    }
    if (entry.type === 'outbound-rtp' && entry.kind === 'video') stats.videoBytesSent += Number(entry.bytesSent ?? 0);
  });
  return stats;
}
