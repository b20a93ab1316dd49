/**
 * The media half of the echo line: a WebRTC endpoint in Node (werift, pure TypeScript) that answers
 * the SDK's offer and sends every audio packet it receives straight back.
 *
 * The SDK's offers are unified plan, not bundled, not trickled, with every candidate already in the
 * SDP (protocol notes §9), so one setRemoteDescription + createAnswer + setLocalDescription is the
 * whole negotiation, and the answer we return carries our own candidates. Re-offers (hold, unhold)
 * go through the same peer connection.
 *
 * Echo: packets of the negotiated voice codec are written back on our sender; werift gives them our
 * SSRC and keeps the caller's sequence numbers and timestamps, so the caller's jitter buffer sees a
 * normal stream. Received header extensions are dropped (their ids mean nothing on our stream).
 * RFC 4733 telephone-event packets (DTMF) are counted but not echoed: werift's sender stamps the
 * voice codec's payload type on everything it sends, which would turn them into garbage audio.
 */
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type MediaStreamTrack, type RTCRtpTransceiver } from 'werift';

export interface EchoMediaStats {
  /** werift's view of the DTLS/ICE transport: new, connecting, connected, disconnected, failed, closed. */
  connectionState: string;
  /** The negotiated voice codec, e.g. "audio/opus", once known. */
  codec: string | undefined;
  /** The media direction we answered last (sendrecv while connected, inactive/recvonly while held). */
  direction: string | undefined;
  packetsReceived: number;
  bytesReceived: number;
  packetsEchoed: number;
  bytesEchoed: number;
  /** telephone-event (DTMF) packets received; not echoed. */
  dtmfPacketsReceived: number;
  /** Date.now() of the first received RTP packet. */
  firstPacketAt: number | undefined;
  /**
   * RTCP round trip (RFC 3550 §6.4.1) between this endpoint and the caller: our sender reports, the
   * caller's receiver reports echo their time stamp back (LSR) with the delay at the caller (DLSR).
   */
  roundTripTimeMs: number | undefined;
  roundTripTimeMeasurements: number;
}

export interface EchoPeerOptions {
  /** Extra host addresses to offer as candidates (werift skips loopback by default). */
  additionalHostAddresses?: string[];
  /** Seconds to wait for our ICE candidates before answering anyway. Default 5. */
  gatheringTimeoutMs?: number;
}

/** Audio codecs we accept, in our order of preference; static payload types must be right. */
function audioCodecs(): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, parameters: 'minptime=10;useinbandfec=1' }),
    new RTCRtpCodecParameters({ mimeType: 'audio/G722', clockRate: 8000, payloadType: 9 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, payloadType: 8 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, payloadType: 126 }),
  ];
}

function isVoiceCodec(mimeType: string | undefined): boolean {
  const name = mimeType?.toLowerCase() ?? '';
  return name.startsWith('audio/') && !name.endsWith('/telephone-event') && !name.endsWith('/cn') && !name.endsWith('/red');
}

/**
 * werift gives an inactive m-section port 0, which in an answer means "rejected": Chromium then stops
 * the transceiver for good, so a hold with a=inactive could never be undone. An inactive section the
 * offer did not reject gets the usual placeholder port 9 instead (the candidates carry the real ones).
 */
export function keepInactiveSectionsOpen(answerSdp: string, offerSdp: string): string {
  const offeredPorts = [...offerSdp.matchAll(/^m=\w+ (\d+) /gm)].map((match) => Number(match[1]));
  const sections = answerSdp.split(/(?=^m=)/m);
  return sections
    .map((section, index) => {
      if (index === 0) return section; // the session part
      const offeredPort = offeredPorts[index - 1];
      if (!/^m=\w+ 0 /.test(section) || offeredPort === undefined || offeredPort === 0 || !/^a=inactive\r?$/m.test(section)) return section;
      return section.replace(/^(m=\w+) 0 /, '$1 9 ');
    })
    .join('');
}

function waitForGathering(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    const subscription = pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') finish();
    });
    function finish(): void {
      clearTimeout(timer);
      subscription.unSubscribe();
      resolve();
    }
  });
}

export class EchoPeer {
  private pc: RTCPeerConnection | undefined;
  private readonly loops = new Set<string>();
  private closed = false;
  private readonly counters = {
    packetsReceived: 0,
    bytesReceived: 0,
    packetsEchoed: 0,
    bytesEchoed: 0,
    dtmfPacketsReceived: 0,
    firstPacketAt: undefined as number | undefined,
  };

  constructor(private readonly options: EchoPeerOptions = {}) {}

  get connectionState(): string {
    return this.pc?.connectionState ?? 'new';
  }

  /**
   * The peer connection is made when the first offer arrives: werift puts a BUNDLE group in every
   * answer unless its bundle policy is "disable", and an answer may not add a group the offer lacks
   * (Chromium refuses it), so a non-bundled offer (the SDK strips BUNDLE) needs "disable".
   */
  private peerFor(offerSdp: string): RTCPeerConnection {
    if (this.pc) return this.pc;
    const bundled = /^a=group:BUNDLE /m.test(offerSdp);
    const pc = new RTCPeerConnection({
      codecs: { audio: audioCodecs(), video: [] },
      iceServers: [],
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: this.options.additionalHostAddresses,
      bundlePolicy: bundled ? 'max-compat' : 'disable',
    });
    pc.onTransceiverAdded.subscribe((transceiver) => this.prepare(transceiver));
    pc.onRemoteTransceiverAdded.subscribe((transceiver) => this.prepare(transceiver));
    this.pc = pc;
    return pc;
  }

  /** Answers an offer (the first one or a re-offer) and returns our answer SDP, candidates included. */
  async answer(offerSdp: string): Promise<string> {
    if (this.closed) throw new Error('the echo peer is closed');
    const pc = this.peerFor(offerSdp);
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    for (const transceiver of pc.getTransceivers()) {
      this.prepare(transceiver);
      // werift answers with this direction ANDed with the offer's (reversed): sendrecv mirrors the caller,
      // recvonly while they hold with sendonly, inactive while they hold with inactive.
      transceiver.setDirection('sendrecv');
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await waitForGathering(pc, this.options.gatheringTimeoutMs ?? 5000);
    const local = pc.localDescription;
    if (!local) throw new Error('werift produced no local description');
    return keepInactiveSectionsOpen(local.sdp, offerSdp);
  }

  async stats(): Promise<EchoMediaStats> {
    const pc = this.pc;
    const transceiver = pc?.getTransceivers().find((candidate) => candidate.kind === 'audio');
    let roundTripTimeMs: number | undefined;
    let roundTripTimeMeasurements = 0;
    if (pc && !this.closed) {
      const report = await pc.getStats().catch(() => undefined);
      report?.forEach((entry) => {
        const stats = entry as { type?: string; kind?: string; roundTripTime?: number; roundTripTimeMeasurements?: number };
        if (stats.type === 'remote-inbound-rtp' && stats.roundTripTime !== undefined) {
          roundTripTimeMs = stats.roundTripTime * 1000;
          roundTripTimeMeasurements = stats.roundTripTimeMeasurements ?? roundTripTimeMeasurements;
        }
      });
    }
    return {
      connectionState: this.closed ? 'closed' : this.connectionState,
      codec: transceiver?.sender.codec?.mimeType,
      direction: transceiver?.currentDirection ?? transceiver?.direction,
      ...this.counters,
      roundTripTimeMs,
      roundTripTimeMeasurements,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pc?.close().catch(() => undefined);
  }

  private prepare(transceiver: RTCRtpTransceiver): void {
    if (this.loops.has(transceiver.id)) return;
    this.loops.add(transceiver.id);
    transceiver.onTrack.subscribe((track) => this.loop(track, transceiver));
  }

  private loop(track: MediaStreamTrack, transceiver: RTCRtpTransceiver): void {
    track.onReceiveRtp.subscribe((packet) => {
      if (this.closed) return;
      const counters = this.counters;
      counters.packetsReceived += 1;
      counters.bytesReceived += packet.payload.length;
      counters.firstPacketAt ??= Date.now();
      const sender = transceiver.sender;
      const voice = sender.codec;
      if (!voice || !isVoiceCodec(voice.mimeType)) return;
      if (packet.header.payloadType !== voice.payloadType) {
        counters.dtmfPacketsReceived += 1;
        return;
      }
      const direction = transceiver.currentDirection;
      if (direction !== 'sendrecv' && direction !== 'sendonly') return;
      const header = new RtpHeader({
        marker: packet.header.marker,
        payloadType: packet.header.payloadType,
        sequenceNumber: packet.header.sequenceNumber,
        timestamp: packet.header.timestamp,
        ssrc: packet.header.ssrc,
      });
      const echoed = new RtpPacket(header, Buffer.from(packet.payload));
      counters.packetsEchoed += 1;
      counters.bytesEchoed += echoed.payload.length;
      sender.sendRtp(echoed).catch(() => undefined);
    });
  }
}
