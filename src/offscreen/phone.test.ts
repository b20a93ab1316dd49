import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { AppState } from '../shared/state';
import { SignInError, type Tokens } from './auth';
import type { KandySession } from './kandy-seam';
import { Phone, type PhoneDeps } from './phone';
import type { SessionEvent } from './session-events';

vi.mock('../content/detect/with-metadata', () => ({
  parseDialable: (input: string) =>
    /^\+?[\d ()-]{7,}$/.test(input) ? { ok: true, dial: `+${input.replace(/\D/g, '')}`, display: input } : /^[a-z]+$/.test(input) ? { ok: true, dial: input, display: input } : { ok: false, reason: `"${input}" is not a number or address that can be called.` },
}));

const TOKENS: Tokens = { accessToken: 'a', idToken: 'x.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhbGljZSJ9.y', refreshToken: 'r', expiresIn: 3600 };

function fakeSession() {
  let emit: (event: SessionEvent) => void = () => undefined;
  let next = 0;
  const session = {
    setTokens: vi.fn(),
    subscribe: vi.fn(() => emit({ type: 'connection', connection: { status: 'online' } })),
    unsubscribe: vi.fn(),
    make: vi.fn((destination: string) => {
      const id = `call-${++next}`;
      emit({ type: 'call-added', at: 1, call: { id, direction: 'outgoing', remoteAddress: destination, video: false, sdkState: 'Initiating' } });
      return id;
    }),
    answer: vi.fn(),
    reject: vi.fn(),
    end: vi.fn((id: string) => emit({ type: 'call-changed', at: 2, id, sdkState: 'Ended', localHold: false, remoteHold: false })),
    hold: vi.fn(),
    unhold: vi.fn(),
    mute: vi.fn(),
    unmute: vi.fn(),
    sendDtmf: vi.fn(),
    transfer: vi.fn(async () => undefined),
    startVideo: vi.fn(),
    stopVideo: vi.fn(),
    videoTracks: vi.fn(() => ({ local: [], remote: [] })),
    trackLabels: vi.fn(() => ({})),
    stats: vi.fn(),
    destroy: vi.fn(),
  } satisfies KandySession;
  return { session, bind: (listener: (event: SessionEvent) => void) => (emit = listener) };
}

function setup(overrides: Partial<PhoneDeps> = {}) {
  const fake = fakeSession();
  const published: AppState[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const deps: PhoneDeps = {
    createSession: (_server, emit) => {
      fake.bind(emit);
      return fake.session;
    },
    requestTokens: vi.fn(async () => TOKENS),
    microphoneReady: vi.fn(async () => true),
    askForMicrophonePermission: vi.fn(),
    publish: (state) => published.push(state),
    now: () => 42,
    setTimeout: (callback, ms) => timers.push({ callback, ms }),
    clearTimeout: () => undefined,
    ...overrides,
  };
  return { phone: new Phone(deps), deps, session: fake.session, published, timers };
}

describe('Phone', () => {
  it('signs in, subscribes, and publishes the online state with the user', async () => {
    const { phone, session, published } = setup();
    await expect(phone.signIn(DEFAULT_SETTINGS)).resolves.toEqual({ ok: true, value: undefined });
    expect(session.setTokens).toHaveBeenCalledWith(TOKENS);
    expect(published.at(-1)?.connection.status).toBe('online');
    expect(published.some((state) => state.connection.user === 'alice')).toBe(true);
  });

  it('reports the server’s reason when sign-in is refused and stays signed out', async () => {
    const { phone } = setup({ requestTokens: vi.fn(async () => Promise.reject(new SignInError('Sign-in refused: wrong password', 'rejected'))) });
    await expect(phone.signIn(DEFAULT_SETTINGS)).resolves.toEqual({ ok: false, error: 'Sign-in refused: wrong password' });
    expect(phone.current.connection).toEqual({ status: 'signed-out', reason: 'Sign-in refused: wrong password' });
  });

  it('carries out each intent once, however often it is delivered', async () => {
    const { phone, session } = setup();
    await phone.signIn(DEFAULT_SETTINGS);
    const first = await phone.handleIntent('intent-1', { kind: 'make', destination: '(415) 555-0101', video: false });
    const again = await phone.handleIntent('intent-1', { kind: 'make', destination: '(415) 555-0101', video: false });
    expect(first).toEqual(again);
    expect(session.make).toHaveBeenCalledTimes(1);
    expect(session.make).toHaveBeenCalledWith('+4155550101', { video: false });
    const callId = (first as { value: { callId: string } }).value.callId;
    await phone.handleIntent('intent-2', { kind: 'end', callId });
    await phone.handleIntent('intent-2', { kind: 'end', callId });
    expect(session.end).toHaveBeenCalledTimes(1);
  });

  it('refuses bad destinations and unknown calls with a clear error, touching nothing', async () => {
    const { phone, session } = setup();
    await phone.signIn(DEFAULT_SETTINGS);
    const bad = await phone.handleIntent('intent-3', { kind: 'make', destination: '12', video: false });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be called|not a number/) });
    const unknown = await phone.handleIntent('intent-4', { kind: 'hold', callId: 'nope' });
    expect(unknown).toEqual({ ok: false, error: 'That call no longer exists.' });
    expect(session.make).not.toHaveBeenCalled();
    expect(session.hold).not.toHaveBeenCalled();
  });

  it('asks for the microphone instead of calling when it is not allowed', async () => {
    const { phone, session, deps } = setup({ microphoneReady: vi.fn(async () => false) });
    await phone.signIn(DEFAULT_SETTINGS);
    const reply = await phone.handleIntent('intent-5', { kind: 'make', destination: 'bob', video: false });
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/Microphone/) });
    expect(deps.askForMicrophonePermission).toHaveBeenCalledOnce();
    expect(session.make).not.toHaveBeenCalled();
    expect(phone.current.lastError?.message).toMatch(/Microphone/);
  });

  it('refuses intents while signed out', async () => {
    const { phone } = setup();
    phone.signOut('Signed out by you.');
    await expect(phone.handleIntent('intent-6', { kind: 'make', destination: 'bob', video: false })).resolves.toEqual({ ok: false, error: 'Signed out by you.' });
  });

  it('refreshes the token before it expires with the refresh grant', async () => {
    const { phone, deps, session, timers } = setup();
    await phone.signIn(DEFAULT_SETTINGS);
    const refresh = timers.at(-1);
    expect(refresh?.ms).toBe(2_880_000);
    refresh?.callback();
    await vi.waitFor(() => expect(session.setTokens).toHaveBeenCalledTimes(2));
    expect(deps.requestTokens).toHaveBeenLastCalledWith(DEFAULT_SETTINGS.server, { grant: 'refresh_token', clientId: DEFAULT_SETTINGS.clientId, refreshToken: 'r' });
  });
});

describe('Phone watchdog', () => {
  it('starts over with fresh tokens when it has been offline too long and no call is live', async () => {
    let now = 0;
    const requestTokens = vi.fn(async () => Promise.reject(new SignInError('Cannot reach the Kandy server', 'unreachable')));
    const { phone, timers } = setup({ requestTokens, now: () => now });
    await phone.signIn(DEFAULT_SETTINGS);
    expect(phone.current.connection.status).toBe('offline');
    expect(requestTokens).toHaveBeenCalledTimes(1);
    const firstWatch = timers[0];
    now = 10_000;
    firstWatch?.callback();
    expect(requestTokens).toHaveBeenCalledTimes(1);
    now = 25_000;
    timers.at(-1)?.callback();
    await vi.waitFor(() => expect(requestTokens).toHaveBeenCalledTimes(2));
  });
});

describe('Phone with several calls', () => {
  async function twoCalls() {
    const context = setup();
    await context.phone.signIn(DEFAULT_SETTINGS);
    const emit = (event: SessionEvent) => context.phone.apply(event);
    emit({ type: 'call-added', at: 1, call: { id: 'a', direction: 'outgoing', remoteAddress: 'sip:bob@kandy.example', video: false, sdkState: 'Initiating' } });
    emit({ type: 'call-changed', at: 2, id: 'a', sdkState: 'Connected', localHold: false, remoteHold: false });
    emit({ type: 'call-added', at: 3, call: { id: 'b', direction: 'incoming', remoteAddress: 'sip:carol@kandy.example', video: false, sdkState: 'Ringing' } });
    return { ...context, emit };
  }

  it('holds the call we talk on before answering a waiting call', async () => {
    const { phone, session } = await twoCalls();
    await expect(phone.handleIntent('answer-b', { kind: 'answer', callId: 'b', video: true })).resolves.toMatchObject({ ok: true });
    expect(session.hold).toHaveBeenCalledWith('a');
    expect(session.answer).toHaveBeenCalledWith('b', { video: true });
    expect(session.hold.mock.invocationCallOrder[0]).toBeLessThan(session.answer.mock.invocationCallOrder[0] ?? 0);
  });

  it('switches calls: resuming one holds the other, and a held call is not held twice', async () => {
    const { phone, session, emit } = await twoCalls();
    emit({ type: 'call-changed', at: 4, id: 'a', sdkState: 'On Hold', localHold: true, remoteHold: false });
    emit({ type: 'call-changed', at: 5, id: 'b', sdkState: 'Connected', localHold: false, remoteHold: false });
    await phone.handleIntent('resume-a', { kind: 'unhold', callId: 'a' });
    expect(session.hold).toHaveBeenCalledWith('b');
    expect(session.hold).not.toHaveBeenCalledWith('a');
    expect(session.unhold).toHaveBeenCalledWith('a');
  });

  it('marks a transferred call and takes the mark back when the server refuses', async () => {
    const { phone, session } = await twoCalls();
    await expect(phone.handleIntent('transfer-1', { kind: 'transfer', callId: 'a', destination: 'carol' })).resolves.toMatchObject({ ok: true });
    expect(session.transfer).toHaveBeenCalledWith('a', 'carol');
    expect(phone.current.calls.find((call) => call.id === 'a')?.transferredTo).toBe('carol');

    session.transfer.mockRejectedValueOnce(new Error('Transfer failed: Callee carol is busy in another call'));
    const refused = await phone.handleIntent('transfer-2', { kind: 'transfer', callId: 'a', destination: 'dave' });
    expect(refused).toEqual({ ok: false, error: 'Transfer failed: Callee carol is busy in another call' });
    expect(phone.current.calls.find((call) => call.id === 'a')?.transferredTo).toBeUndefined();
  });

  it('refuses to transfer a call that is not connected, and to start video on it', async () => {
    const { phone, session } = await twoCalls();
    await expect(phone.handleIntent('transfer-3', { kind: 'transfer', callId: 'b', destination: 'bob' })).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/connected/) });
    await expect(phone.handleIntent('video-1', { kind: 'start-video', callId: 'b' })).resolves.toMatchObject({ ok: false });
    await expect(phone.handleIntent('video-2', { kind: 'start-video', callId: 'a' })).resolves.toMatchObject({ ok: true });
    await expect(phone.handleIntent('video-3', { kind: 'stop-video', callId: 'a' })).resolves.toMatchObject({ ok: true });
    expect(session.transfer).not.toHaveBeenCalled();
    expect(session.startVideo).toHaveBeenCalledExactlyOnceWith('a');
    expect(session.stopVideo).toHaveBeenCalledExactlyOnceWith('a');
  });
});

describe('Phone recovery', () => {
  it('starts a new client with fresh tokens after a stall, destroying the old one first', async () => {
    let now = 0;
    const { phone, session, deps, timers } = setup({ now: () => now });
    const createSession = vi.spyOn(deps, 'createSession');
    await phone.signIn(DEFAULT_SETTINGS);
    phone.apply({ type: 'connection', connection: { status: 'offline', reason: 'server restarted' } });
    now = 30_000;
    timers[0]?.callback();
    await vi.waitFor(() => expect(createSession).toHaveBeenCalledTimes(2));
    expect(session.destroy).toHaveBeenCalledOnce();
    expect(deps.requestTokens).toHaveBeenCalledTimes(2);
  });
});
