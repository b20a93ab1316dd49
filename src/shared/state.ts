/** The whole call state every view renders. Produced only by the offscreen document's reducer. */

export type ConnectionStatus = 'signed-out' | 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why we are offline or signed out, in words a user understands. */
  reason?: string;
  /** The signed-in user's identity (e.g. alice@kandy.example). */
  user?: string;
}

export type CallDirection = 'outgoing' | 'incoming';

export type CallPhase = 'initiating' | 'ringing' | 'connected' | 'on-hold' | 'ended';

export interface CallView {
  id: string;
  direction: CallDirection;
  /** The other party's address as dialled or as presented by the network. */
  remoteAddress: string;
  remoteName?: string;
  phase: CallPhase;
  /** The SDK's own state name, kept for diagnostics. */
  sdkState: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  muted: boolean;
  localHold: boolean;
  remoteHold: boolean;
  video: boolean;
  /** Why the call ended or failed, when known. */
  endReason?: string;
  /** We send video (camera) on this call. */
  localVideo?: boolean;
  /** The other party sends video on this call. */
  remoteVideo?: boolean;
  /** Set when this call was handed on by a blind transfer (the destination as dialled). */
  transferredTo?: string;
}

/** The devices the phone uses, by the names the browser gives them (empty until known). */
export interface DeviceNames {
  audioInput?: string;
  audioOutput?: string;
  videoInput?: string;
}

export interface AppState {
  connection: ConnectionState;
  calls: CallView[];
  /** The last operation that failed, shown once by the UI. */
  lastError?: { message: string; at: number; callId?: string };
  /** Bumped on every change so stale pushes can be ignored. */
  revision: number;
  /** Microphone, speaker and camera names as the offscreen document sees them. */
  devices?: DeviceNames;
}

export const INITIAL_STATE: AppState = {
  connection: { status: 'signed-out' },
  calls: [],
  revision: 0,
};

export function isLive(call: CallView): boolean {
  return call.phase !== 'ended';
}

export function liveCalls(state: AppState): CallView[] {
  return state.calls.filter(isLive);
}

/** An incoming call nobody has answered yet: what rings, notifies, shows Answer and counts as missed. */
export function isRingingIncoming(call: Pick<CallView, 'direction' | 'phase' | 'answeredAt'>): boolean {
  return call.direction === 'incoming' && call.phase !== 'ended' && call.answeredAt === undefined;
}

/** The reasons the reducer gives to calls that ended without an error; anything else is a failure. */
export const END_REASONS = {
  ended: 'Call ended',
  cancelled: 'Cancelled',
  callerHungUp: 'Caller hung up',
  endedBeforeAnswer: 'Call ended before it was answered',
  notAnswered: 'Not answered or declined',
  signedOut: 'Signed out',
} as const;
