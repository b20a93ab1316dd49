import type { AppState } from '../shared/state';
import type { HubContext } from './hub';
import { readState, writeState } from './storage';

/**
 * Features that react to call-state changes (badge, notifications…) register here. Each gets
 * the previous state from storage, not memory, because the worker may have been restarted.
 */
export type StateObserver = (previous: AppState, next: AppState, context: HubContext) => Promise<void>;

const observers: StateObserver[] = [];

export function observeState(observer: StateObserver): void {
  observers.push(observer);
}

/** An observer that has not finished by then is left to finish on its own: later states must not wait for it. */
export const OBSERVER_TIMEOUT_MS = 5_000;

function withinTimeout(work: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`A state observer took longer than ${OBSERVER_TIMEOUT_MS} ms; going on without it`);
      resolve();
    }, OBSERVER_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Observers run one after the other in registration order, so a later one sees what an earlier
 * one stored (the badge shows the missed-call count the notification observer just counted).
 */
export async function onStateChanged(context: HubContext, next: AppState): Promise<void> {
  const previous = await readState(context.browser);
  for (const observer of observers) {
    await withinTimeout(observer(previous, next, context).catch((error: unknown) => console.warn('State observer failed', error)));
  }
}

let applying: Promise<void> = Promise.resolve();

/**
 * Runs the observers for a new state and then stores it, one state at a time in arrival order.
 * Pushes arrive in bursts (a woken worker gets several at once); handled side by side they would
 * all read the same previous state and, say, show one incoming call as three notifications.
 */
export function applyState(context: HubContext, next: AppState): Promise<void> {
  const run = applying.then(async () => {
    await onStateChanged(context, next);
    await writeState(context.browser, next);
  });
  applying = run.catch(() => undefined);
  return run;
}

/**
 * The call state once every push that has arrived is stored. Observers run before a state is
 * stored, so the ringing notification is already on screen while storage still holds the state
 * before it; a shortcut pressed at that moment must see the call it shows.
 */
export async function readSettledState(context: HubContext): Promise<AppState> {
  await applying;
  return readState(context.browser);
}
