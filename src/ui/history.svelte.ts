/** The recent calls list, read from the background (`ui/get-history`) and kept fresh while shown. */
import { browser } from '../shared/extension-api';
import type { HistoryEntry } from '../shared/messages';
import { ask } from './messaging';
import { afterFirstPaint } from './first-paint';

/** The storage.local key the background writes; the popup only listens for changes to it. */
const HISTORY_KEY = 'callHistory';

export function createHistory() {
  let entries = $state<HistoryEntry[]>([]);
  let loaded = $state(false);
  let error = $state('');

  async function refresh(): Promise<void> {
    const reply = await ask<HistoryEntry[]>({ type: 'ui/get-history' });
    if (reply.ok) {
      entries = reply.value;
      error = '';
    } else {
      error = reply.error;
    }
    loaded = true;
  }

  const onChanged = (changes: Record<string, unknown>) => {
    if (HISTORY_KEY in changes) void refresh();
  };
  browser.storage.local.onChanged.addListener(onChanged);
  // The list is below the dialer and hidden during calls: it never holds back the first frame.
  void afterFirstPaint().then(refresh);

  return {
    get entries() {
      return entries;
    },
    get loaded() {
      return loaded;
    },
    get error() {
      return error;
    },
    refresh,
    async clear(): Promise<void> {
      const reply = await ask({ type: 'ui/clear-history' });
      if (reply.ok) entries = [];
      else error = reply.error;
    },
    dispose(): void {
      browser.storage.local.onChanged.removeListener(onChanged);
    },
  };
}
