import { END_REASONS, type AppState, type CallPhase, type CallView } from '../shared/state';
import type { SessionEvent } from './session-events';

/** How many finished calls stay in the state so views can show how they ended. */
export const ENDED_CALLS_KEPT = 5;

const PHASE_BY_SDK_STATE: Record<string, CallPhase> = {
  Initiating: 'initiating',
  Initiated: 'initiating',
  Ringing: 'ringing',
  'Early Media': 'ringing',
  Connected: 'connected',
  'On Hold': 'on-hold',
  Ended: 'ended',
  Cancelled: 'ended',
};

export function phaseOf(sdkState: string): CallPhase {
  return PHASE_BY_SDK_STATE[sdkState] ?? 'initiating';
}

function endReasonFor(call: CallView, sdkState: string, error: string | undefined): string | undefined {
  if (error) return error;
  if (call.transferredTo) return `Transferred to ${call.transferredTo}`;
  if (sdkState === 'Cancelled') return call.direction === 'incoming' ? END_REASONS.callerHungUp : END_REASONS.cancelled;
  if (call.answeredAt === undefined) return call.direction === 'incoming' ? END_REASONS.endedBeforeAnswer : END_REASONS.notAnswered;
  return END_REASONS.ended;
}

function withRevision(state: AppState, changes: Partial<AppState>): AppState {
  return { ...state, ...changes, revision: state.revision + 1 };
}

function pruneEnded(calls: CallView[]): CallView[] {
  const ended = calls.filter((call) => call.phase === 'ended');
  if (ended.length <= ENDED_CALLS_KEPT) return calls;
  const dropped = new Set(ended.slice(0, ended.length - ENDED_CALLS_KEPT).map((call) => call.id));
  return calls.filter((call) => !dropped.has(call.id));
}

function updateCall(state: AppState, id: string, update: (call: CallView) => CallView): AppState {
  const index = state.calls.findIndex((call) => call.id === id);
  const current = state.calls[index];
  if (!current) return state;
  const updated = update(current);
  if (updated === current) return state;
  const calls = state.calls.slice();
  calls[index] = updated;
  return withRevision(state, { calls: pruneEnded(calls) });
}

const handlers: { [K in SessionEvent['type']]: (state: AppState, event: Extract<SessionEvent, { type: K }>) => AppState } = {
  connection(state, event) {
    const calls = event.connection.status === 'signed-out'
      ? state.calls.map((call) => (call.phase === 'ended' ? call : { ...call, phase: 'ended' as const, endReason: END_REASONS.signedOut, endedAt: Date.now() }))
      : state.calls;
    // The seam does not know who signed in; keep the identity until the user signs out.
    const user = event.connection.user ?? (event.connection.status === 'signed-out' ? undefined : state.connection.user);
    return withRevision(state, { connection: { ...event.connection, ...(user ? { user } : {}) }, calls });
  },
  'call-added'(state, event) {
    if (state.calls.some((call) => call.id === event.call.id)) return state;
    const phase = phaseOf(event.call.sdkState);
    const call: CallView = {
      ...event.call,
      phase,
      startedAt: event.at,
      muted: false,
      localHold: false,
      remoteHold: false,
      ...(phase === 'ended' ? { endedAt: event.at, endReason: 'Call could not be started' } : {}),
    };
    return withRevision(state, { calls: pruneEnded([...state.calls, call]) });
  },
  'call-changed'(state, event) {
    return updateCall(state, event.id, (call) => {
      if (call.phase === 'ended') return call;
      const unchanged = call.sdkState === event.sdkState && call.localHold === event.localHold && call.remoteHold === event.remoteHold;
      if (unchanged && !event.error) return call;
      const phase = phaseOf(event.sdkState);
      const next: CallView = { ...call, phase, sdkState: event.sdkState, localHold: event.localHold, remoteHold: event.remoteHold };
      if ((phase === 'connected' || phase === 'on-hold') && call.answeredAt === undefined) next.answeredAt = event.at;
      if (phase === 'ended') {
        next.endedAt = event.at;
        const reason = endReasonFor(call, event.sdkState, event.error);
        if (reason !== undefined) next.endReason = reason;
      }
      return next;
    });
  },
  'call-muted'(state, event) {
    return updateCall(state, event.id, (call) => ({ ...call, muted: event.muted }));
  },
  'call-video'(state, event) {
    return updateCall(state, event.id, (call) => ({ ...call, video: event.video }));
  },
  'call-media'(state, event) {
    return updateCall(state, event.id, (call) => {
      // `video` says "a video call": it stays once the call had video, for the history and the incoming-call wording.
      const video = call.video || event.localVideo || event.remoteVideo || event.offered === true;
      if (call.localVideo === event.localVideo && call.remoteVideo === event.remoteVideo && call.video === video) return call;
      return { ...call, localVideo: event.localVideo, remoteVideo: event.remoteVideo, video };
    });
  },
  'call-transferred'(state, event) {
    return updateCall(state, event.id, (call) => {
      if (call.phase === 'ended') return call;
      if (event.to) return { ...call, transferredTo: event.to };
      const { transferredTo: _dropped, ...rest } = call;
      return rest;
    });
  },
  devices(state, event) {
    const before = state.devices ?? {};
    const after = event.devices;
    if (before.audioInput === after.audioInput && before.audioOutput === after.audioOutput && before.videoInput === after.videoInput) return state;
    return withRevision(state, { devices: { ...after } });
  },
  'operation-failed'(state, event) {
    const lastError = { message: event.message, at: event.at, ...(event.callId ? { callId: event.callId } : {}) };
    return withRevision(state, { lastError });
  },
  'error-seen'(state) {
    if (!state.lastError) return state;
    const { lastError: _seen, ...rest } = state;
    return { ...rest, revision: state.revision + 1 };
  },
};

/** The one place the call state changes. Pure: same state and event, same result. */
export function reduce(state: AppState, event: SessionEvent): AppState {
  const handler = handlers[event.type] as (state: AppState, event: SessionEvent) => AppState;
  return handler(state, event);
}
