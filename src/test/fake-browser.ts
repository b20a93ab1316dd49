/** An in-memory stand-in for the parts of the extension API the background uses. For unit tests only. */
import type { Browser } from '../shared/extension-api';

type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => void;

function memoryArea() {
  const data = new Map<string, unknown>();
  const listeners = new Set<Listener>();
  return {
    data,
    async get(keys?: string | string[] | null) {
      const wanted = keys == null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      const result: Record<string, unknown> = {};
      for (const key of wanted) if (data.has(key)) result[key] = structuredClone(data.get(key));
      return result;
    },
    async set(items: Record<string, unknown>) {
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [key, value] of Object.entries(items)) {
        changes[key] = { oldValue: data.get(key), newValue: structuredClone(value) };
        data.set(key, structuredClone(value));
      }
      for (const listener of listeners) listener(changes);
    },
    async remove(keys: string | string[]) {
      for (const key of Array.isArray(keys) ? keys : [keys]) data.delete(key);
    },
    onChanged: {
      addListener: (listener: Listener) => listeners.add(listener),
      removeListener: (listener: Listener) => listeners.delete(listener),
    },
  };
}

export const FAKE_EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';

export function createFakeBrowser() {
  const openedTabs: string[] = [];
  const fake = {
    runtime: {
      id: FAKE_EXTENSION_ID,
      getURL: (path: string) => `chrome-extension://${FAKE_EXTENSION_ID}/${path.replace(/^\//, '')}`,
      getManifest: () => ({ background: { service_worker: 'background/index.js' } }),
    },
    storage: { local: memoryArea(), session: memoryArea() },
    tabs: {
      async create({ url }: { url: string }) {
        openedTabs.push(url);
        return { id: openedTabs.length, url };
      },
    },
  };
  return { browser: fake as unknown as Browser, fake, openedTabs };
}
