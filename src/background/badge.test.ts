import { beforeAll, describe, expect, it, vi } from 'vitest';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import { createFakeBrowser } from '../test/fake-browser';
import { badgeFor, badgeObserver } from './badge';
import { callToAnswer, callToHangUp } from './call-commands';
import { callNotificationObserver, isMissed } from './call-notifications';
import { isRingingIncoming } from '../shared/state';
import type { HubContext } from './hub';
import { applyState, observeState } from './state-observers';

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

describe('state pushes → notifications and badge (as wired in background/index.ts)', () => {
  const created: string[] = [];
  const cleared: string[] = [];
  const badges: string[] = [];
  const { browser } = createFakeBrowser();
  const context: HubContext = { browser, sendToOffscreen: vi.fn(async () => undefined), openExtensionPage: vi.fn(async () => undefined), now: () => 1 };
  // Chrome answers after a D-Bus round trip, long enough for a burst of pushes to overlap.
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));

  beforeAll(() => {
    vi.stubGlobal('chrome', {
      notifications: {
        create: vi.fn(async (id: string) => {
          await later();
          created.push(id);
          return id;
        }),
        clear: vi.fn(async (id: string) => {
          await later();
          cleared.push(id);
          return true;
        }),
        getAll: vi.fn(async () => ({})),
      },
      action: {
        setBadgeText: vi.fn(async ({ text }: { text: string }) => void badges.push(text)),
        setBadgeBackgroundColor: vi.fn(async () => undefined),
        setTitle: vi.fn(async () => undefined),
      },
    });
    observeState(callNotificationObserver);
    observeState(badgeObserver);
  });

  const state = (revision: number, calls: CallView[]): AppState => ({ ...withCalls(calls), revision });

  it('shows one notification for a burst of pushes, then a missed call and badge 1 when the caller hangs up', async () => {
    const ringing = call({ id: 'c1' });
    // A woken worker receives several pushes at once; they must not all see "nothing was ringing".
    await Promise.all([applyState(context, state(1, [ringing])), applyState(context, state(2, [ringing])), applyState(context, state(3, [{ ...ringing, remoteVideo: false }]))]);
    expect(created).toEqual(['ringing:c1']);
    expect(badges.at(-1)).toBe('RING');

    await applyState(context, state(4, [{ ...ringing, phase: 'ended', sdkState: 'Cancelled', endedAt: 2 }]));
    expect(cleared).toContain('ringing:c1');
    expect(created).toEqual(['ringing:c1', 'missed:c1']);
    expect(badges.at(-1)).toBe('1');
    expect((await browser.storage.local.get('missedCalls')).missedCalls).toBe(1);
  });
});
