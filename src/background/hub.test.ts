import { describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../shared/extension-api';
import { createFakeBrowser, FAKE_EXTENSION_ID } from '../test/fake-browser';
import { classifySender, createHub, type HubContext, type HubHandlers } from './hub';
import type { BackgroundToOffscreen } from '../shared/messages';
import { ok } from '../shared/messages';

const extensionUrl = (path: string) => `chrome-extension://${FAKE_EXTENSION_ID}/${path}`;
const popup: Runtime.MessageSender = { id: FAKE_EXTENSION_ID, url: extensionUrl('popup/index.html') };
const offscreen: Runtime.MessageSender = { id: FAKE_EXTENSION_ID, url: extensionUrl('offscreen/index.html') };
const contentScript: Runtime.MessageSender = { id: FAKE_EXTENSION_ID, url: 'https://shop.example/contact', tab: { id: 7, url: 'https://shop.example/contact' } as Runtime.MessageSender['tab'] };
const otherExtension: Runtime.MessageSender = { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzz/page.html' };

function setup() {
  const { browser } = createFakeBrowser();
  const toOffscreen: BackgroundToOffscreen[] = [];
  const context: HubContext = {
    browser,
    sendToOffscreen: vi.fn(async (message: BackgroundToOffscreen) => {
      toOffscreen.push(message);
      return ok({ relayed: message.type });
    }),
    openExtensionPage: vi.fn(async () => undefined),
    now: () => 1_000_000,
  };
  const handled: string[] = [];
  const record = (name: string) => async () => {
    handled.push(name);
    return ok(name);
  };
  const handlers: HubHandlers = {
    ui: {
      'ui/intent': record('ui/intent'),
      'ui/get-state': record('ui/get-state'),
      'ui/get-settings': record('ui/get-settings'),
      'ui/save-settings': record('ui/save-settings'),
      'ui/sign-in': record('ui/sign-in'),
      'ui/sign-out': record('ui/sign-out'),
      'ui/mic-granted': record('ui/mic-granted'),
      'ui/diagnostics': record('ui/diagnostics'),
      'ui/missed-seen': record('ui/missed-seen'),
      'ui/get-history': record('ui/get-history'),
      'ui/clear-history': record('ui/clear-history'),
      'ui/open-call-window': record('ui/open-call-window'),
      'ui/video-relay-open': record('ui/video-relay-open'),
      'ui/video-relay-answer': record('ui/video-relay-answer'),
      'ui/video-relay-close': record('ui/video-relay-close'),
      'ui/get-settings-view': record('ui/get-settings-view'),
      'ui/test-sound': record('ui/test-sound'),
    },
    content: { 'content/call': record('content/call'), 'content/get-config': record('content/get-config') },
    offscreen: {
      'offscreen/state': record('offscreen/state'),
      'offscreen/get-config': record('offscreen/get-config'),
      'offscreen/need-mic-permission': record('offscreen/need-mic-permission'),
      'offscreen/tokens': record('offscreen/tokens'),
      'offscreen/session-ended': record('offscreen/session-ended'),
      'offscreen/get-credentials': record('offscreen/get-credentials'),
    },
  };
  return { hub: createHub(handlers, context), handled, browser, toOffscreen, context };
}

const intent = { target: 'background', type: 'ui/intent', intentId: 'intent-0001', intent: { kind: 'end', callId: 'c1' } };

describe('sender classification', () => {
  it('tells extension pages, the offscreen document, content scripts and strangers apart', () => {
    const { browser } = setup();
    expect(classifySender(popup, browser)).toBe('extension-page');
    expect(classifySender(offscreen, browser)).toBe('offscreen');
    expect(classifySender(contentScript, browser)).toBe('content-script');
    expect(classifySender(otherExtension, browser)).toBe('foreign');
    expect(classifySender({ id: FAKE_EXTENSION_ID, url: 'https://evil.example/' }, browser)).toBe('foreign');
  });
});

describe('hub', () => {
  it('ignores messages addressed to someone else', () => {
    const { hub } = setup();
    expect(hub({ target: 'offscreen', type: 'bg/hello' }, popup)).toBeUndefined();
    expect(hub('hello', popup)).toBeUndefined();
    expect(hub(null, popup)).toBeUndefined();
  });

  it('routes a valid popup intent to its handler', async () => {
    const { hub, handled } = setup();
    await expect(hub(intent, popup)).resolves.toEqual({ ok: true, value: 'ui/intent' });
    expect(handled).toEqual(['ui/intent']);
  });

  it('refuses control messages from content scripts: a page may only ask to call', async () => {
    const { hub, handled } = setup();
    const reply = await hub(intent, contentScript);
    expect(reply).toMatchObject({ ok: false });
    expect((reply as { error: string }).error).toMatch(/Refused message "ui\/intent"/);
    for (const type of ['ui/sign-out', 'ui/get-state', 'ui/diagnostics', 'offscreen/state', 'offscreen/get-config']) {
      expect(await hub({ target: 'background', type }, contentScript)).toMatchObject({ ok: false });
    }
    expect(handled).toEqual([]);
    await expect(hub({ target: 'background', type: 'content/call', destination: '+14155550101' }, contentScript)).resolves.toMatchObject({ ok: true });
    expect(handled).toEqual(['content/call']);
  });

  it('keeps the call history and the video relay away from content scripts', async () => {
    const { hub, handled } = setup();
    for (const message of [
      { type: 'ui/get-history' },
      { type: 'ui/clear-history' },
      { type: 'ui/open-call-window', callId: 'c1' },
      { type: 'ui/video-relay-open', callId: 'c1' },
      { type: 'ui/video-relay-answer', relayId: 'r1', sdp: 'v=0' },
    ]) {
      expect(await hub({ target: 'background', ...message }, contentScript)).toMatchObject({ ok: false });
    }
    expect(handled).toEqual([]);
    await expect(hub({ target: 'background', type: 'ui/get-history' }, popup)).resolves.toMatchObject({ ok: true });
    expect(handled).toEqual(['ui/get-history']);
  });

  it('keeps accounts and tokens away from content scripts and pages away from the phone’s token reports', async () => {
    const { hub, handled } = setup();
    const account = { server: { host: 'kandy.example', port: 443 }, clientId: 'app', username: 'alice', password: 'pw', rememberPassword: false };
    for (const message of [
      { type: 'ui/sign-in', account },
      { type: 'ui/get-settings-view' },
      { type: 'ui/test-sound', output: 'speaker' },
      { type: 'offscreen/get-credentials' },
      { type: 'offscreen/tokens', account, tokens: { accessToken: 'a', idToken: 'i', expiresIn: 60 } },
    ]) {
      expect(await hub({ target: 'background', ...message }, contentScript)).toMatchObject({ ok: false });
    }
    // Only the phone reports tokens or reads the kept session.
    expect(await hub({ target: 'background', type: 'offscreen/get-credentials' }, popup)).toMatchObject({ ok: false });
    expect(await hub({ target: 'background', type: 'offscreen/session-ended', reason: 'x' }, popup)).toMatchObject({ ok: false });
    expect(handled).toEqual([]);
    await expect(hub({ target: 'background', type: 'ui/sign-in', account }, popup)).resolves.toMatchObject({ ok: true });
    await expect(hub({ target: 'background', type: 'offscreen/get-credentials' }, offscreen)).resolves.toMatchObject({ ok: true });
    expect(handled).toEqual(['ui/sign-in', 'offscreen/get-credentials']);
    // An account without a password is refused before any handler runs.
    expect(await hub({ target: 'background', type: 'ui/sign-in', account: { ...account, password: '' } }, popup)).toMatchObject({ ok: false });
  });

  it('refuses page-only and offscreen-only messages from the wrong extension context', async () => {
    const { hub, handled } = setup();
    expect(await hub({ target: 'background', type: 'content/call', destination: 'bob' }, popup)).toMatchObject({ ok: false });
    expect(await hub({ target: 'background', type: 'offscreen/get-config' }, popup)).toMatchObject({ ok: false });
    expect(await hub({ target: 'background', type: 'ui/get-settings' }, offscreen)).toMatchObject({ ok: false });
    expect(handled).toEqual([]);
  });

  it('refuses everything from other extensions', async () => {
    const { hub, handled } = setup();
    expect(await hub(intent, otherExtension)).toEqual({ ok: false, error: 'Refused: unknown sender.' });
    expect(handled).toEqual([]);
  });

  it('rejects malformed messages with a reason and without side effects', async () => {
    const { hub, handled } = setup();
    const broken = [
      { target: 'background', type: 'ui/intent', intentId: 'x', intent: { kind: 'end', callId: 'c1' } },
      { target: 'background', type: 'ui/intent', intentId: 'intent-0002', intent: { kind: 'explode' } },
      { target: 'background', type: 'ui/intent', intentId: 'intent-0003', intent: { kind: 'dtmf', callId: 'c1', tones: '<script>' } },
      { target: 'background', type: 'ui/save-settings', settings: { server: { host: 'x', port: 70000 } } },
      { target: 'background', type: 'ui/save-settings', settings: { isAdmin: true } },
      { target: 'background', type: 'no/such-type' },
      { target: 'background' },
    ];
    for (const message of broken) {
      const reply = await hub(message, popup);
      expect(reply, JSON.stringify(message)).toMatchObject({ ok: false });
    }
    expect(await hub({ target: 'background', type: 'content/call', destination: 'x'.repeat(301) }, contentScript)).toMatchObject({ ok: false });
    expect(await hub({ target: 'background', type: 'content/call', destination: '   ' }, contentScript)).toMatchObject({ ok: false });
    expect(handled).toEqual([]);
  });

  it('turns a throwing handler into an error reply', async () => {
    const { browser } = createFakeBrowser();
    const context: HubContext = { browser, sendToOffscreen: vi.fn(), openExtensionPage: vi.fn(), now: () => 0 };
    const failing = async () => {
      throw new Error('boom');
    };
    const handlers = { ui: { 'ui/sign-in': failing }, content: {}, offscreen: {} } as unknown as HubHandlers;
    await expect(createHub(handlers, context)({ target: 'background', type: 'ui/sign-in' }, popup)).resolves.toEqual({ ok: false, error: 'boom' });
  });
});
