/**
 * Relays a call's video from the offscreen document to the call window.
 *
 * Why a local RTCPeerConnection pair:
 * - The offscreen document owns the call media and must keep owning it: the SDK's peer connection,
 *   the camera track and the remote track live there, it outlives the popup and the call window,
 *   and only it may talk to the SDK (src/offscreen/kandy-seam.ts).
 * - A MediaStreamTrack cannot be handed to another document: extension pages share no DOM, and
 *   tracks are not transferable between an offscreen document and a window. Copying frames through
 *   a canvas and runtime messages would be slow and costly.
 * - A second RTCPeerConnection pair on the loopback interface carries live tracks between two
 *   documents with the browser's own real-time pipeline, needs no server and no TURN (host
 *   candidates only), and closes cleanly when the window goes away.
 *
 * Signalling is one offer/answer round trip through the background (runtime messages
 * `ui/video-relay-*` → `bg/video-relay-*`), without trickle ICE: each side waits until its ICE
 * gathering has finished. Only video is relayed; the call audio keeps playing in this document.
 * The relay is send-only from here: the call window never sends anything back but its answer.
 */
import type { VideoRelayOffer } from '../shared/messages';
import type { VideoTracks } from './kandy-seam';

const MAX_RELAYS = 3;
const GATHERING_TIMEOUT_MS = 3000;

interface Relay {
  callId: string;
  pc: RTCPeerConnection;
  openedAt: number;
}

export interface RelaySummary {
  relayId: string;
  callId: string;
  connectionState: RTCPeerConnectionState;
  tracks: number;
}

export function iceGatheringComplete(pc: RTCPeerConnection, timeoutMs = GATHERING_TIMEOUT_MS): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check(): void {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}

export class VideoRelays {
  private readonly relays = new Map<string, Relay>();

  constructor(private readonly tracksOf: (callId: string) => VideoTracks) {}

  /** Offers the call's current video tracks; an offer without tracks means "no video yet". */
  async open(callId: string): Promise<VideoRelayOffer> {
    const relayId = crypto.randomUUID();
    const { local, remote } = this.tracksOf(callId);
    if (local.length + remote.length === 0) return { relayId, sdp: '', tracks: [] };
    this.makeRoom();
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.relays.set(relayId, { callId, pc, openedAt: Date.now() });
    // A window that closed without a word: ICE consent fails and the relay goes with it.
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed') this.close(relayId);
    });
    const sent: { transceiver: RTCRtpTransceiver; source: 'local' | 'remote' }[] = [];
    for (const track of remote) sent.push({ transceiver: pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] }), source: 'remote' });
    for (const track of local) sent.push({ transceiver: pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] }), source: 'local' });
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await iceGatheringComplete(pc);
    } catch (error) {
      this.close(relayId);
      throw error;
    }
    return {
      relayId,
      sdp: pc.localDescription?.sdp ?? '',
      tracks: sent.map(({ transceiver, source }) => ({ mid: transceiver.mid ?? '', source })),
    };
  }

  async answer(relayId: string, sdp: string): Promise<void> {
    const relay = this.relays.get(relayId);
    if (!relay) throw new Error('That video relay is closed.');
    await relay.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  close(relayId: string): void {
    const relay = this.relays.get(relayId);
    if (!relay) return;
    this.relays.delete(relayId);
    relay.pc.close();
  }

  /** Drops the relays of calls that are over. */
  keepOnly(liveCallIds: Set<string>): void {
    for (const [relayId, relay] of this.relays) if (!liveCallIds.has(relay.callId)) this.close(relayId);
  }

  summary(): RelaySummary[] {
    return [...this.relays].map(([relayId, relay]) => ({
      relayId,
      callId: relay.callId,
      connectionState: relay.pc.connectionState,
      tracks: relay.pc.getSenders().filter((sender) => sender.track).length,
    }));
  }

  /** A window that vanished without saying goodbye must not keep encoders running forever. */
  private makeRoom(): void {
    while (this.relays.size >= MAX_RELAYS) {
      const oldest = [...this.relays].sort((a, b) => a[1].openedAt - b[1].openedAt)[0];
      if (!oldest) return;
      this.close(oldest[0]);
    }
  }
}
