import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import { CALL_LOST_REASON, withLostCalls } from './phone-watch';

const call = (id: string, phase: CallView['phase']): CallView => ({
  id,
  direction: 'outgoing',
  remoteAddress: 'sip:bob@kandy.example',
  phase,
  sdkState: phase,
  startedAt: 1,
  muted: false,
  localHold: false,
  remoteHold: false,
  video: false,
});

describe('withLostCalls', () => {
  it('ends every live call with a reason the user can read, and leaves finished ones alone', () => {
    const state: AppState = { ...INITIAL_STATE, connection: { status: 'online' }, calls: [call('a', 'ended'), call('b', 'connected'), call('c', 'ringing')], revision: 7 };
    const next = withLostCalls(state, 99);
    expect(next.calls.map((entry) => entry.phase)).toEqual(['ended', 'ended', 'ended']);
    expect(next.calls[0]?.endReason).toBeUndefined();
    expect(next.calls[1]).toMatchObject({ endReason: CALL_LOST_REASON, endedAt: 99 });
    expect(next.lastError?.message).toBe(CALL_LOST_REASON);
    expect(next.revision).toBe(8);
  });

  it('changes nothing when no call was live', () => {
    const state: AppState = { ...INITIAL_STATE, calls: [call('a', 'ended')] };
    expect(withLostCalls(state, 5)).toBe(state);
  });
});
