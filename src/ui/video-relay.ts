/**
 * The call window's end of the local video relay (see src/offscreen/video-relay.ts for why the
 * video travels over a loopback RTCPeerConnection). The offscreen document offers; we answer.
 */
import type { VideoRelayOffer } from '../shared/messages';
import { iceGatheringComplete } from '../offscreen/video-relay';
import { ask } from './messaging';

export interface RelayedVideo {
  local?: MediaStream;
  remote?: MediaStream;
}

export interface VideoRelayHandle {
  close(): void;
}

export async function openVideoRelay(
  callId: string,
  onVideo: (video: RelayedVideo) => void,
  onFailed: (reason: string) => void,
): Promise<VideoRelayHandle> {
  const reply = await ask<VideoRelayOffer>({ type: 'ui/video-relay-open', callId });
  if (!reply.ok) {
    onFailed(reply.error);
    return { close() {} };
  }
  const offer = reply.value;
  if (offer.tracks.length === 0) {
    onVideo({});
    return { close() {} };
  }
  const sources = new Map(offer.tracks.map((track) => [track.mid, track.source]));
  const video: RelayedVideo = {};
  const pc = new RTCPeerConnection({ iceServers: [] });
  let closed = false;
  pc.addEventListener('track', (event) => {
    const source = sources.get(event.transceiver.mid ?? '');
    if (!source) return;
    video[source] = new MediaStream([event.track]);
    onVideo({ ...video });
  });
  pc.addEventListener('connectionstatechange', () => {
    if (!closed && pc.connectionState === 'failed') onFailed('The video connection failed.');
  });
  const close = () => {
    if (closed) return;
    closed = true;
    pc.close();
    void ask({ type: 'ui/video-relay-close', relayId: offer.relayId });
  };
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await iceGatheringComplete(pc);
    const answered = await ask({ type: 'ui/video-relay-answer', relayId: offer.relayId, sdp: pc.localDescription?.sdp ?? '' });
    if (!answered.ok) throw new Error(answered.error);
  } catch (error) {
    close();
    onFailed(error instanceof Error ? error.message : String(error));
  }
  return { close };
}
