import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_STATE, type AppState } from '../shared/state';
import type { Reply } from '../shared/messages';

const fakes = vi.hoisted(() => ({
  browser: undefined as unknown as import('../shared/extension-api').Browser,
  phoneReply: undefined as Promise<Reply<unknown>> | undefined,
}));
vi.mock('../shared/extension-api', async () => {
  const { createFakeBrowser } = await import('../test/fake-browser');
  fakes.browser = createFakeBrowser().browser;
  return { browser: new Proxy({}, { get: (_target, key) => (fakes.browser as unknown as Record<PropertyKey, unknown>)[key] }) };
});
vi.mock('./messaging', () => ({ ask: vi.fn(() => fakes.phoneReply ?? new Promise(() => undefined)) }));

const { createAppState, readStoredState } = await import('./app-state.svelte');
const { createFakeBrowser } = await import('../test/fake-browser');

function stateWithCall(revision: number): AppState {
  return {
    connection: { status: 'online', user: 'alice@kandy.example' },
    calls: [{ id: 'c1', direction: 'outgoing', remoteAddress: 'sip:bob@kandy.example', phase: 'connected', sdkState: 'Connected', startedAt: 1, answeredAt: 2, muted: false, localHold: false, remoteHold: false, video: false }],
    revision,
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('app state', () => {
  beforeEach(() => {
    fakes.browser = createFakeBrowser().browser;
    fakes.phoneReply = undefined;
  });

  it('reads what the background stored, and says when it stored nothing yet', async () => {
    expect(await readStoredState()).toEqual({ state: undefined });
    await fakes.browser.storage.session.set({ appState: stateWithCall(3) });
    expect(await readStoredState()).toEqual({ state: stateWithCall(3) });
  });

  it('starts from a read done before it was created, without waiting for another', () => {
    const app = createAppState({ state: stateWithCall(3) });
    expect(app.loaded).toBe(true);
    expect(app.current.calls.map((call) => call.id)).toEqual(['c1']);
  });

  it('counts an empty read as loaded: a fresh install shows the signed-out popup at once', () => {
    const app = createAppState({ state: undefined });
    expect(app.loaded).toBe(true);
    expect(app.current).toEqual(INITIAL_STATE);
  });

  it('reads storage itself when nothing was read before', async () => {
    await fakes.browser.storage.session.set({ appState: stateWithCall(4) });
    const app = createAppState();
    expect(app.loaded).toBe(false);
    await flush();
    expect(app.loaded).toBe(true);
    expect(app.current.revision).toBe(4);
  });

  it('follows the changes the background writes after the start-up read', async () => {
    const app = createAppState({ state: stateWithCall(3) });
    await fakes.browser.storage.session.set({ appState: { ...stateWithCall(4), calls: [] } });
    expect(app.current.revision).toBe(4);
    expect(app.current.calls).toEqual([]);
  });

  it("takes the phone's own answer over the stored state", async () => {
    fakes.phoneReply = Promise.resolve({ ok: true, value: stateWithCall(9) });
    const app = createAppState({ state: { ...stateWithCall(3), calls: [] } });
    await flush();
    expect(app.current.revision).toBe(9);
    expect(app.current.calls).toHaveLength(1);
  });
});
