/**
 * The popup's first script: popup/index.html loads it as a small classic async script ahead of the
 * popup's module, so the read of the stored call state overlaps fetching and compiling the popup's
 * code instead of following it. It keeps the newest state written since, so main.ts can take a
 * current one in the very task it mounts in. Built on its own (see vite.config.ts): no imports.
 */
import type { AppState } from '../shared/state';
import type { StoredState } from '../ui/app-state.svelte';

export interface EarlyState {
  /** Settles when the first read has finished (or failed). */
  read: Promise<void>;
  /** The newest stored state seen so far; undefined until the read has finished. */
  latest(): StoredState | undefined;
}

declare global {
  interface Window {
    popupEarlyState?: EarlyState;
  }
}

// A classic script shares the page's global scope: keep its names to itself.
(() => {
  const STATE_KEY = 'appState';
  let latest: StoredState | undefined;

  chrome.storage.session.onChanged.addListener((changes) => {
    if (STATE_KEY in changes) latest = { state: changes[STATE_KEY]?.newValue as AppState | undefined };
  });
  const read = chrome.storage.session.get(STATE_KEY).then((stored) => {
    // A change that arrived before the reply is at least as new as what was read.
    latest ??= { state: stored[STATE_KEY] as AppState | undefined };
  });

  window.popupEarlyState = { read, latest: () => latest };
})();
