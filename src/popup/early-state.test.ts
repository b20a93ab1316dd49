// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../shared/state';

type Changes = Record<string, { newValue?: unknown }>;

function state(revision: number): AppState {
  return { connection: { status: 'online' }, calls: [], revision };
}

/** chrome.storage.session with a reply the test releases, and a way to write a change. */
function fakeSession(stored: Record<string, unknown>) {
  const listeners: ((changes: Changes) => void)[] = [];
  let reply!: () => void;
  const get = vi.fn(() => new Promise<Record<string, unknown>>((resolve) => (reply = () => resolve(stored))));
  vi.stubGlobal('chrome', { storage: { session: { get, onChanged: { addListener: (listener: (changes: Changes) => void) => listeners.push(listener) } } } });
  return {
    reply: () => reply(),
    write: (changes: Changes) => listeners.forEach((listener) => listener(changes)),
  };
}

async function runEarlyScript() {
  vi.resetModules();
  await import('./early-state');
  return window.popupEarlyState!;
}

describe('early-state', () => {
  beforeEach(() => {
    delete window.popupEarlyState;
  });

  it('has nothing to offer until its read is back, then the stored state', async () => {
    const session = fakeSession({ appState: state(3) });
    const early = await runEarlyScript();
    expect(early.latest()).toBeUndefined();
    session.reply();
    await early.read;
    expect(early.latest()).toEqual({ state: state(3) });
  });

  it('offers the newest state written after its read', async () => {
    const session = fakeSession({ appState: state(3) });
    const early = await runEarlyScript();
    session.reply();
    await early.read;
    session.write({ appState: { newValue: state(4) } });
    session.write({ settings: { newValue: {} } });
    expect(early.latest()).toEqual({ state: state(4) });
  });

  it('keeps a change that arrived before the reply over the older reply', async () => {
    const session = fakeSession({ appState: state(3) });
    const early = await runEarlyScript();
    session.write({ appState: { newValue: state(5) } });
    session.reply();
    await early.read;
    expect(early.latest()).toEqual({ state: state(5) });
  });

  it('says so when the background never stored a state', async () => {
    const session = fakeSession({});
    const early = await runEarlyScript();
    session.reply();
    await early.read;
    expect(early.latest()).toEqual({ state: undefined });
  });
});
