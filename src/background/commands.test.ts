import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { recordingHubContext } from '../test/hub-context';
import { CALL_SELECTION_COMMAND, onCallSelectionCommand, readSelectionReply } from './commands';

function setup(reply: unknown) {
  const { browser, fake } = createFakeBrowser();
  const asked: { tabId: number; message: unknown }[] = [];
  Object.assign(fake.tabs, {
    sendMessage: vi.fn(async (tabId: number, message: unknown) => {
      asked.push({ tabId, message });
      if (reply instanceof Error) throw reply;
      return reply;
    }),
    query: vi.fn(async () => [{ id: 42 }]),
  });
  const { context, sent } = recordingHubContext(browser);
  const notices: unknown[] = [];
  vi.stubGlobal('chrome', { notifications: { create: vi.fn(async (_id: string, options: unknown) => void notices.push(options)) } });
  return { context, asked, sent, notices };
}

afterEach(() => vi.unstubAllGlobals());

describe('call-selection shortcut', () => {
  it('asks the tab’s content script for the selection and calls it', async () => {
    const { context, asked, sent } = setup({ selection: '+1 415 555 0101' });
    await onCallSelectionCommand(context, CALL_SELECTION_COMMAND, { id: 7 });
    expect(asked).toEqual([{ tabId: 7, message: { target: 'content', type: 'bg/get-selection' } }]);
    expect(sent[0]).toMatchObject({ intent: { kind: 'make', destination: '+14155550101', video: false } });
  });

  it('uses the active tab when the command has none', async () => {
    const { context, asked } = setup({ selection: 'sip:bob@kandy.example' });
    await onCallSelectionCommand(context, CALL_SELECTION_COMMAND, undefined);
    expect(asked[0]?.tabId).toBe(42);
  });

  it('says so when nothing is selected or no content script answers', async () => {
    for (const reply of [undefined, { selection: '  ' }, new Error('Receiving end does not exist')]) {
      const { context, sent, notices } = setup(reply);
      await onCallSelectionCommand(context, CALL_SELECTION_COMMAND, { id: 7 });
      expect(sent).toHaveLength(0);
      expect(notices).toHaveLength(1);
    }
  });

  it('ignores other commands', async () => {
    const { context, asked } = setup({ selection: '4155550101' });
    await onCallSelectionCommand(context, 'hang-up', { id: 7 });
    expect(asked).toHaveLength(0);
  });

  it('validates replies', () => {
    expect(readSelectionReply({ selection: ' 4155550101 ' })).toBe('4155550101');
    expect(readSelectionReply({ selection: 12 })).toBeUndefined();
    expect(readSelectionReply({ selection: 'x'.repeat(400) })).toBeUndefined();
    expect(readSelectionReply('4155550101')).toBeUndefined();
  });
});
