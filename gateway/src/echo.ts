/**
 * The echo line: a callee the gateway plays itself. Call it (by default `+1 415 555 0123` or
 * `sip:echo@kandy.example`) and it rings briefly, answers, and sends back every audio packet it
 * receives, so one browser can test its microphone, its speaker and the whole signalling path alone.
 *
 * Signalling: the SessionManager hands this line the notifications a device would get (invitation,
 * re-offer, SessionEnded/Cancelled), and the line answers through the same SessionManager methods the
 * REST routes use (status "Ringing", answer, audit "Connected", end), as user `echo`. So every rule of
 * the state machine (timers, tombstones, glare, clean-up) applies to echo calls unchanged.
 * Media: see echo-media.ts (werift).
 */
import type { UserInput } from './directory.ts';
import type { EchoMediaStats, EchoPeer, EchoPeerOptions } from './echo-media.ts';
import type { Logger } from './log.ts';
import type { LocalParty, SessionManager } from './sessions.ts';

export const ECHO_DEFAULTS = { username: 'echo', number: '+14155550123', displayName: 'Echo Line' } as const;

export interface EchoLineOptions {
  username: string;
  /** Any notation; stored as E.164. */
  number: string;
  displayName: string;
  /** The line sends "Ringing" this long after the invitation. Default 200 ms. */
  ringDelayMs: number;
  /** …and answers no sooner than this long after the invitation (the caller hears it ring). Default 1000 ms. */
  answerDelayMs: number;
  /** Call audit period, like the SDK's. Default 25 s. */
  auditIntervalMs: number;
  /** The line hangs up a call after this long. Default 10 minutes. */
  maxCallMs: number;
  peer: EchoPeerOptions;
}

export const ECHO_LINE_DEFAULTS: EchoLineOptions = {
  ...ECHO_DEFAULTS,
  ringDelayMs: 200,
  answerDelayMs: 1000,
  auditIntervalMs: 25_000,
  maxCallMs: 10 * 60_000,
  peer: {},
};

/** The directory entry of the line. Nobody can sign in as it: the password is random and the directory refuses service users anyway. */
export function echoDirectoryEntry(options: Pick<EchoLineOptions, 'username' | 'number' | 'displayName'>): UserInput {
  return { username: options.username, number: options.number, displayName: options.displayName, password: `echo-${Math.random().toString(36).slice(2)}-${Date.now()}` };
}

export type EchoCallState = 'ringing' | 'connected' | 'ended';

export interface EchoCallSummary {
  sessionId: string;
  state: EchoCallState;
  invitedAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  endReason: string | undefined;
  /** Offers answered: 1 for the call, +1 per hold/unhold. */
  offersAnswered: number;
  media: EchoMediaStats;
}

interface EchoCall {
  readonly sessionId: string;
  /** Made when the answer step starts (after werift has loaded). */
  peer: EchoPeer | undefined;
  readonly log: Logger;
  state: EchoCallState;
  invitedAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  endReason: string | undefined;
  offersAnswered: number;
  /** One signalling step at a time (answer, re-offers, hang-up) in arrival order. */
  queue: Promise<void>;
  timers: NodeJS.Timeout[];
  lastStats: EchoMediaStats | undefined;
}

type Notification = Record<string, unknown>;

function sdpOf(fields: Notification, key: 'offer' | 'answer'): string | undefined {
  const value = fields[key] as { sdp?: unknown } | undefined;
  return typeof value?.sdp === 'string' && value.sdp.length > 0 ? value.sdp : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** werift takes about a second to load: only a gateway that gets an echo call pays for it. */
let mediaModule: Promise<typeof import('./echo-media.ts')> | undefined;
const loadMedia = () => (mediaModule ??= import('./echo-media.ts'));

const NO_MEDIA: EchoMediaStats = {
  connectionState: 'new',
  codec: undefined,
  direction: undefined,
  packetsReceived: 0,
  bytesReceived: 0,
  packetsEchoed: 0,
  bytesEchoed: 0,
  dtmfPacketsReceived: 0,
  firstPacketAt: undefined,
  roundTripTimeMs: undefined,
  roundTripTimeMeasurements: 0,
};

export class EchoLine implements LocalParty {
  private readonly calls = new Map<string, EchoCall>();
  /** Ended calls, kept briefly for summaries (tests read the media stats after hang-up). */
  private readonly ended: EchoCall[] = [];
  private closed = false;

  constructor(
    private readonly deps: { sessions: SessionManager; log: Logger; options: EchoLineOptions },
  ) {}

  get username(): string {
    return this.deps.options.username;
  }

  onNotification(sessionId: string, type: string, fields: Notification): void {
    if (this.closed) return;
    switch (type) {
      case 'wrtcsSessionInvitationNotification':
        this.onInvitation(sessionId, sdpOf(fields, 'offer'));
        return;
      case 'wrtcsOfferNotification':
        this.onReoffer(sessionId, sdpOf(fields, 'offer'));
        return;
      case 'wrtcsEventNotification': {
        const eventType = String(fields.eventType);
        if (eventType === 'SessionEnded' || eventType === 'Cancelled') this.onEnded(sessionId, eventType);
        return;
      }
      default:
        this.deps.log.debug('echo.notification-ignored', { session: sessionId, type });
    }
  }

  /** Every live call (and calls ended in the last minute) with its media counters. */
  async summary(): Promise<EchoCallSummary[]> {
    const cutoff = Date.now() - 60_000;
    while (this.ended.length > 0 && (this.ended[0]?.endedAt ?? 0) < cutoff) this.ended.shift();
    const all = [...this.ended, ...this.calls.values()];
    return Promise.all(
      all.map(async (call) => ({
        sessionId: call.sessionId,
        state: call.state,
        invitedAt: call.invitedAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt,
        endReason: call.endReason,
        offersAnswered: call.offersAnswered,
        media: call.state === 'ended' ? (call.lastStats ?? NO_MEDIA) : ((await call.peer?.stats()) ?? NO_MEDIA),
      })),
    );
  }

  /** Gateway shutdown: closes every media endpoint (the SessionManager has told the callers). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.calls.values()].map((call) => this.release(call, 'gateway-shutdown')));
  }

  // ---- signalling ----------------------------------------------------------------------------

  private onInvitation(sessionId: string, offer: string | undefined): void {
    const log = this.deps.log.child({ session: sessionId, user: this.username });
    const { options, sessions } = this.deps;
    if (!offer) {
      // Slow start (no offer) is not supported by the gateway; refuse rather than hang.
      log.warn('echo.no-offer');
      this.safely(log, 'end', () => sessions.end(this.username, sessionId));
      return;
    }
    const call: EchoCall = {
      sessionId,
      peer: undefined,
      log,
      state: 'ringing',
      invitedAt: Date.now(),
      answeredAt: undefined,
      endedAt: undefined,
      endReason: undefined,
      offersAnswered: 0,
      queue: Promise.resolve(),
      timers: [],
      lastStats: undefined,
    };
    this.calls.set(sessionId, call);
    log.info('echo.invited');
    const ringing = sleep(options.ringDelayMs).then(() => {
      if (call.state === 'ringing') this.safely(log, 'ringing', () => sessions.status(this.username, sessionId, 'Ringing'));
    });
    this.enqueue(call, async () => {
      const { EchoPeer } = await loadMedia();
      if (call.state !== 'ringing') return;
      const peer = new EchoPeer(options.peer);
      call.peer = peer;
      const [answer] = await Promise.all([peer.answer(offer), ringing, sleep(options.answerDelayMs)]);
      if (call.state !== 'ringing') return;
      sessions.answer(this.username, sessionId, answer, undefined);
      call.state = 'connected';
      call.answeredAt = Date.now();
      call.offersAnswered += 1;
      log.info('echo.answered', { answerMs: call.answeredAt - call.invitedAt });
      const audit = setInterval(() => {
        if (call.state === 'connected') this.safely(log, 'audit', () => sessions.status(this.username, sessionId, 'Connected'));
      }, options.auditIntervalMs);
      const limit = setTimeout(() => this.hangUp(call, 'max-duration'), options.maxCallMs);
      audit.unref();
      limit.unref();
      call.timers.push(audit, limit);
    }, 'answer');
  }

  private onReoffer(sessionId: string, offer: string | undefined): void {
    const call = this.calls.get(sessionId);
    if (!call) return;
    if (!offer) {
      call.log.warn('echo.reoffer-without-sdp');
      this.hangUp(call, 'unsupported-reoffer');
      return;
    }
    this.enqueue(call, async () => {
      const peer = call.peer;
      if (!peer || call.state !== 'connected') return;
      const answer = await peer.answer(offer);
      if (call.state !== 'connected') return;
      this.deps.sessions.answer(this.username, sessionId, answer, undefined);
      call.offersAnswered += 1;
      call.log.info('echo.reanswered', { direction: (await peer.stats()).direction });
    }, 're-answer');
  }

  private onEnded(sessionId: string, eventType: string): void {
    const call = this.calls.get(sessionId);
    if (!call) return;
    call.log.info('echo.ended-by-caller', { eventType });
    void this.release(call, eventType === 'Cancelled' ? 'cancelled' : 'ended-by-caller');
  }

  /** The line hangs up: the SessionManager tells the caller; then media is released. */
  private hangUp(call: EchoCall, reason: string): void {
    if (call.state === 'ended') return;
    call.log.info('echo.hang-up', { reason });
    this.safely(call.log, 'end', () => this.deps.sessions.end(this.username, call.sessionId));
    void this.release(call, reason);
  }

  private async release(call: EchoCall, reason: string): Promise<void> {
    if (call.state === 'ended') return;
    call.state = 'ended';
    call.endedAt = Date.now();
    call.endReason = reason;
    for (const timer of call.timers) clearTimeout(timer);
    call.timers = [];
    this.calls.delete(call.sessionId);
    call.lastStats = await call.peer?.stats().catch(() => undefined);
    await call.peer?.close();
    if (call.lastStats) call.lastStats = { ...call.lastStats, connectionState: 'closed' };
    this.ended.push(call);
    if (this.ended.length > 50) this.ended.shift();
    call.log.info('echo.released', {
      reason,
      packetsReceived: call.lastStats?.packetsReceived,
      packetsEchoed: call.lastStats?.packetsEchoed,
      roundTripTimeMs: call.lastStats?.roundTripTimeMs,
    });
  }

  /** Runs a signalling step after the previous one; a failure hangs the call up. */
  private enqueue(call: EchoCall, step: () => Promise<void>, what: string): void {
    call.queue = call.queue.then(step).catch((error: unknown) => {
      if (call.state === 'ended') return;
      call.log.warn('echo.step-failed', { step: what, error });
      this.hangUp(call, `${what}-failed`);
    });
  }

  private safely(log: Logger, what: string, action: () => unknown): void {
    try {
      action();
    } catch (error) {
      // Usually the call ended meanwhile (404 "session has ended"): nothing to do.
      log.debug('echo.request-refused', { step: what, message: (error as Error).message });
    }
  }
}
