// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { CallView, ConnectionStatus } from '../shared/state';
import ActiveCall from './ActiveCall.svelte';
import IncomingCall from './IncomingCall.svelte';
import EndedCall from './EndedCall.svelte';

const messaging = vi.hoisted(() => ({
  ask: vi.fn(async (request: { type: string }) =>
    request.type === 'ui/get-settings' ? { ok: true, value: { defaultCountry: 'US', videoByDefault: false } } : { ok: true, value: undefined },
  ),
  sendIntent: vi.fn(async (_intent: unknown) => ({ ok: true, value: undefined }) as { ok: boolean; value?: unknown; error?: string }),
}));
vi.mock('../ui/messaging', () => messaging);
vi.mock('../ui/i18n', () => import('../test/english-i18n'));

const NOW = 1_000_000;
function call(overrides: Partial<CallView> = {}): CallView {
  return {
    id: 'c1',
    direction: 'outgoing',
    remoteAddress: 'sip:+14155550101@kandy.example',
    remoteName: 'Bob Demo',
    phase: 'connected',
    sdkState: 'Connected',
    startedAt: NOW - 90_000,
    answeredAt: NOW - 65_000,
    muted: false,
    localHold: false,
    remoteHold: false,
    video: false,
    ...overrides,
  };
}

function renderCall(view: CallView, connection: ConnectionStatus = 'online', primary = true) {
  render(ActiveCall, { call: view, now: NOW, connection, primary, formatNumber: (number: string) => (number === '+14155550101' ? '(415) 555-0101' : undefined) });
  return screen.getByRole('region', { name: primary ? 'Current call' : 'Other call' });
}

const buttonNames = (region: HTMLElement) => within(region).queryAllByRole('button').map((button) => button.textContent?.trim());

describe('ActiveCall in every state', () => {
  beforeEach(() => messaging.sendIntent.mockClear());
  afterEach(() => cleanup());

  const cases: { name: string; view: Partial<CallView>; connection?: ConnectionStatus; label: string; timer: boolean; controls: string[] }[] = [
    { name: 'calling', view: { phase: 'initiating', sdkState: 'Initiated', answeredAt: undefined }, label: 'Calling…', timer: false, controls: ['End'] },
    { name: 'ringing', view: { phase: 'ringing', sdkState: 'Ringing', answeredAt: undefined }, label: 'Ringing…', timer: false, controls: ['End'] },
    { name: 'connected', view: {}, label: 'Connected', timer: true, controls: ['Mute', 'Hold', 'Keypad', 'Start video', 'Transfer', 'End'] },
    { name: 'on hold by us', view: { phase: 'on-hold', sdkState: 'On Hold', localHold: true }, label: 'On hold', timer: true, controls: ['Mute', 'Resume', 'Keypad', 'Start video', 'Transfer', 'End'] },
    { name: 'held by them', view: { phase: 'on-hold', sdkState: 'On Hold', remoteHold: true }, label: 'Held by the other party', timer: true, controls: ['Mute', 'Hold', 'Keypad', 'Start video', 'Transfer', 'End'] },
    { name: 'reconnecting', view: {}, connection: 'offline', label: 'Reconnecting…', timer: true, controls: ['Mute', 'Hold', 'Keypad', 'Start video', 'Transfer', 'End'] },
    { name: 'muted with video', view: { muted: true, localVideo: true, video: true }, label: 'Connected', timer: true, controls: ['Unmute', 'Hold', 'Keypad', 'Stop video', 'Transfer', 'End', 'Open video window'] },
  ];

  for (const { name, view, connection, label, timer, controls } of cases) {
    it(`shows ${name}`, () => {
      const region = renderCall(call(view), connection);
      expect(within(region).getByTestId('call-phase').textContent).toBe(label);
      expect(within(region).getByText('Bob Demo')).toBeTruthy();
      expect(within(region).getByText('(415) 555-0101')).toBeTruthy();
      if (timer) expect(within(region).getByTestId('call-timer').textContent).toBe('1:05');
      else expect(within(region).queryByTestId('call-timer')).toBeNull();
      expect(buttonNames(region)).toEqual(controls);
    });
  }

  it('acts on its own call: mute, hold, resume, video, end', async () => {
    const region = renderCall(call({ id: 'mine', phase: 'on-hold', localHold: true }), 'online', false);
    for (const name of ['Mute', 'Resume', 'Start video', 'End']) await fireEvent.click(within(region).getByRole('button', { name }));
    expect(messaging.sendIntent.mock.calls.map(([intent]) => intent)).toEqual([
      { kind: 'mute', callId: 'mine' },
      { kind: 'unhold', callId: 'mine' },
      { kind: 'start-video', callId: 'mine' },
      { kind: 'end', callId: 'mine' },
    ]);
    expect(within(region).getByRole('button', { name: 'Resume' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('sends dial tones from its keypad and shows what was sent', async () => {
    const region = renderCall(call());
    const toggle = within(region).getByRole('button', { name: 'Keypad' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    const pad = within(region).getByRole('group', { name: 'Dial tones' });
    for (const name of ['1', 'star', 'pound']) await fireEvent.click(within(pad).getByRole('button', { name }));
    expect(messaging.sendIntent.mock.calls.map(([intent]) => intent)).toEqual([
      { kind: 'dtmf', callId: 'c1', tones: '1' },
      { kind: 'dtmf', callId: 'c1', tones: '*' },
      { kind: 'dtmf', callId: 'c1', tones: '#' },
    ]);
    expect(within(region).getByTestId('sent-tones').textContent).toBe('1*#');
  });

  it('validates a transfer destination before transferring', async () => {
    const region = renderCall(call());
    await fireEvent.click(within(region).getByRole('button', { name: 'Transfer' }));
    const field = within(region).getByLabelText('Transfer to') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: '12' } });
    await fireEvent.click(within(region).getByRole('button', { name: 'Transfer now' }));
    expect((await within(region).findByRole('alert')).textContent).toMatch(/too short/i);
    expect(messaging.sendIntent).not.toHaveBeenCalled();
    await fireEvent.input(field, { target: { value: '(415) 555-0102' } });
    await fireEvent.click(within(region).getByRole('button', { name: 'Transfer now' }));
    await waitFor(() => expect(messaging.sendIntent).toHaveBeenCalledWith({ kind: 'transfer', callId: 'c1', destination: '(415) 555-0102' }));
  });

  it('shows the phone’s error for a failed action', async () => {
    messaging.sendIntent.mockResolvedValueOnce({ ok: false, error: 'hold failed: busy' });
    const region = renderCall(call());
    await fireEvent.click(within(region).getByRole('button', { name: 'Hold' }));
    expect((await within(region).findByRole('alert')).textContent).toBe('hold failed: busy');
  });
});

describe('IncomingCall', () => {
  beforeEach(() => messaging.sendIntent.mockClear());
  afterEach(() => cleanup());

  it('offers answer, answer with video and reject, once the call rings', async () => {
    const view = call({ id: 'in', direction: 'incoming', phase: 'ringing', sdkState: 'Ringing', answeredAt: undefined, remoteAddress: 'sip:alice@kandy.example', remoteName: 'Alice Demo' });
    render(IncomingCall, { call: view, otherCalls: true });
    const region = screen.getByRole('region', { name: 'Incoming call' });
    expect(region.textContent).toMatch(/Incoming call from Alice Demo/);
    expect(within(region).getByText('Answering puts your current call on hold.')).toBeTruthy();
    for (const name of ['Answer', 'Answer with video', 'Reject']) await fireEvent.click(within(region).getByRole('button', { name }));
    expect(messaging.sendIntent.mock.calls.map(([intent]) => intent)).toEqual([
      { kind: 'answer', callId: 'in', video: false },
      { kind: 'answer', callId: 'in', video: true },
      { kind: 'reject', callId: 'in' },
    ]);
  });

  it('cannot be answered before it rings, but can be rejected', () => {
    render(IncomingCall, { call: call({ direction: 'incoming', phase: 'initiating', sdkState: 'Initiating', answeredAt: undefined }) });
    const region = screen.getByRole('region', { name: 'Incoming call' });
    expect((within(region).getByRole('button', { name: 'Answer' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(region).getByRole('button', { name: 'Reject' }) as HTMLButtonElement).disabled).toBe(false);
    expect(within(region).queryByText(/on hold/)).toBeNull();
  });
});

describe('EndedCall', () => {
  afterEach(() => cleanup());

  it('says how the call ended', () => {
    render(EndedCall, { call: call({ phase: 'ended', sdkState: 'Ended', endedAt: NOW, endReason: 'Transferred to Carol' }) });
    const region = screen.getByRole('region', { name: 'Last call' });
    expect(within(region).getByTestId('call-phase').textContent).toBe('Ended');
    expect(region.textContent).toMatch(/Bob Demo.*Transferred to Carol/s);
  });
});
