/** The call state as extension pages see it: read from storage.session, live through onChanged. */
import { browser } from '../shared/extension-api';
import { INITIAL_STATE, type AppState } from '../shared/state';
import { ask } from './messaging';

const STATE_KEY = 'appState';

export function createAppState() {
  let state = $state<AppState>(INITIAL_STATE);
  let loaded = $state(false);

  function accept(next: AppState | undefined): void {
    if (next) state = next;
    loaded = true;
  }

  void browser.storage.session.get(STATE_KEY).then((stored) => accept(stored[STATE_KEY] as AppState | undefined));
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
