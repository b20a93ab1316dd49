import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { recordingHubContext } from '../test/hub-context';
import { ok } from '../shared/messages';
import { CALL_LINK_MENU, CALL_SELECTION_MENU, menuClickInput, onMenuClicked } from './context-menu';

function setup() {
  const { browser } = createFakeBrowser();
  const { context, sent } = recordingHubContext(browser, () => ok({ callId: 'c1' }));
  const notices: { title: string; message: string }[] = [];
  vi.stubGlobal('chrome', { notifications: { create: vi.fn(async (_id: string, options: { title: string; message: string }) => void notices.push(options)) } });
  return { context, sent, notices, browser };
}

afterEach(() => vi.unstubAllGlobals());

describe('context menu', () => {
  it('reads the selection or the link of our own items only', () => {
    expect(menuClickInput({ menuItemId: CALL_SELECTION_MENU, selectionText: '  (415) 555-0101 ' })).toBe('(415) 555-0101');
    expect(menuClickInput({ menuItemId: CALL_LINK_MENU, linkUrl: 'tel:+1%20415%20555%200101' })).toBe('tel:+14155550101');
    expect(menuClickInput({ menuItemId: CALL_LINK_MENU, linkUrl: 'callto://bob' })).toBe('bob');
    expect(menuClickInput({ menuItemId: 'someone-else', selectionText: '4155550101' })).toBeUndefined();
    expect(menuClickInput({ menuItemId: CALL_SELECTION_MENU, selectionText: 'x'.repeat(301) })).toBeUndefined();
  });

  it('relays a make intent with the parsed number, read in the default country from settings', async () => {
    const { context, sent, browser } = setup();
    await browser.storage.local.set({ settings: { defaultCountry: 'GB' } });
    const reply = await onMenuClicked(context, { menuItemId: CALL_SELECTION_MENU, selectionText: '020 7946 0958' });
    expect(reply).toEqual({ ok: true, value: { callId: 'c1' } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ target: 'offscreen', type: 'bg/intent', intent: { kind: 'make', destination: '+442079460958', video: false } });
    expect((sent[0] as { intentId: string }).intentId.length).toBeGreaterThanOrEqual(8);
  });

  it('calls SIP links', async () => {
    const { context, sent } = setup();
    await onMenuClicked(context, { menuItemId: CALL_LINK_MENU, linkUrl: 'sip:bob@kandy.example' });
    expect(sent[0]).toMatchObject({ intent: { kind: 'make', destination: 'sip:bob@kandy.example' } });
  });

  it('does not wake the phone for text that is not a number, and says why', async () => {
    const { context, sent, notices } = setup();
    const reply = await onMenuClicked(context, { menuItemId: CALL_SELECTION_MENU, selectionText: 'hello there, world' });
    expect(reply?.ok).toBe(false);
    expect(sent).toHaveLength(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toMatch(/^Cannot call hello there/);
  });
});
