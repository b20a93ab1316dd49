import type { AppState } from '../shared/state';
import type { HubContext } from './hub';
import { readState } from './storage';

/**
 * Features that react to call-state changes (badge, notifications…) register here. Each gets
 * the previous state from storage, not memory, because the worker may have been restarted.
 */
export type StateObserver = (previous: AppState, next: AppState, context: HubContext) => Promise<void>;

const observers: StateObserver[] = [];

export function observeState(observer: StateObserver): void {
  observers.push(observer);
}

export async function onStateChanged(context: HubContext, next: AppState): Promise<void> {
  const previous = await readState(context.browser);
  await Promise.all(observers.map((observer) => observer(previous, next, context).catch((error: unknown) => console.warn('State observer failed', error))));
}
