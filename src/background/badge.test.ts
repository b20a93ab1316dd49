import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import { badgeFor } from './badge';
import { callToAnswer, callToHangUp } from './call-commands';
import { isMissed, isRingingIncoming } from './call-notifications';

function call(overrides: Partial<CallView>): CallView {
  return { id: 'c', direction: 'incoming', remoteAddress: 'sip:alice@kandy.example', phase: 'ringing', sdkState: 'Ringing', startedAt: 1, muted: false, localHold: false, remoteHold: false, video: false, ...overrides };
}
const withCalls = (calls: CallView[], status: AppState['connection']['status'] = 'online'): AppState => ({ ...INITIAL_STATE, connection: { status }, calls });

describe('badge', () => {
  it('shows ringing above everything, then a call, then missed calls, then the connection', () => {
    expect(badgeFor(withCalls([call({})]), 3).text).toBe('RING');
    expect(badgeFor(withCalls([call({ phase: 'connected', answeredAt: 2 })]), 3).text).toBe('●');
    expect(badgeFor(withCalls([]), 3)).toMatchObject({ text: '3', title: '3 missed calls' });
    expect(badgeFor(withCalls([]), 0).text).toBe('');
    expect(badgeFor(withCalls([], 'offline'), 0).text).toBe('!');
    expect(badgeFor(withCalls([], 'signed-out'), 0).text).toBe('off');
    expect(badgeFor(withCalls([]), 250).text).toBe('99');
  });
});

describe('incoming call classification', () => {
  it('treats unanswered live incoming calls as ringing', () => {
    expect(isRingingIncoming(call({ phase: 'initiating', sdkState: 'Initiating' }))).toBe(true);
    expect(isRingingIncoming(call({ phase: 'connected', answeredAt: 5 }))).toBe(false);
    expect(isRingingIncoming(call({ direction: 'outgoing' }))).toBe(false);
  });

  it('counts a call as missed only when the caller gave up, not when we declined', () => {
    expect(isMissed(call({ phase: 'ended', sdkState: 'Cancelled' }))).toBe(true);
    expect(isMissed(call({ phase: 'ended', sdkState: 'Ended' }))).toBe(false);
    expect(isMissed(call({ phase: 'ended', sdkState: 'Cancelled', answeredAt: 3 }))).toBe(false);
  });
});

describe('keyboard commands', () => {
  it('answers only a call that is ringing and hangs up the call being talked on', () => {
    const ringing = call({ id: 'r' });
    const held = call({ id: 'h', direction: 'outgoing', phase: 'on-hold', answeredAt: 1 });
    const talking = call({ id: 't', direction: 'outgoing', phase: 'connected', answeredAt: 1 });
    expect(callToAnswer(withCalls([held, ringing]))?.id).toBe('r');
    expect(callToAnswer(withCalls([call({ phase: 'initiating' })]))).toBeUndefined();
    expect(callToHangUp(withCalls([ringing, held, talking]))?.id).toBe('t');
    expect(callToHangUp(withCalls([ringing, held]))?.id).toBe('h');
    expect(callToHangUp(withCalls([ringing]))).toBeUndefined();
  });
});
