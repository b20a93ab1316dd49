import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, type AppState } from '../shared/state';
import { ENDED_CALLS_KEPT, phaseOf, reduce } from './call-reducer';
import type { SessionEvent } from './session-events';

function run(events: SessionEvent[], from: AppState = INITIAL_STATE): AppState {
  return events.reduce(reduce, from);
}

const outgoing = (id = 'c1', at = 1000): SessionEvent => ({
  type: 'call-added',
  at,
  call: { id, direction: 'outgoing', remoteAddress: 'sip:bob@kandy.example', video: false, sdkState: 'Initiating' },
});
const incoming = (id = 'c2', at = 1000): SessionEvent => ({
  type: 'call-added',
  at,
  call: { id, direction: 'incoming', remoteAddress: 'sip:alice@kandy.example', remoteName: 'Alice', video: false, sdkState: 'Initiating' },
});
const change = (id: string, sdkState: string, at: number, extra: Partial<Extract<SessionEvent, { type: 'call-changed' }>> = {}): SessionEvent => ({
  type: 'call-changed',
  id,
  sdkState,
  at,
  localHold: false,
  remoteHold: false,
  ...extra,
});

describe('call reducer', () => {
  it('maps every SDK state to a phase', () => {
    expect(['Initiating', 'Initiated', 'Ringing', 'Early Media', 'Connected', 'On Hold', 'Ended', 'Cancelled'].map(phaseOf)).toEqual([
      'initiating',
      'initiating',
      'ringing',
      'ringing',
      'connected',
      'on-hold',
      'ended',
      'ended',
    ]);
  });

  it('follows an outgoing call from start to end, recording answer and end times', () => {
    const state = run([outgoing(), change('c1', 'Initiated', 1100), change('c1', 'Ringing', 1200), change('c1', 'Connected', 2000), change('c1', 'Ended', 9000)]);
    expect(state.calls).toHaveLength(1);
    expect(state.calls[0]).toMatchObject({ phase: 'ended', startedAt: 1000, answeredAt: 2000, endedAt: 9000, endReason: 'Call ended' });
  });

  it('explains calls that end before an answer', () => {
    const rejected = run([outgoing(), change('c1', 'Ringing', 1200), change('c1', 'Ended', 1500)]);
    expect(rejected.calls[0]?.endReason).toBe('Not answered or declined');
    const cancelled = run([incoming(), change('c2', 'Ringing', 1100), change('c2', 'Cancelled', 1300)]);
    expect(cancelled.calls[0]).toMatchObject({ phase: 'ended', endReason: 'Caller hung up' });
    const failed = run([outgoing(), change('c1', 'Ended', 1100, { error: 'No such user (SVC0004)' })]);
    expect(failed.calls[0]?.endReason).toBe('No such user (SVC0004)');
  });

  it('tracks hold on either side and mute', () => {
    let state = run([incoming(), change('c2', 'Ringing', 1100), change('c2', 'Connected', 1200)]);
    state = reduce(state, change('c2', 'On Hold', 1300, { remoteHold: true }));
    expect(state.calls[0]).toMatchObject({ phase: 'on-hold', remoteHold: true, localHold: false, answeredAt: 1200 });
    state = reduce(state, { type: 'call-muted', id: 'c2', muted: true });
    expect(state.calls[0]?.muted).toBe(true);
  });

  it('never revives an ended call and ignores unknown calls', () => {
    const ended = run([outgoing(), change('c1', 'Ended', 1100)]);
    expect(reduce(ended, change('c1', 'Connected', 1200)).calls[0]?.phase).toBe('ended');
    expect(reduce(ended, change('nope', 'Connected', 1200))).toBe(ended);
    expect(reduce(ended, outgoing('c1'))).toBe(ended);
  });

  it('keeps only the last few ended calls', () => {
    const events: SessionEvent[] = [];
    for (let i = 0; i < ENDED_CALLS_KEPT + 3; i++) events.push(outgoing(`c${i}`, i), change(`c${i}`, 'Ended', i + 1));
    const state = run(events);
    expect(state.calls).toHaveLength(ENDED_CALLS_KEPT);
    expect(state.calls[0]?.id).toBe('c3');
  });

  it('ends live calls when signed out, and bumps the revision on every change', () => {
    const state = run([outgoing(), { type: 'connection', connection: { status: 'signed-out', reason: 'bye' } }]);
    expect(state.calls[0]).toMatchObject({ phase: 'ended', endReason: 'Signed out' });
    expect(state.connection).toEqual({ status: 'signed-out', reason: 'bye' });
    expect(state.revision).toBe(2);
  });

  it('records and clears the last failed operation', () => {
    const failed = reduce(INITIAL_STATE, { type: 'operation-failed', at: 5, message: 'hold failed', callId: 'c1' });
    expect(failed.lastError).toEqual({ message: 'hold failed', at: 5, callId: 'c1' });
    expect(reduce(failed, { type: 'error-seen' }).lastError).toBeUndefined();
    expect(reduce(INITIAL_STATE, { type: 'error-seen' })).toBe(INITIAL_STATE);
  });
  it('tracks video in each direction and keeps the state when nothing changed', () => {
    const connected = run([outgoing(), change('c1', 'Connected', 1100)]);
    const withVideo = reduce(connected, { type: 'call-media', id: 'c1', localVideo: true, remoteVideo: false });
    expect(withVideo.calls[0]).toMatchObject({ localVideo: true, remoteVideo: false, video: true });
    expect(reduce(withVideo, { type: 'call-media', id: 'c1', localVideo: true, remoteVideo: false })).toBe(withVideo);
    const stopped = reduce(withVideo, { type: 'call-media', id: 'c1', localVideo: false, remoteVideo: false });
    expect(stopped.calls[0]).toMatchObject({ localVideo: false, remoteVideo: false, video: true });
    const ringing = run([incoming()]);
    expect(reduce(ringing, { type: 'call-media', id: 'c2', localVideo: false, remoteVideo: false, offered: true }).calls[0]?.video).toBe(true);
  });

  it('says a transferred call ended by the transfer, and forgets a refused transfer', () => {
    const connected = run([outgoing(), change('c1', 'Connected', 1100)]);
    const marked = reduce(connected, { type: 'call-transferred', id: 'c1', to: '+1 415 555 0102' });
    expect(reduce(marked, change('c1', 'Ended', 1200)).calls[0]?.endReason).toBe('Transferred to +1 415 555 0102');
    const refused = reduce(marked, { type: 'call-transferred', id: 'c1', to: undefined });
    expect(refused.calls[0]?.transferredTo).toBeUndefined();
    expect(reduce(refused, change('c1', 'Ended', 1200)).calls[0]?.endReason).toBe('Call ended');
  });

  it('keeps the device names and changes the state only when they change', () => {
    const devices = { audioInput: 'Fake Default Audio Input', audioOutput: 'Speakers' };
    const state = reduce(INITIAL_STATE, { type: 'devices', devices });
    expect(state.devices).toEqual(devices);
    expect(reduce(state, { type: 'devices', devices: { ...devices } })).toBe(state);
  });
});
