import type { CallDirection, ConnectionState, DeviceNames } from '../shared/state';

/**
 * What the SDK seam reports, already stripped of SDK vocabulary except the raw state name.
 * Another Kandy flavour only has to produce these.
 */
export type SessionEvent =
  | { type: 'connection'; connection: ConnectionState }
  | {
      type: 'call-added';
      at: number;
      call: { id: string; direction: CallDirection; remoteAddress: string; remoteName?: string; video: boolean; sdkState: string };
    }
  | { type: 'call-changed'; at: number; id: string; sdkState: string; localHold: boolean; remoteHold: boolean; error?: string }
  | { type: 'call-muted'; id: string; muted: boolean }
  | { type: 'call-video'; id: string; video: boolean }
  /**
   * Which video the call carries now, in each direction. `offered`: the call has video tracks at
   * all (also before the first frame, e.g. an incoming video call that still rings).
   */
  | { type: 'call-media'; id: string; localVideo: boolean; remoteVideo: boolean; offered?: boolean }
  /** A blind transfer of this call was accepted by the server; the call ends next. */
  | { type: 'call-transferred'; id: string; to: string | undefined }
  | { type: 'devices'; devices: DeviceNames }
  | { type: 'operation-failed'; at: number; message: string; callId?: string }
  | { type: 'error-seen' };
