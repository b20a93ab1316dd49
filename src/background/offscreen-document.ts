import type { Browser } from '../shared/extension-api';

export const OFFSCREEN_PATH = 'offscreen/index.html';

/** The document is created at most once at a time; a second createDocument call throws. */
let creating: Promise<void> | undefined;

export async function hasOffscreenDocument(browser: Browser): Promise<boolean> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT], documentUrls: [url] });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument(browser: Browser): Promise<void> {
  if (await hasOffscreenDocument(browser)) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.USER_MEDIA, chrome.offscreen.Reason.WEB_RTC, chrome.offscreen.Reason.AUDIO_PLAYBACK],
      justification: 'Holds the Kandy phone: the signalling connection, the microphone and the call audio.',
    })
    .catch((error: unknown) => {
      // Another context may have won the race; that is the state we wanted.
      if (!String(error).includes('single offscreen')) throw error;
    })
    .finally(() => {
      creating = undefined;
    });
  await creating;
}

export async function closeOffscreenDocument(): Promise<void> {
  await chrome.offscreen.closeDocument();
}
