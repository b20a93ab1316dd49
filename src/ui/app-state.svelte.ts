/** The call state as extension pages see it: read from storage.session, live through onChanged. */
import { browser } from '../shared/extension-api';
import { INITIAL_STATE, type AppState } from '../shared/state';
import { ask } from './messaging';

const STATE_KEY = 'appState';

/** What storage.session held when a page read it; `state` is undefined until the background first wrote one. */
export interface StoredState {
  state: AppState | undefined;
}

/**
 * One read of the state the background keeps in storage.session. It needs neither the service
 * worker nor the phone, so a page can start it before anything else and show a call at once.
 */
export async function readStoredState(): Promise<StoredState> {
  const stored = await browser.storage.session.get(STATE_KEY);
  return { state: stored[STATE_KEY] as AppState | undefined };
}

/**
 * `alreadyRead`: a read the page finished before calling this, so the first render shows it.
 * Create the state in the same task that read finished in, or a change written in between is missed.
 */
export function createAppState(alreadyRead?: StoredState) {
  let state = $state<AppState>(alreadyRead?.state ?? INITIAL_STATE);
  let loaded = $state(alreadyRead !== undefined);

  function accept(next: AppState | undefined): void {
    if (next) state = next;
    loaded = true;
  }

  if (!alreadyRead) void readStoredState().then((stored) => accept(stored.state));
  browser.storage.session.onChanged.addListener((changes) => {
    const change = changes[STATE_KEY];
    if (change) accept(change.newValue as AppState | undefined);
  });
  // Wakes the worker and the phone, and fetches the freshest state from the phone itself.
  void ask<AppState>({ type: 'ui/get-state' }).then((reply) => {
    if (reply.ok) accept(reply.value);
  });

  return {
    get current() {
      return state;
    },
    get loaded() {
      return loaded;
    },
  };
}
