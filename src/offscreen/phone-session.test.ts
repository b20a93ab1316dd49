/** The phone's side of staying signed in: resuming a kept session, refreshing, reporting tokens, expiry. */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, SIGNED_OUT_REASON, type Settings } from '../shared/settings';
import type { SavedSession } from '../shared/messages';
import { SignInError, type Grant, type Tokens } from './auth';
import type { KandySession } from './kandy-seam';
import { Phone, type PhoneDeps } from './phone';
import type { SessionEvent } from './session-events';

vi.mock('../content/detect/with-metadata', () => ({
  parseDialable: (input: string) => ({ ok: true, dial: input, display: input }),
}));

// {"preferred_username":"alice"}
const ID_TOKEN = 'x.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhbGljZSJ9.y';
/** Tokens as the server sends them; `withRefreshToken: false` for a server that sends no (new) refresh token. */
const fresh = (n: number, withRefreshToken = true): Tokens => ({ accessToken: `access-${n}`, idToken: ID_TOKEN, ...(withRefreshToken ? { refreshToken: `refresh-${n}` } : {}), expiresIn: 8 });
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, username: 'alice', password: 'alice-pw', rememberPassword: false };
const ACCOUNT = { server: SETTINGS.server, clientId: SETTINGS.clientId, username: 'alice' };

function fakeSession(): KandySession & { emit: (event: SessionEvent) => void } {
  let emit: (event: SessionEvent) => void = () => undefined;
  let next = 0;
  return {
    get emit() {
      return emit;
    },
    set emit(listener) {
      emit = listener;
    },
    setTokens: vi.fn(),
    subscribe: vi.fn(() => emit({ type: 'connection', connection: { status: 'online' } })),
    unsubscribe: vi.fn(),
    make: vi.fn(() => {
      const id = `call-${++next}`;
      emit({ type: 'call-added', at: 1, call: { id, direction: 'outgoing', remoteAddress: 'x', video: false, sdkState: 'Initiating' } });
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
  };
}

function setup(requestTokens: (grant: Grant) => Promise<Tokens>) {
  const sessions: ReturnType<typeof fakeSession>[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  let now = 1_000_000;
  const deps = {
    createSession: vi.fn((_server, emit: (event: SessionEvent) => void) => {
      const session = fakeSession();
      session.emit = emit;
      sessions.push(session);
      return session;
    }),
    requestTokens: vi.fn(async (_server: unknown, grant: Grant) => requestTokens(grant)),
    microphoneReady: vi.fn(async () => true),
    askForMicrophonePermission: vi.fn(),
    publish: vi.fn(),
    now: () => now,
    setTimeout: (callback: () => void, ms: number) => timers.push({ callback, ms }),
    clearTimeout: () => undefined,
    saveTokens: vi.fn(),
    forgetSession: vi.fn(),
  } satisfies PhoneDeps;
  const phone = new Phone(deps);
  /** Runs the refresh timer (the last timer the phone set, the watchdog's are 5 s). */
  const runRefresh = () => timers.filter((timer) => timer.ms !== 5_000).at(-1)?.callback();
  return { phone, deps, sessions, timers, runRefresh, advance: (ms: number) => (now += ms) };
}

describe('Phone sessions', () => {
  it('resumes with a kept access token that still lives: no grant, no password', async () => {
    const { phone, deps, sessions } = setup(async () => fresh(1));
    const saved: SavedSession = { account: ACCOUNT, refreshToken: 'kept-refresh', accessToken: 'kept-access', idToken: ID_TOKEN, expiresAt: 1_000_000 + 600_000 };
    await expect(phone.signIn({ ...SETTINGS, password: '' }, saved)).resolves.toEqual({ ok: true, value: undefined });
    expect(deps.requestTokens).not.toHaveBeenCalled();
    expect(sessions[0]?.setTokens).toHaveBeenCalledWith({ accessToken: 'kept-access', idToken: ID_TOKEN, refreshToken: 'kept-refresh', expiresIn: 600 });
    expect(phone.current.connection.status).toBe('online');
  });

  it('resumes with the kept refresh token when the access token is gone, and reports the new tokens', async () => {
    const { phone, deps } = setup(async () => fresh(2, false));
    await phone.signIn({ ...SETTINGS, password: '' }, { account: ACCOUNT, refreshToken: 'kept-refresh' });
    expect(deps.requestTokens).toHaveBeenCalledWith(SETTINGS.server, { grant: 'refresh_token', clientId: SETTINGS.clientId, refreshToken: 'kept-refresh' });
    // The server did not rotate the refresh token: the kept one stays in use.
    expect(deps.saveTokens).toHaveBeenCalledWith({ account: ACCOUNT, user: 'alice', tokens: { ...fresh(2, false), refreshToken: 'kept-refresh' } });
  });

  it('does not use a kept session of another account', async () => {
    const { phone, deps } = setup(async () => fresh(3));
    await phone.signIn(SETTINGS, { account: { ...ACCOUNT, username: 'bob' }, refreshToken: 'bobs' });
    expect(deps.requestTokens).toHaveBeenCalledWith(SETTINGS.server, expect.objectContaining({ grant: 'password', username: 'alice' }));
  });

  it('a refused kept session is forgotten and the user is signed out', async () => {
    const { phone, deps } = setup(async () => Promise.reject(new SignInError('Sign-in refused: The refresh token is invalid or has expired; sign in again.', 'rejected', 'expired')));
    await phone.signIn({ ...SETTINGS, password: '' }, { account: ACCOUNT, refreshToken: 'old' });
    expect(deps.forgetSession).toHaveBeenCalledOnce();
    expect(phone.current.connection).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/refresh token/) });
  });

  it('reports tokens after a password sign-in and forgets the password unless the user agreed to keep it', async () => {
    const grants: Grant[] = [];
    const { phone, deps, runRefresh } = setup(async (grant) => {
      grants.push(grant);
      return fresh(grants.length, false);
    });
    await phone.signIn(SETTINGS);
    expect(deps.saveTokens).toHaveBeenCalledTimes(1);
    runRefresh();
    // No refresh token and no password left: the session cannot be renewed, so the user is signed out.
    await vi.waitFor(() => expect(phone.current.connection.status).toBe('signed-out'));
    expect(grants.map((grant) => grant.grant)).toEqual(['password']);
    expect(deps.forgetSession).toHaveBeenCalledOnce();
  });

  it('keeps using a password the user agreed to keep when a refresh token is refused', async () => {
    const grants: Grant[] = [];
    const { phone, runRefresh } = setup(async (grant) => {
      grants.push(grant);
      if (grant.grant === 'refresh_token') throw new SignInError('Sign-in refused: gone', 'rejected', 'gone');
      return fresh(grants.length);
    });
    await phone.signIn({ ...SETTINGS, rememberPassword: true });
    runRefresh();
    await vi.waitFor(() => expect(grants).toHaveLength(3));
    expect(grants.map((grant) => grant.grant)).toEqual(['password', 'refresh_token', 'password']);
    expect(phone.current.connection.status).toBe('online');
  });

  it('refreshes before expiry and reports every new token', async () => {
    let n = 0;
    const { phone, deps, sessions, runRefresh, timers } = setup(async () => fresh(++n));
    await phone.signIn(SETTINGS);
    expect(timers.some((timer) => timer.ms === 6_400)).toBe(true);
    runRefresh();
    await vi.waitFor(() => expect(deps.saveTokens).toHaveBeenCalledTimes(2));
    expect(deps.requestTokens).toHaveBeenLastCalledWith(SETTINGS.server, { grant: 'refresh_token', clientId: SETTINGS.clientId, refreshToken: 'refresh-1' });
    expect(sessions[0]?.setTokens).toHaveBeenLastCalledWith(fresh(2));
  });

  it('a session that expires during a call keeps the call and signs out when it ends', async () => {
    const { phone, deps, sessions, runRefresh } = setup(async (grant) => {
      if (grant.grant === 'refresh_token') throw new SignInError('Sign-in refused: expired', 'rejected', 'expired');
      return fresh(1);
    });
    await phone.signIn(SETTINGS);
    const made = await phone.handleIntent('intent-00000001', { kind: 'make', destination: 'bob', video: false });
    const callId = (made as { value: { callId: string } }).value.callId;
    phone.apply({ type: 'call-changed', at: 3, id: callId, sdkState: 'Connected', localHold: false, remoteHold: false });
    runRefresh();
    await vi.waitFor(() => expect(deps.forgetSession).toHaveBeenCalledOnce());
    expect(phone.current.calls.find((call) => call.id === callId)?.phase).toBe('connected');
    expect(phone.current.connection.status).toBe('online');
    expect(phone.current.lastError?.message).toMatch(/call continues/);
    expect(sessions[0]?.destroy).not.toHaveBeenCalled();
    await phone.handleIntent('intent-00000002', { kind: 'end', callId });
    expect(phone.current.connection).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/session expired/) });
  });

  it('an explicit sign-in that the server refuses leaves the current session alone', async () => {
    const { phone, sessions, deps } = setup(async (grant) => {
      if (grant.grant === 'password' && grant.password === 'wrong') throw new SignInError('Sign-in refused: Invalid username or password.', 'rejected', 'Invalid username or password.');
      return fresh(1);
    });
    await phone.signIn(SETTINGS);
    const reply = await phone.signInWithAccount({ ...SETTINGS, username: 'bob', password: 'wrong' });
    expect(reply).toEqual({ ok: false, kind: 'rejected', reason: 'Invalid username or password.', error: 'Sign-in refused: Invalid username or password.' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.destroy).not.toHaveBeenCalled();
    expect(phone.current.connection.status).toBe('online');
    expect(deps.saveTokens).toHaveBeenCalledTimes(1);
  });

  it('an explicit sign-in that works replaces the session and names the user', async () => {
    const { phone, sessions } = setup(async () => fresh(1));
    await phone.signIn(SETTINGS);
    await expect(phone.signInWithAccount({ ...SETTINGS, password: 'new' })).resolves.toEqual({ ok: true, value: { user: 'alice' } });
    expect(sessions).toHaveLength(2);
    expect(sessions[0]?.destroy).toHaveBeenCalled();
  });

  it('reports an unreachable server with its address', async () => {
    const { phone } = setup(async () => Promise.reject(new SignInError('Cannot reach the Kandy server at h:1 (unreachable, or its certificate is not trusted).', 'unreachable', 'h:1')));
    await expect(phone.signInWithAccount(SETTINGS)).resolves.toMatchObject({ ok: false, kind: 'unreachable', server: 'h:1' });
    expect(phone.current.connection.status).toBe('offline');
  });

  it('uses the chosen microphone for calls', async () => {
    const { phone, sessions } = setup(async () => fresh(1));
    await phone.signIn({ ...SETTINGS, microphoneId: 'mic-2' });
    await phone.handleIntent('intent-00000003', { kind: 'make', destination: 'bob', video: false });
    expect(sessions[0]?.make).toHaveBeenCalledWith('bob', { video: false, microphoneId: 'mic-2' });
    phone.updatePreferences({ ...SETTINGS, microphoneId: '' });
    await phone.handleIntent('intent-00000004', { kind: 'make', destination: 'carol', video: false });
    expect(sessions[0]?.make).toHaveBeenLastCalledWith('carol', { video: false });
  });

  it('signs out with the plain reason', async () => {
    const { phone } = setup(async () => fresh(1));
    await phone.signIn(SETTINGS);
    phone.signOut();
    expect(phone.current.connection).toEqual({ status: 'signed-out', reason: SIGNED_OUT_REASON });
  });
});
