/**
 * The phone: one signed-in Kandy session, the call state, and the intents that act on it.
 * Lives in the offscreen document, which outlives any restart of the service worker.
 */
import { fail, ok, type CallIntent, type Reply, type SavedSession, type SignInReply } from '../shared/messages';
import { NO_ACCOUNT_REASON, SIGNED_OUT_REASON, type Settings } from '../shared/settings';
import { END_REASONS, INITIAL_STATE, liveCalls, type AppState, type CallView } from '../shared/state';
import { parseDialable } from '../content/detect/with-metadata';
import type { CountryCode } from 'libphonenumber-js';
import { identityFromIdToken, refreshDelayMs, SignInError, type Grant, type ServerAddress, type Tokens } from './auth';
import { reduce } from './call-reducer';
import type { KandySession, MediaStats, VideoTracks } from './kandy-seam';
import type { SessionEvent } from './session-events';

export interface PhoneDeps {
  createSession(server: ServerAddress, emit: (event: SessionEvent) => void): KandySession;
  requestTokens(server: ServerAddress, grant: Grant): Promise<Tokens>;
  /** Resolves true when the microphone can be opened without a prompt. */
  microphoneReady(): Promise<boolean>;
  askForMicrophonePermission(): void;
  publish(state: AppState): void;
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** New tokens (sign-in or refresh): the background keeps them so a restarted phone stays signed in. */
  saveTokens?(report: TokenReport): void;
  /** The kept session was refused (e.g. the refresh token expired): the background forgets it. */
  forgetSession?(reason: string): void;
}

export interface TokenReport {
  account: SavedSession['account'];
  user?: string;
  tokens: Tokens;
}

/** A kept access token is used as it is only while it has at least this long to live. */
export const RESUME_MARGIN_MS = 60_000;

/** How long an intent waits for the connection to come up (e.g. right after the document started). */
export const ONLINE_WAIT_MS = 15_000;
/**
 * Past this long without a connection (and with no call to protect) the phone starts over with a
 * fresh client and fresh tokens: a restarted server forgets our channel and our tokens, and the SDK
 * can silently stop retrying a socket that never opened.
 */
export const STALL_RESTART_MS = 20_000;
export const WATCHDOG_PERIOD_MS = 5_000;
const REMEMBERED_INTENTS = 200;

export class Phone {
  private state: AppState = INITIAL_STATE;
  private session: KandySession | undefined;
  private settings: Settings | undefined;
  private tokens: Tokens | undefined;
  private refreshTimer: unknown;
  private signInAttempt = 0;
  private readonly intents = new Map<string, Promise<Reply<unknown>>>();
  private readonly onlineWaiters = new Set<() => void>();
  private notOnlineSince: number | undefined;
  /** The kept session to resume with (refresh token), while this phone has no tokens of its own. */
  private saved: SavedSession | undefined;
  /** Set when the session expired during a call: the user is signed out once the last call ends. */
  private sessionExpired: string | undefined;
  /** Bumped by every explicit sign-in, so only the newest one acts on its answer. */
  private verifyAttempt = 0;

  constructor(private readonly deps: PhoneDeps) {
    this.watch();
  }

  private watch(): void {
    this.deps.setTimeout(() => {
      this.watch();
      const settings = this.settings;
      const stalled = this.notOnlineSince !== undefined && this.deps.now() - this.notOnlineSince > STALL_RESTART_MS;
      if (settings && stalled && this.state.connection.status !== 'signed-out' && liveCalls(this.state).length === 0) {
        this.notOnlineSince = this.deps.now();
        // Fresh tokens from the refresh token (the access token may be what the server no longer knows).
        const refreshToken = this.tokens?.refreshToken ?? this.saved?.refreshToken;
        void this.signIn(settings, refreshToken ? { account: accountOf(settings), refreshToken } : undefined);
      }
    }, WATCHDOG_PERIOD_MS);
  }

  get current(): AppState {
    return this.state;
  }

  apply(event: SessionEvent): void {
    const next = reduce(this.state, event);
    if (next === this.state) return;
    this.state = next;
    if (next.connection.status === 'online') {
      this.notOnlineSince = undefined;
      for (const wake of this.onlineWaiters) wake();
    } else {
      this.notOnlineSince ??= this.deps.now();
    }
    this.deps.publish(next);
    if (this.sessionExpired && liveCalls(next).length === 0) {
      // The session expired during a call; now that the last call is over, sign out as announced.
      const reason = this.sessionExpired;
      this.sessionExpired = undefined;
      this.signOut(reason);
    }
  }

  /**
   * Signs in with what is at hand, best first: a kept access token that still lives, the kept
   * refresh token, then the password (only there if the user just typed it or agreed to keep it).
   */
  async signIn(settings: Settings, saved?: SavedSession): Promise<Reply<unknown>> {
    const reply = await this.start(settings, saved);
    return reply.ok ? ok(undefined) : fail(reply.error);
  }

  /**
   * An explicit sign-in from the options page: the password grant is tried first, and only when the
   * server accepts it does the new session replace the current one (whose calls are untouched otherwise).
   */
  async signInWithAccount(settings: Settings): Promise<SignInReply> {
    const verification = ++this.verifyAttempt;
    if (!settings.username || !settings.password) return { ok: false, kind: 'no-account', reason: 'Enter your user name and password.', error: 'No account configured.' };
    if (!this.session) this.apply({ type: 'connection', connection: { status: 'connecting' } });
    let tokens: Tokens;
    try {
      tokens = await this.deps.requestTokens(settings.server, { grant: 'password', clientId: settings.clientId, username: settings.username, password: settings.password });
    } catch (error) {
      const failure = signInFailure(error);
      if (verification === this.verifyAttempt && !this.session) {
        this.apply({ type: 'connection', connection: { status: failure.kind === 'unreachable' ? 'offline' : 'signed-out', reason: failure.error } });
      }
      return failure;
    }
    if (verification !== this.verifyAttempt) return { ok: false, kind: 'protocol', reason: 'Superseded by a newer sign-in.', error: 'Superseded by a newer sign-in.' };
    this.tearDown();
    this.settings = settings;
    this.saved = undefined;
    this.sessionExpired = undefined;
    this.startSession(settings, tokens, true);
    return { ok: true, value: { user: identityFromIdToken(tokens.idToken) ?? settings.username } };
  }

  private async start(settings: Settings, saved?: SavedSession): Promise<SignInReply> {
    this.tearDown();
    this.settings = settings;
    this.sessionExpired = undefined;
    const attempt = ++this.signInAttempt;
    // A kept session of another account (the settings changed since, e.g. by policy) is not used.
    const resumable = saved && sameAccount(saved.account, accountOf(settings)) ? saved : undefined;
    this.saved = resumable;
    const superseded: SignInReply = { ok: false, kind: 'protocol', reason: 'Superseded by a newer sign-in.', error: 'Superseded by a newer sign-in.' };
    const now = this.deps.now();
    if (resumable?.accessToken && resumable.idToken && resumable.expiresAt !== undefined && resumable.expiresAt - now > RESUME_MARGIN_MS) {
      const tokens: Tokens = {
        accessToken: resumable.accessToken,
        idToken: resumable.idToken,
        ...(resumable.refreshToken ? { refreshToken: resumable.refreshToken } : {}),
        expiresIn: (resumable.expiresAt - now) / 1000,
      };
      this.startSession(settings, tokens, false);
      return { ok: true, value: { user: identityFromIdToken(tokens.idToken) ?? settings.username } };
    }
    const canUsePassword = Boolean(settings.username && settings.password);
    if (!resumable?.refreshToken && !canUsePassword) {
      this.apply({ type: 'connection', connection: { status: 'signed-out', reason: NO_ACCOUNT_REASON } });
      return { ok: false, kind: 'no-account', reason: NO_ACCOUNT_REASON, error: 'No account configured.' };
    }
    this.apply({ type: 'connection', connection: { status: 'connecting' } });
    try {
      const tokens = await this.obtainTokens(settings, resumable?.refreshToken);
      if (attempt !== this.signInAttempt) return superseded;
      this.startSession(settings, tokens, true);
      return { ok: true, value: { user: identityFromIdToken(tokens.idToken) ?? settings.username } };
    } catch (error) {
      if (attempt !== this.signInAttempt) return superseded;
      const failure = signInFailure(error);
      const rejected = failure.kind === 'rejected';
      if (rejected && resumable?.refreshToken) {
        // The kept session is no longer accepted (and no password could replace it): forget it.
        this.saved = undefined;
        this.deps.forgetSession?.(failure.error);
      }
      this.apply({ type: 'connection', connection: { status: rejected ? 'signed-out' : 'offline', reason: failure.error } });
      return failure;
    }
  }

  /** A refresh token first; if the server refuses it (or there is none), the password when we have it. */
  private async obtainTokens(settings: Settings, refreshToken: string | undefined): Promise<Tokens> {
    if (refreshToken) {
      try {
        const tokens = await this.deps.requestTokens(settings.server, { grant: 'refresh_token', clientId: settings.clientId, refreshToken });
        return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
      } catch (error) {
        if (!(error instanceof SignInError && error.kind === 'rejected') || !settings.password) throw error;
      }
    }
    if (!settings.username || !settings.password) throw new SignInError('The server gave no refresh token; sign in again.', 'rejected', 'no refresh token');
    return this.deps.requestTokens(settings.server, { grant: 'password', clientId: settings.clientId, username: settings.username, password: settings.password });
  }

  private startSession(settings: Settings, tokens: Tokens, report: boolean): void {
    // The password is used for the grant and then forgotten, unless the user agreed to keep it.
    this.settings = settings.rememberPassword ? settings : { ...settings, password: '' };
    this.tokens = tokens;
    const session = this.deps.createSession(settings.server, (event) => {
      if (this.session === session) this.apply(event);
    });
    this.session = session;
    session.setTokens(tokens);
    const user = identityFromIdToken(tokens.idToken);
    if (report) this.deps.saveTokens?.({ account: accountOf(settings), ...(user ? { user } : {}), tokens });
    this.apply({ type: 'connection', connection: { status: 'connecting', ...(user ? { user } : {}) } });
    session.subscribe();
    this.scheduleRefresh(tokens.expiresIn);
  }

  /** New preferences (country, microphone…) without signing in again; the account stays as it is. */
  updatePreferences(settings: Settings): void {
    const current = this.settings;
    if (!current) return;
    this.settings = { ...settings, server: current.server, clientId: current.clientId, username: current.username, password: current.password, rememberPassword: current.rememberPassword };
  }

  signOut(reason = SIGNED_OUT_REASON): void {
    this.signInAttempt++;
    this.verifyAttempt++;
    this.sessionExpired = undefined;
    this.saved = undefined;
    this.tearDown();
    this.settings = undefined;
    this.apply({ type: 'connection', connection: { status: 'signed-out', reason } });
  }

  /** Each intent runs once, however often a restarted worker or a retrying popup delivers it. */
  handleIntent(intentId: string, intent: CallIntent): Promise<Reply<unknown>> {
    const known = this.intents.get(intentId);
    if (known) return known;
    const result = this.execute(intent).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.apply({ type: 'operation-failed', at: this.deps.now(), message, ...('callId' in intent ? { callId: intent.callId } : {}) });
      return fail(message);
    });
    this.intents.set(intentId, result);
    if (this.intents.size > REMEMBERED_INTENTS) {
      const oldest = this.intents.keys().next().value;
      if (oldest !== undefined) this.intents.delete(oldest);
    }
    return result;
  }

  videoTracks(callId: string): VideoTracks {
    return this.session?.videoTracks(callId) ?? { local: [], remote: [] };
  }

  /** The microphone/camera names of the calls in progress, newest first. */
  trackLabels(): { audio?: string; video?: string } {
    const session = this.session;
    if (!session) return {};
    const labels: { audio?: string; video?: string } = {};
    for (const call of liveCalls(this.state).reverse()) {
      const found = session.trackLabels(call.id);
      labels.audio ??= found.audio;
      labels.video ??= found.video;
    }
    return labels;
  }

  async stats(): Promise<MediaStats[]> {
    const session = this.session;
    if (!session) return [];
    const connected = liveCalls(this.state).filter((call) => call.phase === 'connected' || call.phase === 'on-hold');
    return Promise.all(connected.map((call) => session.stats(call.id)));
  }

  private async execute(intent: CallIntent): Promise<Reply<unknown>> {
    const session = await this.onlineSession();
    switch (intent.kind) {
      case 'make': {
        const parsed = this.parse(intent.destination);
        await this.requireMicrophone();
        this.holdOthers(session);
        return ok({ callId: session.make(parsed.dial, { video: intent.video, ...this.microphone() }) });
      }
      case 'answer':
        this.requireCall(intent.callId);
        await this.requireMicrophone();
        // Call waiting: answering a second call puts the one we are talking on on hold first.
        this.holdOthers(session, intent.callId);
        session.answer(intent.callId, { video: intent.video, ...this.microphone() });
        return ok(undefined);
      case 'reject':
        this.requireCall(intent.callId);
        session.reject(intent.callId);
        return ok(undefined);
      case 'end':
        this.requireCall(intent.callId);
        session.end(intent.callId);
        return ok(undefined);
      case 'hold':
        this.requireCall(intent.callId);
        session.hold(intent.callId);
        return ok(undefined);
      case 'unhold':
        this.requireCall(intent.callId);
        // Resuming one call switches to it: the others go on hold, so only one call has our voice.
        this.holdOthers(session, intent.callId);
        session.unhold(intent.callId);
        return ok(undefined);
      case 'mute':
        this.requireCall(intent.callId);
        session.mute(intent.callId);
        return ok(undefined);
      case 'unmute':
        this.requireCall(intent.callId);
        session.unmute(intent.callId);
        return ok(undefined);
      case 'dtmf':
        this.requireCall(intent.callId);
        session.sendDtmf(intent.callId, intent.tones);
        return ok(undefined);
      case 'transfer': {
        const call = this.requireCall(intent.callId);
        if (call.phase !== 'connected' && call.phase !== 'on-hold') throw new Error('Only a connected call can be transferred.');
        const parsed = this.parse(intent.destination);
        // Marked first: the server may end our side of the call before its answer to the request arrives.
        this.apply({ type: 'call-transferred', id: intent.callId, to: parsed.display });
        try {
          await session.transfer(intent.callId, parsed.dial);
        } catch (error) {
          this.apply({ type: 'call-transferred', id: intent.callId, to: undefined });
          throw error;
        }
        return ok(undefined);
      }
      case 'start-video': {
        const call = this.requireCall(intent.callId);
        if (call.phase !== 'connected') throw new Error('Video can be started only on a connected call that is not on hold.');
        session.startVideo(intent.callId);
        return ok(undefined);
      }
      case 'stop-video':
        this.requireCall(intent.callId);
        session.stopVideo(intent.callId);
        return ok(undefined);
    }
  }

  /** The microphone chosen in the options, if not the system default. */
  private microphone(): { microphoneId?: string } {
    const id = this.settings?.microphoneId;
    return id ? { microphoneId: id } : {};
  }

  private parse(destination: string): { dial: string; display: string } {
    const parsed = parseDialable(destination, (this.settings?.defaultCountry ?? 'US') as CountryCode);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed;
  }

  /** Holds every answered call we still send our voice to, except `keep`. */
  private holdOthers(session: KandySession, keep?: string): void {
    for (const call of liveCalls(this.state)) {
      if (call.id === keep || call.answeredAt === undefined || call.localHold) continue;
      if (call.phase === 'connected' || call.phase === 'on-hold') session.hold(call.id);
    }
  }

  private requireCall(callId: string): CallView {
    const call = this.state.calls.find((candidate) => candidate.id === callId);
    if (!call) throw new Error('That call no longer exists.');
    if (call.phase === 'ended') throw new Error('That call has already ended.');
    return call;
  }

  private async requireMicrophone(): Promise<void> {
    if (await this.deps.microphoneReady()) return;
    this.deps.askForMicrophonePermission();
    throw new Error('Microphone access is needed for calls. Allow it on the page that just opened, then try again.');
  }

  private async onlineSession(): Promise<KandySession> {
    if (this.state.connection.status !== 'online') {
      if (this.state.connection.status === 'signed-out') throw new Error(this.state.connection.reason ?? 'Not signed in.');
      await new Promise<void>((resolve, reject) => {
        const timer = this.deps.setTimeout(() => {
          this.onlineWaiters.delete(wake);
          reject(new Error(`Not connected to the Kandy server${this.state.connection.reason ? `: ${this.state.connection.reason}` : '.'}`));
        }, ONLINE_WAIT_MS);
        const wake = () => {
          this.deps.clearTimeout(timer);
          this.onlineWaiters.delete(wake);
          resolve();
        };
        this.onlineWaiters.add(wake);
      });
    }
    if (!this.session) throw new Error('Not signed in.');
    return this.session;
  }

  private scheduleRefresh(expiresIn: number): void {
    this.deps.clearTimeout(this.refreshTimer);
    this.refreshTimer = this.deps.setTimeout(() => void this.refresh(), refreshDelayMs(expiresIn));
  }

  private async refresh(): Promise<void> {
    const settings = this.settings;
    const session = this.session;
    if (!settings || !session) return;
    const attempt = this.signInAttempt;
    try {
      const tokens = await this.obtainTokens(settings, this.tokens?.refreshToken);
      if (attempt !== this.signInAttempt) return;
      this.tokens = tokens;
      session.setTokens(tokens);
      const user = identityFromIdToken(tokens.idToken);
      this.deps.saveTokens?.({ account: accountOf(settings), ...(user ? { user } : {}), tokens });
      this.scheduleRefresh(tokens.expiresIn);
    } catch (error) {
      if (attempt !== this.signInAttempt) return;
      if (error instanceof SignInError && error.kind === 'rejected') {
        const reason = `Your session expired (${error.message}). Sign in again in the options.`;
        this.saved = undefined;
        this.deps.forgetSession?.(reason);
        if (liveCalls(this.state).length === 0) {
          this.signOut(reason);
        } else {
          // Calls in progress keep their media; the user is signed out when the last one ends.
          this.sessionExpired = reason;
          this.apply({ type: 'operation-failed', at: this.deps.now(), message: `${reason} Your call continues; you will be signed out when it ends.` });
        }
        return;
      }
      // The server is unreachable for now: try again soon, the SDK keeps reconnecting meanwhile.
      this.refreshTimer = this.deps.setTimeout(() => void this.refresh(), 5000);
    }
  }

  private tearDown(): void {
    this.deps.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    const session = this.session;
    this.session = undefined;
    this.tokens = undefined;
    session?.destroy();
    for (const call of liveCalls(this.state)) {
      this.apply({ type: 'call-changed', at: this.deps.now(), id: call.id, sdkState: 'Ended', localHold: false, remoteHold: false, error: END_REASONS.signedOut });
    }
  }
}

function accountOf(settings: Settings): SavedSession['account'] {
  return { server: { host: settings.server.host, port: settings.server.port }, clientId: settings.clientId, username: settings.username };
}

function sameAccount(a: SavedSession['account'], b: SavedSession['account']): boolean {
  return a.server.host === b.server.host && a.server.port === b.server.port && a.clientId === b.clientId && a.username === b.username;
}

/** A failed sign-in as the options page reports it: the server's reason, or which server could not be reached. */
function signInFailure(error: unknown): Extract<SignInReply, { ok: false }> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SignInError) {
    return { ok: false, kind: error.kind, reason: error.detail ?? message, error: message, ...(error.kind === 'unreachable' && error.detail ? { server: error.detail } : {}) };
  }
  return { ok: false, kind: 'protocol', reason: message, error: message };
}
