import { mount } from 'svelte';
import App from './App.svelte';
import '../ui/base.css';
import { localizeDocument } from '../ui/i18n';
import { readStoredState, type StoredState } from '../ui/app-state.svelte';

/**
 * A read still running by then (a browser under heavy load) does not hold back the dialer: the
 * popup mounts without it and reads again itself.
 */
const STORED_STATE_WAIT_MS = 150;

/**
 * The read early-state.js started before this module was even fetched; when that script did not
 * run, this module's own read, started before anything else.
 */
function storedStateRead(): { read: Promise<void>; latest: () => StoredState | undefined } {
  const early = window.popupEarlyState;
  if (early) return early;
  let latest: StoredState | undefined;
  return { read: readStoredState().then((stored) => void (latest = stored)), latest: () => latest };
}

const stored = storedStateRead();
localizeDocument('extensionName');

const finished = await Promise.race([
  stored.read.then(() => true, () => false),
  new Promise<false>((resolve) => setTimeout(resolve, STORED_STATE_WAIT_MS, false)),
]);
// Taken and mounted in one task: App's own change listener starts where this value ends.
const alreadyRead = finished ? stored.latest() : undefined;
mount(App, { target: document.getElementById('app') as HTMLElement, props: { alreadyRead } });
