/**
 * Call sessions: the state machine behind /cpaas/webrtcsignaling/{v}/{user}/sessions.
 *
 * Both parties share one session id, each under their own user path. The gateway only relays SDP; it
 * remembers who has an outstanding re-offer so /answer can be routed as an acceptance (initial answer)
 * or as an answer notification (renegotiation). Every way a session can end goes through finish(), which
 * clears timers, keeps a tombstone (so late requests get a precise 404 and repeated DELETEs are harmless)
 * and tells the other party.
 *
 * Extension points: deliver() is the only place that reaches a party, so a gateway-answered "echo line"
 * or a transfer that swaps a party can hook in there and in the Party records.
 *
 * Blind transfer (transfer()): the party that asks leaves the session (it gets SessionEnded), the other
 * party (the transferee) becomes the caller of a new leg, and the destination becomes its callee. The
 * transferee's SDK is asked for a fresh offer with a slow-start re-offer (an offer notification without
 * SDP); its reply on /answer is that offer, which invites the destination; the destination's answer goes
 * back to the transferee as an answer notification. The session id stays the same for everyone.
 */
import type { ChannelRegistry } from './channels.ts';
import type { Directory, UserRecord } from './directory.ts';
import type { Logger } from './log.ts';
import type { Subscription, SubscriptionRegistry } from './subscriptions.ts';
import { errors } from './errors.ts';
import { randomId } from './ids.ts';

export type Role = 'caller' | 'callee';

/**
 * A party the gateway plays itself (the echo line, echo.ts). It gets the notifications a device of that
 * user would get, and acts through the same public methods the REST routes call (status, answer, update,
 * end) under its user name. It can be in any number of calls at once and needs no channel.
 */
export interface LocalParty {
  onNotification(sessionId: string, type: string, fields: Record<string, unknown>): void;
}
export type SessionState = 'initiated' | 'ringing' | 'connected' | 'ended';

/** How long a party's notifications are held back after it created a session or re-offered (see deliver()). */
const SETTLE_MS = 400;
const STATUS_NAME: Record<SessionState, string> = { initiated: 'Initiated', ringing: 'Ringing', connected: 'Connected', ended: 'Ended' };

export interface Party {
  readonly role: Role;
  readonly user: UserRecord;
  readonly version: string;
  /** The channel of the device in this call, once known; undefined = all call-subscribed channels of the user. */
  channelId: string | undefined;
  clientCorrelator: string | undefined;
  /** Last request (status/audit, answer, update) from this party. */
  lastActivityAt: number;
}

interface Session {
  readonly id: string;
  /** Notifications held back for a party that has just made a request (see deliver()). */
  readonly held: Map<Party, HeldNotifications>;
  /** Swapped by a blind transfer (see transfer()). */
  caller: Party;
  callee: Party;
  readonly dialed: string;
  readonly createdAt: number;
  state: SessionState;
  connectedAt: number | undefined;
  invitedChannels: string[];
  pendingOffer: { from: Role; at: number } | undefined;
  ringTimer: NodeJS.Timeout | undefined;
  reofferTimer: NodeJS.Timeout | undefined;
  readonly log: Logger;
  /** A blind transfer in progress: waiting for the transferee's offer, or ringing the destination. */
  transfer: { step: 'awaiting-offer' | 'ringing'; by: string; dialed: string } | undefined;
  /** Users who left the session by transferring it: their late requests get "session has ended". */
  departed: string[];
}

interface HeldNotifications {
  until: number;
  queue: { type: string; fields: Record<string, unknown> }[];
  timer: NodeJS.Timeout | undefined;
}

interface Tombstone {
  id: string;
  caller: string;
  callee: string;
  endedAt: number;
  reason: string;
}

export interface SessionSummary {
  id: string;
  state: SessionState;
  caller: string;
  callee: string;
  dialed: string;
  createdAt: number;
  connectedAt: number | undefined;
  pendingOfferFrom: Role | undefined;
  /** Set while a blind transfer is under way: who asked for it. */
  transferredBy: string | undefined;
}

export interface SessionOptions {
  /** An unanswered invitation ends after this long (callee: Cancelled, caller: SessionEnded). */
  ringTimeoutMs: number;
  /** A re-offer the peer never answers ends the session after this long. */
  reofferTimeoutMs: number;
  /** A connected party that sends nothing (no call audit) for this long ends the session; 0 disables. */
  auditTimeoutMs: number;
  /** How long ended sessions are remembered. */
  tombstoneMs: number;
  /** How many live sessions one user may be in at once (1 = busy while in a call; 2 allows call waiting). Default 1. */
  maxCallsPerUser?: number;
}

export interface CreateSessionInput {
  address: string;
  sdp: string;
  clientCorrelator: string | undefined;
  displayName: string | undefined;
}

type EndNotice = { party: Party; eventType: 'SessionEnded' | 'Cancelled' };

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly localParties = new Map<string, LocalParty>();
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      directory: Directory;
      channels: ChannelRegistry;
      subscriptions: SubscriptionRegistry;
      log: Logger;
      options: SessionOptions;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
    deps.subscriptions.onRemoved((subscription) => this.onSubscriptionRemoved(subscription));
  }

  private get log(): Logger {
    return this.deps.log;
  }

  // ---- requests -------------------------------------------------------------------------------

  create(callerUser: UserRecord, version: string, input: CreateSessionInput): { resourceURL: string; sessionId: string; callee: UserRecord } {
    const resolved = this.deps.directory.resolve(input.address);
    if (!resolved.user) {
      this.log.info('session.reject', { user: callerUser.username, dialed: input.address, reason: resolved.reason });
      throw errors.unknownCallee(input.address);
    }
    const callee = resolved.user;
    if (callee.username === callerUser.username) throw errors.invalidInput('tParticipantAddress', 'a user cannot call themselves');
    const local = this.localParties.get(callee.username);
    if (!local && this.isBusy(callee.username)) {
      this.log.info('session.reject', { user: callerUser.username, callee: callee.username, reason: 'busy' });
      throw errors.calleeBusy(input.address);
    }
    const calleeChannels = local ? [] : this.deps.subscriptions.channelsFor(callee.username, 'call');
    if (!local && calleeChannels.length === 0) {
      this.log.info('session.reject', { user: callerUser.username, callee: callee.username, reason: 'not subscribed' });
      throw errors.calleeUnavailable(input.address);
    }

    const now = this.now();
    const id = randomId(12);
    const session: Session = {
      id,
      caller: {
        role: 'caller',
        user: callerUser,
        version,
        channelId: this.pickChannel(callerUser.username, input.clientCorrelator),
        clientCorrelator: input.clientCorrelator,
        lastActivityAt: now,
      },
      callee: { role: 'callee', user: callee, version, channelId: undefined, clientCorrelator: undefined, lastActivityAt: now },
      dialed: input.address,
      createdAt: now,
      state: 'initiated',
      connectedAt: undefined,
      invitedChannels: calleeChannels.map((channel) => channel.id),
      pendingOffer: undefined,
      ringTimer: undefined,
      reofferTimer: undefined,
      log: this.log.child({ session: id }),
      transfer: undefined,
      departed: [],
      held: new Map(),
    };
    this.sessions.set(id, session);
    this.settle(session, session.caller);
    session.ringTimer = setTimeout(() => this.onRingTimeout(id), this.deps.options.ringTimeoutMs);
    session.ringTimer.unref();
    session.log.info('session.create', { user: callerUser.username, callee: callee.username, dialed: input.address, devices: calleeChannels.length });

    this.deliver(session, session.callee, 'wrtcsSessionInvitationNotification', {
      offer: { sdp: input.sdp },
      originatorAddress: callerUser.sipAddress,
      originatorName: input.displayName ?? callerUser.displayName,
      tParticipantAddress: callee.sipAddress,
    });
    return { resourceURL: this.href(session.caller, id), sessionId: id, callee };
  }

  /** PUT …/status: "Ringing" from the callee, or the periodic "Connected" call audit. Returns the status to report. */
  status(username: string, id: string, status: string): string {
    const session = this.find(username, id);
    const party = this.partyOf(session, username);
    party.lastActivityAt = this.now();
    if (status === 'Ringing') {
      if (party.role !== 'callee') throw errors.invalidState('Ringing status from the caller', STATUS_NAME[session.state]);
      if (session.state === 'initiated') {
        session.state = 'ringing';
        session.log.info('session.ringing', { user: username });
        // A transferee is already in a call: its SDK accepts "Ringing" only for a call it is placing.
        if (!session.transfer) this.deliver(session, session.caller, 'wrtcsEventNotification', { eventType: 'Ringing' });
      }
      return STATUS_NAME[session.state];
    }
    if (status === 'Connected') {
      session.log.debug('session.audit', { user: username, state: session.state });
      // While its call is being transferred, the transferee's own call is still connected.
      if (session.transfer && party.role === 'caller') return STATUS_NAME.connected;
      return STATUS_NAME[session.state];
    }
    throw errors.invalidInput('wrtcsSessionStatus.status', `"${status}" is not supported (expected Ringing or Connected)`);
  }

  /** PUT …/answer: the callee's initial answer, or either side's answer to a re-offer. */
  answer(username: string, id: string, sdp: string, clientCorrelator: string | undefined): void {
    const session = this.find(username, id);
    const party = this.partyOf(session, username);
    party.lastActivityAt = this.now();

    if (session.transfer?.step === 'awaiting-offer' && party.role === 'caller') {
      this.inviteTransferTarget(session, sdp);
      return;
    }
    if (session.pendingOffer) {
      if (session.pendingOffer.from === party.role) throw errors.invalidState('answer', 'waiting for the other party to answer your own offer');
      const offerer = this.other(session, party);
      session.pendingOffer = undefined;
      this.clearTimer(session, 'reofferTimer');
      session.log.info('session.reanswer', { user: username });
      this.deliver(session, offerer, 'wrtcsAnswerNotification', { answer: { sdp } });
      return;
    }
    if (session.state === 'connected') throw errors.invalidState('answer', 'connected with no offer outstanding');
    if (party.role !== 'callee') throw errors.invalidState('answer by the caller', STATUS_NAME[session.state]);

    session.state = 'connected';
    session.connectedAt = this.now();
    session.caller.lastActivityAt = session.connectedAt;
    this.clearTimer(session, 'ringTimer');
    party.clientCorrelator = clientCorrelator;
    party.channelId = this.pickChannel(username, clientCorrelator);
    session.log.info('session.connected', { user: username, waitedMs: session.connectedAt - session.createdAt });
    if (session.transfer) {
      // The transferee made its offer as the answer to a slow-start re-offer: it expects an answer notification.
      session.log.info('session.transferred', { by: session.transfer.by, caller: session.caller.user.username, callee: username });
      session.transfer = undefined;
      this.deliver(session, session.caller, 'wrtcsAnswerNotification', { answer: { sdp } });
    } else {
      this.deliver(session, session.caller, 'wrtcsAcceptanceNotification', { answer: { sdp } });
    }
    // Other devices of the callee that were ringing stop ringing.
    if (party.channelId) {
      for (const channelId of session.invitedChannels) {
        if (channelId !== party.channelId) this.deliverTo(session, session.callee, channelId, 'wrtcsEventNotification', { eventType: 'Cancelled' });
      }
    }
  }

  /** PUT …/update: a re-offer (hold, unhold, media change) relayed to the other party. */
  update(username: string, id: string, sdp: string): void {
    const session = this.find(username, id);
    const party = this.partyOf(session, username);
    party.lastActivityAt = this.now();
    if (session.state !== 'connected') throw errors.invalidState('update', STATUS_NAME[session.state]);
    if (session.pendingOffer && session.pendingOffer.from !== party.role) throw errors.requestPending(id);
    session.pendingOffer = { from: party.role, at: this.now() };
    this.clearTimer(session, 'reofferTimer');
    session.reofferTimer = setTimeout(() => this.onReofferTimeout(id), this.deps.options.reofferTimeoutMs);
    session.reofferTimer.unref();
    session.log.info('session.reoffer', { user: username });
    this.settle(session, party);
    this.deliver(session, this.other(session, party), 'wrtcsOfferNotification', { offer: { sdp } });
  }

  /**
   * POST …/sessions/{id}/transfer: blind transfer of a connected call to `address`. The requester leaves at
   * once (SessionEnded); the other party keeps its call and is connected to the destination once it answers.
   * If the destination rejects or does not answer, the other party's call ends.
   */
  transfer(username: string, id: string, address: string): { target: UserRecord } {
    const session = this.find(username, id);
    const transferor = this.partyOf(session, username);
    transferor.lastActivityAt = this.now();
    if (session.state !== 'connected') throw errors.invalidState('transfer', STATUS_NAME[session.state]);
    if (session.pendingOffer || session.transfer) throw errors.requestPending(id);
    const resolved = this.deps.directory.resolve(address);
    if (!resolved.user) {
      this.log.info('session.transfer-reject', { user: username, dialed: address, reason: resolved.reason });
      throw errors.unknownCallee(address);
    }
    const target = resolved.user;
    const transferee = this.other(session, transferor);
    if (target.username === transferee.user.username || target.username === username) {
      throw errors.invalidInput('wrtcsTransfer.tParticipantAddress', 'a call cannot be transferred to one of its own parties');
    }
    if (this.isBusy(target.username)) throw errors.calleeBusy(address);
    if (this.deps.subscriptions.channelsFor(target.username, 'call').length === 0) throw errors.calleeUnavailable(address);

    const now = this.now();
    session.log.info('session.transfer', { by: username, transferee: transferee.user.username, target: target.username, dialed: address });
    this.deliver(session, transferor, 'wrtcsEventNotification', { eventType: 'SessionEnded' });
    session.departed.push(username);
    session.caller = { ...transferee, role: 'caller', lastActivityAt: now };
    session.callee = { role: 'callee', user: target, version: transferee.version, channelId: undefined, clientCorrelator: undefined, lastActivityAt: now };
    session.state = 'initiated';
    session.connectedAt = undefined;
    session.invitedChannels = [];
    session.transfer = { step: 'awaiting-offer', by: username, dialed: address };
    // Slow start: an offer notification without SDP makes the transferee's SDK answer with a fresh offer.
    this.clearTimer(session, 'reofferTimer');
    session.reofferTimer = setTimeout(() => this.onTransferOfferTimeout(id), this.deps.options.reofferTimeoutMs);
    session.reofferTimer.unref();
    this.deliver(session, session.caller, 'wrtcsOfferNotification', { offer: {} });
    return { target };
  }

  /** DELETE …/sessions/{id}: cancel (caller, before answer), reject (callee, before answer) or hang up. */
  end(username: string, id: string): void {
    const session = this.sessions.get(id);
    if (session?.departed.includes(username)) return; // left by transferring: nothing more to do
    if (!session) {
      const tombstone = this.tombstones.get(id);
      if (tombstone && (tombstone.caller === username || tombstone.callee === username)) return; // already over: idempotent
      throw errors.notFound(`session ${id}`);
    }
    const party = this.partyOf(session, username);
    if (session.state === 'connected') {
      this.finish(session, `hangup-by-${party.role}`, [{ party: this.other(session, party), eventType: 'SessionEnded' }]);
    } else if (party.role === 'caller') {
      this.finish(session, 'cancelled', [{ party: session.callee, eventType: 'Cancelled' }]);
    } else {
      this.finish(session, 'rejected', [{ party: session.caller, eventType: 'SessionEnded' }]);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Lets the gateway itself play `username` (see LocalParty). */
  attachLocalParty(username: string, party: LocalParty): void {
    this.localParties.set(username, party);
  }

  /** In as many live sessions as allowed (one, unless call waiting is enabled with maxCallsPerUser). */
  isBusy(username: string): boolean {
    let calls = 0;
    for (const session of this.sessions.values()) {
      if (session.caller.user.username === username || session.callee.user.username === username) calls++;
    }
    return calls >= Math.max(1, this.deps.options.maxCallsPerUser ?? 1);
  }

  /** Periodic housekeeping: audit timeouts, old tombstones. */
  tick(): void {
    const now = this.now();
    const auditTimeout = this.deps.options.auditTimeoutMs;
    if (auditTimeout > 0) {
      for (const session of [...this.sessions.values()]) {
        if (session.state !== 'connected') continue;
        const silent = [session.caller, session.callee].find((party) => now - party.lastActivityAt > auditTimeout);
        if (silent) {
          session.log.warn('session.audit-timeout', { user: silent.user.username });
          this.finish(session, `audit-timeout-${silent.role}`, [
            { party: session.caller, eventType: 'SessionEnded' },
            { party: session.callee, eventType: 'SessionEnded' },
          ]);
        }
      }
    }
    for (const [id, tombstone] of this.tombstones) if (now - tombstone.endedAt > this.deps.options.tombstoneMs) this.tombstones.delete(id);
  }

  summary(): SessionSummary[] {
    return [...this.sessions.values()].map((session) => ({
      id: session.id,
      state: session.state,
      caller: session.caller.user.username,
      callee: session.callee.user.username,
      dialed: session.dialed,
      createdAt: session.createdAt,
      connectedAt: session.connectedAt,
      pendingOfferFrom: session.pendingOffer?.from,
      transferredBy: session.transfer?.by,
    }));
  }

  /** Shutdown: tells every party the session ended, then forgets everything. */
  closeAll(): void {
    for (const session of [...this.sessions.values()]) {
      this.finish(session, 'gateway-shutdown', [
        { party: session.caller, eventType: 'SessionEnded' },
        { party: session.callee, eventType: session.state === 'connected' ? 'SessionEnded' : 'Cancelled' },
      ]);
      // The sockets close next: nothing may wait for a settle timer.
      for (const [party, held] of session.held) this.release(session, party, held);
    }
    this.tombstones.clear();
  }

  private onRingTimeout(id: string): void {
    const session = this.sessions.get(id);
    if (!session || session.state === 'connected') return;
    this.finish(session, 'no-answer', [
      { party: session.callee, eventType: 'Cancelled' },
      { party: session.caller, eventType: 'SessionEnded' },
    ]);
  }

  /** The transferee's offer arrived: the destination is invited with it, as a call from the transferee. */
  private inviteTransferTarget(session: Session, sdp: string): void {
    if (!session.transfer) return;
    session.transfer.step = 'ringing';
    this.clearTimer(session, 'reofferTimer');
    const channels = this.deps.subscriptions.channelsFor(session.callee.user.username, 'call');
    if (channels.length === 0) {
      this.finish(session, 'transfer-target-unreachable', [{ party: session.caller, eventType: 'SessionEnded' }]);
      return;
    }
    session.invitedChannels = channels.map((channel) => channel.id);
    session.ringTimer = setTimeout(() => this.onRingTimeout(session.id), this.deps.options.ringTimeoutMs);
    session.ringTimer.unref();
    session.log.info('session.transfer-invite', { caller: session.caller.user.username, callee: session.callee.user.username, devices: channels.length });
    this.deliver(session, session.callee, 'wrtcsSessionInvitationNotification', {
      offer: { sdp },
      originatorAddress: session.caller.user.sipAddress,
      originatorName: session.caller.user.displayName,
      tParticipantAddress: session.callee.user.sipAddress,
    });
  }

  private onTransferOfferTimeout(id: string): void {
    const session = this.sessions.get(id);
    if (session?.transfer?.step !== 'awaiting-offer') return;
    this.finish(session, 'transfer-offer-timeout', [{ party: session.caller, eventType: 'SessionEnded' }]);
  }

  private onReofferTimeout(id: string): void {
    const session = this.sessions.get(id);
    if (!session?.pendingOffer) return;
    this.finish(session, 'reoffer-timeout', [
      { party: session.caller, eventType: 'SessionEnded' },
      { party: session.callee, eventType: 'SessionEnded' },
    ]);
  }

  /** A call subscription went away (unsubscribe, channel deleted/expired): end calls that can no longer reach that party. */
  private onSubscriptionRemoved(subscription: Subscription): void {
    if (subscription.service !== 'call') return;
    for (const session of [...this.sessions.values()]) {
      for (const party of [session.caller, session.callee]) {
        if (party.user.username !== subscription.user) continue;
        const reachable = party.channelId
          ? party.channelId !== subscription.channelId && this.deps.channels.get(party.channelId) !== undefined
          : this.deps.subscriptions.channelsFor(party.user.username, 'call').length > 0;
        if (reachable || !this.sessions.has(session.id)) continue;
        const other = this.other(session, party);
        const eventType = session.state !== 'connected' && other.role === 'callee' ? 'Cancelled' : 'SessionEnded';
        this.finish(session, `${party.role}-unreachable`, [{ party: other, eventType }]);
      }
    }
  }

  private finish(session: Session, reason: string, notices: EndNotice[]): void {
    if (!this.sessions.has(session.id)) return;
    const wasConnected = session.state === 'connected';
    session.state = 'ended';
    this.clearTimer(session, 'ringTimer');
    this.clearTimer(session, 'reofferTimer');
    this.sessions.delete(session.id);
    const endedAt = this.now();
    this.tombstones.set(session.id, { id: session.id, caller: session.caller.user.username, callee: session.callee.user.username, endedAt, reason });
    session.log.info('session.end', {
      reason,
      caller: session.caller.user.username,
      callee: session.callee.user.username,
      connectedMs: wasConnected && session.connectedAt !== undefined ? endedAt - session.connectedAt : undefined,
    });
    for (const notice of notices) this.deliver(session, notice.party, 'wrtcsEventNotification', { eventType: notice.eventType });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private find(username: string, id: string): Session {
    const session = this.sessions.get(id);
    if (session && (session.caller.user.username === username || session.callee.user.username === username)) return session;
    if (session?.departed.includes(username)) throw errors.sessionEnded(id);
    const tombstone = this.tombstones.get(id);
    if (tombstone && (tombstone.caller === username || tombstone.callee === username)) throw errors.sessionEnded(id);
    throw errors.notFound(`session ${id}`);
  }

  private partyOf(session: Session, username: string): Party {
    if (session.caller.user.username === username) return session.caller;
    if (session.callee.user.username === username) return session.callee;
    throw errors.notFound(`session ${session.id}`);
  }

  private other(session: Session, party: Party): Party {
    return party.role === 'caller' ? session.callee : session.caller;
  }

  private clearTimer(session: Session, key: 'ringTimer' | 'reofferTimer'): void {
    const timer = session[key];
    if (timer) clearTimeout(timer);
    session[key] = undefined;
  }

  /**
   * The user's call channel matching the client correlator, or the only one. A client that restarted
   * keeps its correlator but opens a new channel, so the newest match is the live one.
   */
  private pickChannel(username: string, clientCorrelator: string | undefined): string | undefined {
    const channels = this.deps.subscriptions.channelsFor(username, 'call');
    const match = clientCorrelator === undefined ? undefined : channels.findLast((channel) => channel.clientCorrelator === clientCorrelator);
    if (match) return match.id;
    return channels.length === 1 ? channels[0]?.id : undefined;
  }

  private href(party: Party, sessionId: string): string {
    return `/cpaas/webrtcsignaling/${party.version}/${party.user.username}/sessions/${sessionId}`;
  }

  /**
   * A party's SDK matches the notifications a request causes only once it has read that request's
   * response: a "Ringing" that overtook the response creating the call was dropped ("session … not
   * found", the call stayed "Initiated"), and an answer to a hold re-offer that overtook the update's
   * response left the call "On Hold" without its hold flag, so it could never be unheld. On loopback
   * the far side reacts within milliseconds; across a real network the response comes first, and by
   * holding the party's notifications back for a moment it does here too.
   */
  private settle(session: Session, party: Party): void {
    if (this.localParties.has(party.user.username)) return;
    const held = session.held.get(party) ?? { until: 0, queue: [], timer: undefined };
    held.until = this.now() + SETTLE_MS;
    session.held.set(party, held);
  }

  /** Sends a session notification to a party's device (or all of their call channels while unbound), unless it is held. */
  private deliver(session: Session, party: Party, type: string, fields: Record<string, unknown>): void {
    const held = session.held.get(party);
    if (held && (held.queue.length > 0 || this.now() < held.until)) {
      held.queue.push({ type, fields });
      this.releaseLater(session, party, held);
      return;
    }
    this.deliverNow(session, party, type, fields);
  }

  private releaseLater(session: Session, party: Party, held: HeldNotifications): void {
    if (held.timer) return;
    held.timer = setTimeout(() => {
      held.timer = undefined;
      if (this.now() < held.until) this.releaseLater(session, party, held);
      else this.release(session, party, held);
    }, Math.max(0, held.until - this.now()));
  }

  /** Delivers what was held for the party, in order, and stops holding. */
  private release(session: Session, party: Party, held: HeldNotifications): void {
    clearTimeout(held.timer);
    held.timer = undefined;
    held.until = 0;
    for (const { type, fields } of held.queue.splice(0)) this.deliverNow(session, party, type, fields);
  }

  private deliverNow(session: Session, party: Party, type: string, fields: Record<string, unknown>): void {
    const local = this.localParties.get(party.user.username);
    if (local) {
      // Asynchronously, as over a socket: the local party's replies re-enter this manager.
      setImmediate(() => {
        try {
          local.onNotification(session.id, type, fields);
        } catch (error) {
          session.log.error('notify.local-party-failed', { user: party.user.username, type, error });
        }
      });
      return;
    }
    const targets = party.channelId ? [party.channelId] : this.deps.subscriptions.channelsFor(party.user.username, 'call').map((c) => c.id);
    if (targets.length === 0) {
      session.log.warn('notify.undeliverable', { user: party.user.username, type });
      return;
    }
    for (const channelId of targets) this.deliverTo(session, party, channelId, type, fields);
  }

  private deliverTo(session: Session, party: Party, channelId: string, type: string, fields: Record<string, unknown>): void {
    const link = [{ href: this.href(party, session.id), rel: 'WebrtcSession' }];
    const sent = this.deps.channels.notify(channelId, type, { ...fields, link });
    if (!sent) session.log.warn('notify.undeliverable', { user: party.user.username, type, channel: channelId });
  }
}
