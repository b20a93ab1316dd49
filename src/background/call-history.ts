/**
 * Recent calls, kept in storage.local under one key (at most HISTORY_LIMIT entries, newest first).
 * Storage is restricted to trusted extension contexts (see storage.ts), so pages never see it.
 *
 * Written from state changes only: every finished call the phone reports (the reducer keeps the
 * last few ended calls in each state push) is added once, by id. That makes the observer
 * idempotent, so a restarted worker, a repeated push or a missed previous state change nothing.
 */
import type { Browser } from '../shared/extension-api';
import type { HistoryEntry } from '../shared/messages';
import { END_REASONS, type AppState, type CallView } from '../shared/state';
import { isMissed } from './call-notifications';
import type { StateObserver } from './state-observers';

export const HISTORY_KEY = 'callHistory';
/** Calls that ended before this time stay out of the history: the user cleared it. */
export const HISTORY_CLEARED_KEY = 'callHistoryClearedAt';
export const HISTORY_LIMIT = 200;

/** The reasons the reducer gives to outgoing calls that ended without an error. */
const ORDINARY_END_REASONS = new Set<string>([END_REASONS.notAnswered, END_REASONS.cancelled, END_REASONS.signedOut, END_REASONS.ended]);

export function outcomeOf(call: CallView): HistoryEntry['outcome'] {
  if (call.answeredAt !== undefined) return 'answered';
  if (call.direction === 'incoming') return isMissed(call) ? 'missed' : 'declined';
  // Anything else is the network's or the SDK's error: unknown number, busy, no microphone…
  if (call.endReason && !ORDINARY_END_REASONS.has(call.endReason)) return 'failed';
  return 'unanswered';
}

export function historyEntryFor(call: CallView): HistoryEntry | undefined {
  if (call.phase !== 'ended') return undefined;
  const endedAt = call.endedAt ?? call.startedAt;
  return {
    id: call.id,
    direction: call.direction,
    remoteAddress: call.remoteAddress,
    ...(call.remoteName ? { remoteName: call.remoteName } : {}),
    startedAt: call.startedAt,
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    endedAt,
    durationMs: call.answeredAt !== undefined ? Math.max(0, endedAt - call.answeredAt) : 0,
    outcome: outcomeOf(call),
    video: call.video,
  };
}

/** The history with the finished calls of `state` added (newest first, capped), or undefined when nothing is new. */
export function withFinishedCalls(history: HistoryEntry[], state: AppState, clearedAt = 0): HistoryEntry[] | undefined {
  const known = new Set(history.map((entry) => entry.id));
  const added = state.calls
    .map(historyEntryFor)
    .filter((entry): entry is HistoryEntry => entry !== undefined && !known.has(entry.id) && entry.endedAt > clearedAt);
  if (added.length === 0) return undefined;
  return [...added, ...history].sort((a, b) => b.startedAt - a.startedAt).slice(0, HISTORY_LIMIT);
}

export async function readHistory(browser: Browser): Promise<HistoryEntry[]> {
  const stored = (await browser.storage.local.get(HISTORY_KEY))[HISTORY_KEY];
  return Array.isArray(stored) ? (stored as HistoryEntry[]) : [];
}

/** State pushes are handled concurrently; one writer at a time keeps every entry. */
let writing: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const next = writing.then(task, task);
  writing = next.catch(() => undefined);
  return next;
}

export function clearHistory(browser: Browser, now: number): Promise<void> {
  return serialized(() => browser.storage.local.set({ [HISTORY_KEY]: [], [HISTORY_CLEARED_KEY]: now }));
}

export const callHistoryObserver: StateObserver = (_previous, next, context) =>
  serialized(async () => {
    const clearedAt = Number((await context.browser.storage.local.get(HISTORY_CLEARED_KEY))[HISTORY_CLEARED_KEY] ?? 0);
    const updated = withFinishedCalls(await readHistory(context.browser), next, clearedAt);
    if (updated) await context.browser.storage.local.set({ [HISTORY_KEY]: updated });
  });
