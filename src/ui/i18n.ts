/**
 * The user's language for extension pages: `t(messageKey, …)` reads src/public/_locales/<lang>/messages.json
 * through the browser (chrome.i18n), which picks the browser's UI language and falls back to English.
 * Placeholders are positional: `t('signInOk', user)` fills `$1` of the message.
 */
import { browser } from '../shared/extension-api';

type Messages = typeof import('../public/_locales/en/messages.json');
export type MessageKey = keyof Messages;

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  let text = '';
  try {
    text = browser.i18n.getMessage(key, substitutions.map(String));
  } catch {
    // Outside an extension (unit tests): fall through to the key.
  }
  return text || key;
}

/** The browser's UI language (e.g. "de", "en-US"), for Intl formatting and `<html lang>`. */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** Sets the page title and the document language, so screen readers and the tab strip use it too. */
export function localizeDocument(titleKey: MessageKey): void {
  document.title = t(titleKey);
  document.documentElement.lang = uiLanguage();
  document.documentElement.dir = t('@@bidi_dir' as MessageKey) === 'rtl' ? 'rtl' : 'ltr';
}

/** A country's name in the user's language (e.g. DE → "Deutschland"), or the code if unknown. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
