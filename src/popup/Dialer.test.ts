// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Dialer from './Dialer.svelte';
import { loadDialTools } from '../ui/dial-context';

const messaging = vi.hoisted(() => ({
  ask: vi.fn(async (request: { type: string }) =>
    request.type === 'ui/get-settings' ? { ok: true, value: { defaultCountry: 'US', videoByDefault: false } } : { ok: true, value: undefined },
  ),
  sendIntent: vi.fn(async (_intent: unknown) => ({ ok: true, value: { callId: 'c1' } }) as { ok: boolean; value?: unknown; error?: string }),
}));
vi.mock('../ui/messaging', () => messaging);
vi.mock('../ui/i18n', () => import('../test/english-i18n'));

async function renderDialer() {
  const result = render(Dialer);
  await loadDialTools();
  const field = screen.getByLabelText('Number or address') as HTMLInputElement;
  // The dial tools load right after mounting; wait until typing is formatted.
  await waitFor(async () => {
    type(field, '415');
    expect(field.value).toBe('(415)');
  });
  type(field, '');
  return { ...result, field };
}

/** What the browser does when the user types: the new value, the caret at its end, an input event. */
function type(field: HTMLInputElement, value: string, inputType = 'insertText') {
  field.value = value;
  field.setSelectionRange(value.length, value.length);
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType }));
}

describe('Dialer', () => {
  beforeEach(() => {
    messaging.sendIntent.mockClear();
  });
  afterEach(() => cleanup());

  it('formats a number as it is typed, digit by digit', async () => {
    const { field } = await renderDialer();
    let typed = '';
    for (const digit of '4155550101') {
      typed = field.value + digit;
      type(field, typed);
    }
    expect(field.value).toBe('(415) 555-0101');
  });

  it('takes pasted numbers in any notation, SIP addresses and user names', async () => {
    const { field } = await renderDialer();
    type(field, '+1.415.555.0101', 'insertFromPaste');
    expect(field.value).toBe('+1 415 555 0101');
    for (const text of ['sip:bob@kandy.example', 'bob', 'tel:+14155550101']) {
      type(field, text, 'insertFromPaste');
      expect(field.value).toBe(text);
    }
  });

  it('shows why input cannot be called, and calls nothing', async () => {
    const { field } = await renderDialer();
    type(field, '12');
    await fireEvent.submit(field.form!);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/too short/i);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('dial-error');
    type(field, 'https://example.com');
    await fireEvent.click(screen.getByRole('button', { name: 'Video call' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Cannot call a "https:" address/);
    type(field, '');
    await fireEvent.submit(field.form!);
    expect((await screen.findByRole('alert')).textContent).toMatch(/Type a number/);
    expect(messaging.sendIntent).not.toHaveBeenCalled();
    // Editing clears the error.
    type(field, '4');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('calls on Enter (audio) and on Shift+Enter or the Video call button (video), then clears the field', async () => {
    const { field } = await renderDialer();
    type(field, 'bob');
    await fireEvent.submit(field.form!);
    await waitFor(() => expect(messaging.sendIntent).toHaveBeenCalledWith({ kind: 'make', destination: 'bob', video: false }));
    await waitFor(() => expect(field.value).toBe(''));
    type(field, 'sip:carol@kandy.example');
    await fireEvent.keyDown(field, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(messaging.sendIntent).toHaveBeenLastCalledWith({ kind: 'make', destination: 'sip:carol@kandy.example', video: true }));
    await waitFor(() => expect(field.value).toBe(''));
    type(field, '(415) 555-0101');
    await fireEvent.click(screen.getByRole('button', { name: 'Video call' }));
    await waitFor(() => expect(messaging.sendIntent).toHaveBeenLastCalledWith({ kind: 'make', destination: '(415) 555-0101', video: true }));
  });

  it('keeps what was typed and shows the phone’s answer when the call is refused', async () => {
    messaging.sendIntent.mockResolvedValueOnce({ ok: false, error: 'Not connected to the Kandy server.' });
    const { field } = await renderDialer();
    type(field, 'bob');
    await fireEvent.submit(field.form!);
    expect((await screen.findByRole('alert')).textContent).toBe('Not connected to the Kandy server.');
    expect(field.value).toBe('bob');
  });

  it('has a 12-key pad that types into the field, and a delete key', async () => {
    const { field } = await renderDialer();
    const pad = screen.getByRole('group', { name: 'Dial pad' });
    const keys = [...pad.querySelectorAll('button')].map((button) => button.getAttribute('aria-label'));
    expect(keys).toEqual(['1', '2 ABC', '3 DEF', '4 GHI', '5 JKL', '6 MNO', '7 PQRS', '8 TUV', '9 WXYZ', 'star', '0 +', 'pound']);
    for (const label of ['4 GHI', '1', '5 JKL', '5 JKL']) await fireEvent.click(screen.getByRole('button', { name: label }));
    expect(field.value).toBe('(415) 5');
    await fireEvent.click(screen.getByRole('button', { name: 'Delete last character' }));
    expect(field.value).toBe('(415)');
    const toggle = screen.getByRole('button', { name: 'Keypad' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('group', { name: 'Dial pad' })).toBeNull();
  });
});
