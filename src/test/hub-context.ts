import { vi } from 'vitest';
import type { Browser } from '../shared/extension-api';
import { ok, type BackgroundToOffscreen } from '../shared/messages';
import type { HubContext } from '../background/hub';

/** A hub context over a fake browser that records what is sent to the offscreen document and answers with `reply`. */
export function recordingHubContext(
  browser: Browser,
  reply: (message: BackgroundToOffscreen) => unknown = () => ok(undefined),
  now = 0,
): { context: HubContext; sent: BackgroundToOffscreen[] } {
  const sent: BackgroundToOffscreen[] = [];
  const context: HubContext = {
    browser,
    sendToOffscreen: vi.fn(async (message: BackgroundToOffscreen) => {
      sent.push(message);
      return reply(message);
    }),
    openExtensionPage: vi.fn(async () => undefined),
    now: () => now,
  };
  return { context, sent };
}
