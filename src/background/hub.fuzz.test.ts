/** Random and malformed messages into the hub from every kind of sender: never a crash, always a clear answer. */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { Runtime } from '../shared/extension-api';
import { ok } from '../shared/messages';
import { createFakeBrowser, FAKE_EXTENSION_ID } from '../test/fake-browser';
import { createHub, type HubContext, type HubHandlers } from './hub';

const senders: Runtime.MessageSender[] = [
  { id: FAKE_EXTENSION_ID, url: `chrome-extension://${FAKE_EXTENSION_ID}/popup/index.html` },
  { id: FAKE_EXTENSION_ID, url: `chrome-extension://${FAKE_EXTENSION_ID}/offscreen/index.html` },
  { id: FAKE_EXTENSION_ID, url: 'https://page.example/', tab: { id: 1 } as Runtime.MessageSender['tab'] },
  { id: 'another-extension', url: 'chrome-extension://another/x.html' },
  {},
];

const TYPES = ['ui/intent', 'ui/get-state', 'ui/save-settings', 'ui/sign-out', 'content/call', 'content/get-config', 'offscreen/state', 'offscreen/get-config', 'bg/hello', 'nope'];

/** Messages that look almost right: real targets and types with random payloads. */
const nearMiss = fc.record(
  {
    target: fc.constantFrom('background', 'offscreen', 'content', 'ui', 'BACKGROUND'),
    type: fc.constantFrom(...TYPES),
    intentId: fc.oneof(fc.string(), fc.uuid(), fc.integer()),
    intent: fc.oneof(fc.anything(), fc.record({ kind: fc.constantFrom('make', 'answer', 'end', 'dtmf', 'hack'), callId: fc.anything(), destination: fc.anything(), tones: fc.string() })),
    destination: fc.oneof(fc.string({ maxLength: 400 }), fc.anything()),
    settings: fc.anything(),
    state: fc.anything(),
  },
  { requiredKeys: ['target'] },
);

function setup() {
  const { browser } = createFakeBrowser();
  const handled: unknown[] = [];
  const accept = async (message: unknown) => {
    handled.push(message);
    return ok(undefined);
  };
  const handler = new Proxy({}, { get: () => accept }) as never;
  const handlers: HubHandlers = { ui: handler, content: handler, offscreen: handler };
  const context: HubContext = { browser, sendToOffscreen: vi.fn(), openExtensionPage: vi.fn(), now: () => 0 };
  return { hub: createHub(handlers, context), handled };
}

describe('hub under fuzzing', () => {
  it('answers every message addressed to it with ok or a clear error, and ignores the rest', async () => {
    const { hub } = setup();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), nearMiss), fc.constantFrom(...senders), async (message, sender) => {
        const reply = hub(message, sender);
        const addressed = typeof message === 'object' && message !== null && (message as { target?: unknown }).target === 'background';
        if (!addressed) {
          expect(reply).toBeUndefined();
          return;
        }
        const answer = await reply;
        expect(answer).toBeDefined();
        if (answer && !answer.ok) expect(answer.error).toMatch(/^Refused/);
      }),
      { numRuns: 2000 },
    );
  });

  it('only lets well-formed messages of the sender’s own kind reach a handler', async () => {
    const { hub, handled } = setup();
    await fc.assert(
      fc.asyncProperty(nearMiss, fc.constantFrom(...senders.slice(2)), async (message, sender) => {
        const before = handled.length;
        const reply = await hub(message, sender);
        if (handled.length > before) {
          // A page reached a handler: it must be one of the two things a page may ask.
          const type = (message as { type: string }).type;
          expect(['content/call', 'content/get-config']).toContain(type);
          expect(sender.tab).toBeDefined();
          expect(reply).toEqual({ ok: true, value: undefined });
        }
      }),
      { numRuns: 2000 },
    );
  });
});
