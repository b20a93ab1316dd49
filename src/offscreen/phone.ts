/**
 * The phone: one signed-in Kandy session, the call state, and the intents that act on it.
 * Lives in the offscreen document, which outlives any restart of the service worker.
 */
import { fail, ok, type CallIntent, type Reply } from '../shared/messages';
import type { Settings } from '../shared/settings';
import { INITIAL_STATE, liveCalls, type AppState } from '../shared/state';
import { parseDialable } from '../content/detect';
import type { CountryCode } from 'libphonenumber-js';
import { identityFromIdToken, refreshDelayMs, SignInError, type Grant, type ServerAddress, type Tokens } from './auth';
import { reduce } from './call-reducer';
import type { KandySession, MediaStats } from './kandy-seam';
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
}

/** How long an intent waits for the connection to come up (e.g. right after the document started). */
export const ONLINE_WAIT_MS = 15_000;
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

  constructor(private readonly deps: PhoneDeps) {}

  get current(): AppState {
    return this.state;
  }

  apply(event: SessionEvent): void {
    const next = reduce(this.state, event);
    if (next === this.state) return;
    this.state = next;
    if (next.connection.status === 'online') for (const wake of this.onlineWaiters) wake();
    this.deps.publish(next);
  }

  async signIn(settings: Settings): Promise<Reply<unknown>> {
    this.tearDown();
    this.settings = settings;
    const attempt = ++this.signInAttempt;
    if (!settings.username || !settings.password) {
      this.apply({ type: 'connection', connection: { status: 'signed-out', reason: 'Enter your Kandy account in the options to sign in.' } });
      return fail('No account configured.');
    }
    this.apply({ type: 'connection', connection: { status: 'connecting' } });
    try {
      const tokens = await this.deps.requestTokens(settings.server, {
        grant: 'password',
        clientId: settings.clientId,
        username: settings.username,
        password: settings.password,
      });
      if (attempt !== this.signInAttempt) return fail('Superseded by a newer sign-in.');
      this.tokens = tokens;
      const session = this.deps.createSession(settings.server, (event) => {
        if (this.session === session) this.apply(event);
      });
      this.session = session;
      session.setTokens(tokens);
      const user = identityFromIdToken(tokens.idToken);
      this.apply({ type: 'connection', connection: { status: 'connecting', ...(user ? { user } : {}) } });
      session.subscribe();
      this.scheduleRefresh(tokens.expiresIn);
      return ok(undefined);
    } catch (error) {
      if (attempt !== this.signInAttempt) return fail('Superseded by a newer sign-in.');
      const reason = error instanceof Error ? error.message : String(error);
      const rejected = error instanceof SignInError && error.kind === 'rejected';
      this.apply({ type: 'connection', connection: { status: rejected ? 'signed-out' : 'offline', reason } });
      return fail(reason);
    }
  }

  signOut(reason = 'Signed out.'): void {
    this.signInAttempt++;
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
        const parsed = parseDialable(intent.destination, (this.settings?.defaultCountry ?? 'US') as CountryCode);
        if (!parsed.ok) throw new Error(parsed.reason);
        await this.requireMicrophone();
        return ok({ callId: session.make(parsed.dial, { video: intent.video }) });
      }
      case 'answer':
        this.requireCall(intent.callId);
        await this.requireMicrophone();
        session.answer(intent.callId, { video: intent.video });
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
    }
  }

  private requireCall(callId: string): void {
    const call = this.state.calls.find((candidate) => candidate.id === callId);
    if (!call) throw new Error('That call no longer exists.');
    if (call.phase === 'ended') throw new Error('That call has already ended.');
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
      const grant: Grant = this.tokens?.refreshToken
        ? { grant: 'refresh_token', clientId: settings.clientId, refreshToken: this.tokens.refreshToken }
        : { grant: 'password', clientId: settings.clientId, username: settings.username, password: settings.password };
      const tokens = await this.deps.requestTokens(settings.server, grant);
      if (attempt !== this.signInAttempt) return;
      this.tokens = tokens;
      session.setTokens(tokens);
      this.scheduleRefresh(tokens.expiresIn);
    } catch (error) {
      if (attempt !== this.signInAttempt) return;
      if (error instanceof SignInError && error.kind === 'rejected') {
        // Calls in progress keep their media; only new operations need a fresh sign-in.
        this.apply({ type: 'operation-failed', at: this.deps.now(), message: `Your session expired: ${error.message}` });
        if (liveCalls(this.state).length === 0) this.signOut(`Session expired: ${error.message}`);
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
      this.apply({ type: 'call-changed', at: this.deps.now(), id: call.id, sdkState: 'Ended', localHold: false, remoteHold: false, error: 'Signed out' });
    }
  }
}
