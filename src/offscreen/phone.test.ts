import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { AppState } from '../shared/state';
import { SignInError, type Tokens } from './auth';
import type { KandySession } from './kandy-seam';
import { Phone, type PhoneDeps } from './phone';
import type { SessionEvent } from './session-events';

vi.mock('../content/detect', () => ({
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
