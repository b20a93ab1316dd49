/**
 * The popup's keyboard shortcuts. Alt+letter keys (by physical key, so they work on any layout and
 * with macOS's Option key); Alt+E and Alt+F are left alone because browsers use them for their menus.
 */
import { t } from './i18n';

export type ShortcutAction = 'answer' | 'answer-video' | 'decline' | 'hang-up' | 'toggle-mute' | 'toggle-hold' | 'toggle-keypad' | 'help' | 'escape';

export interface ShortcutHelp {
  keys: string;
  description: string;
}

export const SHORTCUT_HELP: ShortcutHelp[] = [
  { keys: 'Enter', description: t('shortcutCall') },
  { keys: 'Shift+Enter', description: t('shortcutVideoCall') },
  { keys: 'Alt+A', description: t('shortcutAnswer') },
  { keys: 'Alt+V', description: t('shortcutAnswerVideo') },
  { keys: 'Alt+D', description: t('shortcutDecline') },
  { keys: 'Alt+H', description: t('shortcutHangUp') },
  { keys: 'Alt+M', description: t('shortcutMute') },
  { keys: 'Alt+P', description: t('shortcutHold') },
  { keys: 'Alt+K', description: t('shortcutKeypad') },
  { keys: '0–9, *, #', description: t('shortcutTones') },
  { keys: 'Esc', description: t('shortcutEscape') },
  { keys: '?', description: t('shortcutHelp') },
];

const ALT_KEYS: Record<string, ShortcutAction> = {
  KeyA: 'answer',
  KeyV: 'answer-video',
  KeyD: 'decline',
  KeyH: 'hang-up',
  KeyM: 'toggle-mute',
  KeyP: 'toggle-hold',
  KeyK: 'toggle-keypad',
};

export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export function shortcutFor(event: KeyLike, inTextField: boolean): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey) return undefined;
  if (event.altKey) return event.shiftKey ? undefined : ALT_KEYS[event.code];
  if (event.key === 'Escape') return 'escape';
  if (event.key === '?' && !inTextField) return 'help';
  return undefined;
}

/** A dial tone typed outside a text field. */
export function dialToneFor(event: KeyLike, inTextField: boolean): string | undefined {
  if (inTextField || event.altKey || event.ctrlKey || event.metaKey) return undefined;
  return /^[0-9*#]$/.test(event.key) ? event.key : undefined;
}
