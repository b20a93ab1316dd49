import { describe, expect, it, vi } from 'vitest';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import { createFakeBrowser } from '../test/fake-browser';
import { callHistoryObserver, clearHistory, HISTORY_LIMIT, historyEntryFor, outcomeOf, readHistory, withFinishedCalls } from './call-history';
import type { HubContext } from './hub';

function call(overrides: Partial<CallView>): CallView {
  return { id: 'c', direction: 'outgoing', remoteAddress: 'sip:+14155550101@kandy.example', phase: 'ended', sdkState: 'Ended', startedAt: 1000, endedAt: 9000, muted: false, localHold: false, remoteHold: false, video: false, ...overrides };
}
const state = (calls: CallView[]): AppState => ({ ...INITIAL_STATE, connection: { status: 'online' }, calls });

describe('call history entries', () => {
  it('tells answered, missed, declined, unanswered and failed calls apart', () => {
    expect(outcomeOf(call({ answeredAt: 2000 }))).toBe('answered');
    expect(outcomeOf(call({ direction: 'incoming', sdkState: 'Cancelled' }))).toBe('missed');
    expect(outcomeOf(call({ direction: 'incoming', sdkState: 'Ended' }))).toBe('declined');
    expect(outcomeOf(call({ endReason: 'Not answered or declined' }))).toBe('unanswered');
    expect(outcomeOf(call({ endReason: 'No valid addresses provided (SVC0004)' }))).toBe('failed');
  });

  it('records talk time only for answered calls, and skips live calls', () => {
    expect(historyEntryFor(call({ answeredAt: 2000, remoteName: 'Bob Demo' }))).toEqual({
      id: 'c', direction: 'outgoing', remoteAddress: 'sip:+14155550101@kandy.example', remoteName: 'Bob Demo', startedAt: 1000, answeredAt: 2000, endedAt: 9000, durationMs: 7000, outcome: 'answered', video: false,
    });
    expect(historyEntryFor(call({}))?.durationMs).toBe(0);
    expect(historyEntryFor(call({ phase: 'connected' }))).toBeUndefined();
  });

  it('adds each finished call once, newest first, and caps the list', () => {
    const first = withFinishedCalls([], state([call({ id: 'a', startedAt: 1 }), call({ id: 'live', phase: 'ringing' })]));
    expect(first?.map((entry) => entry.id)).toEqual(['a']);
    expect(withFinishedCalls(first ?? [], state([call({ id: 'a', startedAt: 1 })]))).toBeUndefined();
    const second = withFinishedCalls(first ?? [], state([call({ id: 'a', startedAt: 1 }), call({ id: 'b', startedAt: 2 })]));
    expect(second?.map((entry) => entry.id)).toEqual(['b', 'a']);
    const full = Array.from({ length: HISTORY_LIMIT }, (_, i) => historyEntryFor(call({ id: `old${i}`, startedAt: 100 - i }))!);
    const capped = withFinishedCalls(full, state([call({ id: 'new', startedAt: 500 })]));
    expect(capped).toHaveLength(HISTORY_LIMIT);
    expect(capped?.[0]?.id).toBe('new');
    expect(capped?.at(-1)?.id).toBe(`old${HISTORY_LIMIT - 2}`);
  });
});

describe('call history observer', () => {
  function context() {
    const { browser } = createFakeBrowser();
    const hub: HubContext = { browser, sendToOffscreen: vi.fn(), openExtensionPage: vi.fn(), now: () => 10_000 };
    return hub;
  }

  it('keeps every entry when state pushes arrive together', async () => {
    const hub = context();
    await Promise.all([
      callHistoryObserver(INITIAL_STATE, state([call({ id: 'a', startedAt: 1 })]), hub),
      callHistoryObserver(INITIAL_STATE, state([call({ id: 'b', startedAt: 2 })]), hub),
      callHistoryObserver(INITIAL_STATE, state([call({ id: 'a', startedAt: 1 }), call({ id: 'c', startedAt: 3 })]), hub),
    ]);
    expect((await readHistory(hub.browser)).map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
  });

  it('does not bring cleared calls back with the next state push', async () => {
    const hub = context();
    const ended = state([call({ id: 'a', endedAt: 9000 })]);
    await callHistoryObserver(INITIAL_STATE, ended, hub);
    await clearHistory(hub.browser, 10_000);
    await callHistoryObserver(ended, ended, hub);
    expect(await readHistory(hub.browser)).toEqual([]);
    await callHistoryObserver(ended, state([call({ id: 'a', endedAt: 9000 }), call({ id: 'later', startedAt: 11_000, endedAt: 12_000 })]), hub);
    expect((await readHistory(hub.browser)).map((entry) => entry.id)).toEqual(['later']);
  });
});
