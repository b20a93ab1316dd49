import { describe, expect, it, vi } from 'vitest';
import { dialToneFor, SHORTCUT_HELP, shortcutFor, type KeyLike } from './shortcuts';

vi.mock('./i18n', () => import('../test/english-i18n'));

const key = (overrides: Partial<KeyLike>): KeyLike => ({ key: '', code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...overrides });

describe('popup shortcuts', () => {
  it('maps Alt+letters by physical key, whatever the layout types', () => {
    expect(shortcutFor(key({ key: 'h', code: 'KeyH', altKey: true }), true)).toBe('hang-up');
    expect(shortcutFor(key({ key: '˙', code: 'KeyH', altKey: true }), false)).toBe('hang-up');
    expect(shortcutFor(key({ key: 'a', code: 'KeyA', altKey: true }), false)).toBe('answer');
    expect(shortcutFor(key({ key: 'm', code: 'KeyM', altKey: true }), false)).toBe('toggle-mute');
    expect(shortcutFor(key({ key: 'H', code: 'KeyH', altKey: true, shiftKey: true }), false)).toBeUndefined();
    expect(shortcutFor(key({ key: 'e', code: 'KeyE', altKey: true }), false)).toBeUndefined();
    expect(shortcutFor(key({ key: 'h', code: 'KeyH', altKey: true, ctrlKey: true }), false)).toBeUndefined();
  });

  it('opens help with ? only outside text fields, and Esc everywhere', () => {
    expect(shortcutFor(key({ key: '?', code: 'Slash', shiftKey: true }), false)).toBe('help');
    expect(shortcutFor(key({ key: '?', code: 'Slash', shiftKey: true }), true)).toBeUndefined();
    expect(shortcutFor(key({ key: 'Escape', code: 'Escape' }), true)).toBe('escape');
  });

  it('sends typed digits as tones only outside text fields', () => {
    expect(dialToneFor(key({ key: '5', code: 'Digit5' }), false)).toBe('5');
    expect(dialToneFor(key({ key: '#', code: 'Digit3', shiftKey: true }), false)).toBe('#');
    expect(dialToneFor(key({ key: '5', code: 'Digit5' }), true)).toBeUndefined();
    expect(dialToneFor(key({ key: 'x', code: 'KeyX' }), false)).toBeUndefined();
  });

  it('documents every shortcut it handles', () => {
    const documented = SHORTCUT_HELP.map((item) => item.keys).join(' ');
    for (const letter of ['A', 'V', 'D', 'H', 'M', 'P', 'K']) expect(documented).toContain(`Alt+${letter}`);
    expect(documented).toContain('Esc');
  });
});
