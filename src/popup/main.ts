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

// First thing: the read then runs while the page localizes and the components are set up.
const storedState = readStoredState();
localizeDocument('extensionName');

const alreadyRead = await Promise.race([
  storedState.catch(() => undefined),
  new Promise<undefined>((resolve) => setTimeout(resolve, STORED_STATE_WAIT_MS)),
]);
// Mounted in the task the read finished in, so no change the background writes can fall in between.
mount(App, { target: document.getElementById('app') as HTMLElement, props: { alreadyRead: alreadyRead satisfies StoredState | undefined } });
