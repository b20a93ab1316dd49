import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import type { HubContext } from './hub';
import { CALL_LOST_REASON, LIVE_CALLS_KEY, liveCallsObserver, withLostCalls, withRememberedCalls } from './phone-watch';

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

describe('calls remembered across a crash of the extension', () => {
  it('adds the remembered live calls the emptied state lost, so they are reported as lost', () => {
    const remembered = [call('b', 'connected'), call('x', 'ended')];
    const next = withLostCalls(withRememberedCalls(INITIAL_STATE, remembered), 42);
    expect(next.calls.map((entry) => [entry.id, entry.phase, entry.endReason])).toEqual([['b', 'ended', CALL_LOST_REASON]]);
  });

  it('does not duplicate a call the state still has', () => {
    const state: AppState = { ...INITIAL_STATE, calls: [call('b', 'ended')] };
    expect(withRememberedCalls(state, [call('b', 'connected')])).toBe(state);
  });

  it('stores the live calls when one starts, changes phase or ends, and not on other pushes', async () => {
    const writes: unknown[] = [];
    const context = { browser: { storage: { local: { set: async (items: Record<string, unknown>) => void writes.push(items[LIVE_CALLS_KEY]) } } } } as unknown as HubContext;
    const ringing: AppState = { ...INITIAL_STATE, calls: [call('b', 'ringing')] };
    const connected: AppState = { ...INITIAL_STATE, calls: [call('b', 'connected')] };
    const muted: AppState = { ...connected, calls: [{ ...call('b', 'connected'), muted: true }] };
    const ended: AppState = { ...INITIAL_STATE, calls: [call('b', 'ended')] };
    await liveCallsObserver(INITIAL_STATE, ringing, context);
    await liveCallsObserver(ringing, connected, context);
    await liveCallsObserver(connected, muted, context);
    await liveCallsObserver(muted, ended, context);
    expect(writes.map((calls) => (calls as CallView[]).map((entry) => entry.phase))).toEqual([['ringing'], ['connected'], []]);
  });
});
