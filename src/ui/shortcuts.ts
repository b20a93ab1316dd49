/**
 * The popup's keyboard shortcuts. Alt+letter keys (by physical key, so they work on any layout and
 * with macOS's Option key); Alt+E and Alt+F are left alone because browsers use them for their menus.
 */
export type ShortcutAction = 'answer' | 'answer-video' | 'decline' | 'hang-up' | 'toggle-mute' | 'toggle-hold' | 'toggle-keypad' | 'help' | 'escape';

export interface ShortcutHelp {
  keys: string;
  description: string;
}

export const SHORTCUT_HELP: ShortcutHelp[] = [
  { keys: 'Enter', description: 'Call the number in the field' },
  { keys: 'Shift+Enter', description: 'Video call the number in the field' },
  { keys: 'Alt+A', description: 'Answer the ringing call' },
  { keys: 'Alt+V', description: 'Answer the ringing call with video' },
  { keys: 'Alt+D', description: 'Decline the ringing call' },
  { keys: 'Alt+H', description: 'Hang up the current call' },
  { keys: 'Alt+M', description: 'Mute or unmute the current call' },
  { keys: 'Alt+P', description: 'Put the current call on hold, or resume it' },
  { keys: 'Alt+K', description: 'Show or hide the dial-tone keypad of the current call' },
  { keys: '0–9, *, #', description: 'During a call, outside a text field: send that dial tone' },
  { keys: 'Esc', description: 'Close this help or an open panel; clear the number field' },
  { keys: '?', description: 'Show or hide this help' },
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
