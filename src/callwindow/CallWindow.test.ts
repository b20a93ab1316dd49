// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import CallWindow from './CallWindow.svelte';

const mocks = vi.hoisted(() => ({
  state: undefined as unknown as AppState,
  sendIntent: vi.fn(async (_intent: unknown) => ({ ok: true, value: undefined })),
  close: vi.fn(),
  openVideoRelay: vi.fn(),
}));
vi.mock('../ui/app-state.svelte', () => ({
  createAppState: () => ({
    get current() {
      return mocks.state;
    },
    loaded: true,
  }),
}));
vi.mock('../ui/messaging', () => ({ ask: vi.fn(async () => ({ ok: true, value: undefined })), sendIntent: mocks.sendIntent }));
vi.mock('../ui/video-relay', () => ({ openVideoRelay: mocks.openVideoRelay }));
vi.mock('../ui/i18n', () => import('../test/english-i18n'));

const NOW = Date.now();
function call(overrides: Partial<CallView> = {}): CallView {
  return { id: 'v1', direction: 'outgoing', remoteAddress: 'sip:bob@kandy.example', remoteName: 'Bob Demo', phase: 'connected', sdkState: 'Connected', startedAt: NOW - 5000, answeredAt: NOW - 3000, muted: false, localHold: false, remoteHold: false, video: true, localVideo: true, remoteVideo: true, ...overrides };
}
const withCall = (view: CallView): AppState => ({ ...INITIAL_STATE, connection: { status: 'online' }, calls: [view] });

describe('CallWindow', () => {
  beforeEach(() => {
    mocks.sendIntent.mockClear();
    mocks.openVideoRelay.mockReset();
    mocks.openVideoRelay.mockImplementation(async (_callId: string, onVideo: (video: object) => void) => {
      onVideo({ remote: { id: 'remote-stream' }, local: { id: 'local-stream' } });
      return { close: mocks.close };
    });
  });
  afterEach(() => cleanup());

  it('shows both videos of a connected video call and its controls', async () => {
    mocks.state = withCall(call());
    render(CallWindow, { callId: 'v1' });
    await waitFor(() => expect(mocks.openVideoRelay).toHaveBeenCalledWith('v1', expect.any(Function), expect.any(Function)));
    const remote = screen.getByTestId('remote-video') as HTMLVideoElement & { srcObject: unknown };
    await waitFor(() => expect(remote.hidden).toBe(false));
    expect(remote.srcObject).toEqual({ id: 'remote-stream' });
    expect(remote.getAttribute('aria-label')).toBe('Video from Bob Demo, bob@kandy.example');
    expect((screen.getByTestId('local-video') as HTMLVideoElement).hidden).toBe(false);
    expect(screen.getByTestId('call-phase').textContent).toBe('Connected');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bob Demo, bob@kandy.example');
    await fireEvent.click(screen.getByRole('button', { name: 'Stop video' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    await fireEvent.click(screen.getByRole('button', { name: 'End call' }));
    expect(mocks.sendIntent.mock.calls.map(([intent]) => intent)).toEqual([
      { kind: 'stop-video', callId: 'v1' },
      { kind: 'mute', callId: 'v1' },
      { kind: 'end', callId: 'v1' },
    ]);
  });

  it('waits for the call before asking for video', () => {
    mocks.state = withCall(call({ phase: 'ringing', sdkState: 'Ringing', answeredAt: undefined, localVideo: false, remoteVideo: false }));
    render(CallWindow, { callId: 'v1' });
    expect(screen.getByTestId('call-phase').textContent).toBe('Ringing…');
    expect(screen.getByText('Waiting for the call…')).toBeTruthy();
    expect(mocks.openVideoRelay).not.toHaveBeenCalled();
  });

  it('says when the other party sends no video, and offers to start ours', async () => {
    mocks.openVideoRelay.mockImplementation(async (_callId: string, onVideo: (video: object) => void) => {
      onVideo({});
      return { close: mocks.close };
    });
    mocks.state = withCall(call({ localVideo: false, remoteVideo: false, video: false }));
    render(CallWindow, {});
    await screen.findByText('The other party sends no video.');
    expect(screen.getByRole('button', { name: 'Start video' })).toBeTruthy();
  });

  it('shows a relay failure and an ended call', async () => {
    mocks.openVideoRelay.mockImplementation(async (_callId: string, _onVideo: unknown, onFailed: (reason: string) => void) => {
      onFailed('The phone is not running.');
      return { close: mocks.close };
    });
    mocks.state = withCall(call());
    render(CallWindow, { callId: 'v1' });
    await screen.findByText('Video unavailable: The phone is not running.');
    cleanup();
    mocks.state = withCall(call({ phase: 'ended', sdkState: 'Ended', endedAt: NOW }));
    render(CallWindow, { callId: 'v1' });
    expect(screen.getByTestId('call-phase').textContent).toBe('Ended');
    expect(screen.getByText('Call ended.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'End call' })).toBeNull();
  });
});
