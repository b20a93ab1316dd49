/**
 * The English messages for unit tests, which run outside an extension (no chrome.i18n):
 * `vi.mock('../ui/i18n', () => import('../test/english-i18n'))` makes components read as in English.
 */
import messages from '../public/_locales/en/messages.json';
import type { MessageKey } from '../ui/i18n';

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const entry = (messages as Record<string, Message | undefined>)[key];
  if (!entry) return key;
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? whole;
    return content.replace(/\$(\d)/g, (_, index: string) => String(substitutions[Number(index) - 1] ?? ''));
  });
}

export const uiLanguage = (): string => 'en';
export function localizeDocument(titleKey: MessageKey): void {
  document.title = t(titleKey);
  document.documentElement.lang = 'en';
}
export const countryName = (code: string): string => code;
