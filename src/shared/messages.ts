/**
 * The one message protocol between the extension's parts, named by direction.
 * Every message that reaches the background hub is validated against these schemas first;
 * the types are inferred from them so sender and receiver cannot drift apart.
 */
import { z } from 'zod';

const callId = z.string().min(1).max(200);
const intentId = z.string().min(8).max(100);
/** A destination as typed or detected: a number in any notation, a SIP/tel URI or a user name. */
const destination = z.string().trim().min(1).max(300);
const relayId = z.string().min(1).max(100);
/** An SDP of the loopback relay between the offscreen document and the call window. */
const relaySdp = z.string().min(1).max(100_000);

export const callIntentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('make'), destination, video: z.boolean().default(false) }),
  z.object({ kind: z.literal('answer'), callId, video: z.boolean().default(false) }),
  z.object({ kind: z.literal('reject'), callId }),
  z.object({ kind: z.literal('end'), callId }),
  z.object({ kind: z.literal('hold'), callId }),
  z.object({ kind: z.literal('unhold'), callId }),
  z.object({ kind: z.literal('mute'), callId }),
  z.object({ kind: z.literal('unmute'), callId }),
  z.object({ kind: z.literal('dtmf'), callId, tones: z.string().regex(/^[0-9A-D*#,]{1,32}$/) }),
  /** Blind (unannounced) transfer: the other party is handed to `destination` and this call ends. */
  z.object({ kind: z.literal('transfer'), callId, destination }),
  /** Start or stop sending video on a call that is already connected. */
  z.object({ kind: z.literal('start-video'), callId }),
  z.object({ kind: z.literal('stop-video'), callId }),
]);
export type CallIntent = z.infer<typeof callIntentSchema>;

const serverSchema = z.object({ host: z.string().trim().min(1).max(253), port: z.number().int().min(1).max(65535) });
/** A MediaDeviceInfo.deviceId; '' is the system default. */
const deviceId = z.string().max(500);

/** An account as typed on the options page: signed in first, saved only when the server accepts it. */
export const accountSchema = z
  .object({
    server: serverSchema,
    clientId: z.string().trim().min(1).max(200),
    username: z.string().trim().min(1).max(200),
    password: z.string().min(1).max(500),
    rememberPassword: z.boolean().default(false),
  })
  .strict();

const settingsPatchSchema = z
  .object({
    server: serverSchema,
    clientId: z.string().max(200),
    username: z.string().max(200),
    password: z.string().max(500),
    videoByDefault: z.boolean(),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/),
    detectionEnabled: z.boolean(),
    disabledSites: z.array(z.string().max(253)).max(1000),
    linkMode: z.enum(['off', 'offer', 'take-over']),
    ringtoneEnabled: z.boolean(),
    rememberPassword: z.boolean(),
    microphoneId: deviceId,
    speakerId: deviceId,
    ringerId: deviceId,
  })
  .partial()
  .strict();

/** popup / options / permission page → background */
export const uiToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ target: z.literal('background'), type: z.literal('ui/intent'), intentId, intent: callIntentSchema }),
  z.object({ target: z.literal('background'), type: z.literal('ui/get-state') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/get-settings') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/save-settings'), settings: settingsPatchSchema }),
  /** With `account`: sign in to that account and save it only if the server accepts it. Without: sign in again with what is kept. */
  z.object({ target: z.literal('background'), type: z.literal('ui/sign-in'), account: accountSchema.optional() }),
  z.object({ target: z.literal('background'), type: z.literal('ui/sign-out') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/mic-granted') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/diagnostics') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/missed-seen') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/get-history') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/clear-history') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/open-call-window'), callId: callId.optional() }),
  // The call window's half of the local video relay (see src/offscreen/video-relay.ts).
  z.object({ target: z.literal('background'), type: z.literal('ui/video-relay-open'), callId }),
  z.object({ target: z.literal('background'), type: z.literal('ui/video-relay-answer'), relayId, sdp: relaySdp }),
  z.object({ target: z.literal('background'), type: z.literal('ui/video-relay-close'), relayId }),
  /** The options page's view of the settings: what policy locks, whether a password is kept, who is signed in. */
  z.object({ target: z.literal('background'), type: z.literal('ui/get-settings-view') }),
  /** Plays a short tone on the chosen speaker or ringer device, from the phone (where calls play). */
  z.object({ target: z.literal('background'), type: z.literal('ui/test-sound'), output: z.enum(['speaker', 'ringer']) }),
]);
export type UiToBackground = z.infer<typeof uiToBackgroundSchema>;

/** content script → background: a page may only ever ask to call something, after a real click. */
export const contentToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ target: z.literal('background'), type: z.literal('content/call'), destination }),
  z.object({ target: z.literal('background'), type: z.literal('content/get-config') }),
]);
export type ContentToBackground = z.infer<typeof contentToBackgroundSchema>;

/** offscreen document → background */
export const offscreenToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ target: z.literal('background'), type: z.literal('offscreen/state'), state: z.custom<import('./state').AppState>((value) => isStateLike(value)) }),
  z.object({ target: z.literal('background'), type: z.literal('offscreen/get-config') }),
  z.object({ target: z.literal('background'), type: z.literal('offscreen/need-mic-permission') }),
  /** The phone got tokens (sign-in or refresh): the background keeps them so a restarted phone stays signed in. */
  z.object({
    target: z.literal('background'),
    type: z.literal('offscreen/tokens'),
    account: z.object({ server: serverSchema, clientId: z.string().max(200), username: z.string().max(200) }),
    user: z.string().max(300).optional(),
    tokens: z.object({
      accessToken: z.string().min(1).max(20_000),
      idToken: z.string().min(1).max(20_000),
      refreshToken: z.string().min(1).max(20_000).optional(),
      expiresIn: z.number().positive(),
    }),
  }),
  /** The kept session no longer works (refresh refused): the background forgets the tokens. */
  z.object({ target: z.literal('background'), type: z.literal('offscreen/session-ended'), reason: z.string().max(1000) }),
  z.object({ target: z.literal('background'), type: z.literal('offscreen/get-credentials') }),
]);
export type OffscreenToBackground = z.infer<typeof offscreenToBackgroundSchema>;

/** background → offscreen document */
export type BackgroundToOffscreen =
  | { target: 'offscreen'; type: 'bg/hello' }
  | { target: 'offscreen'; type: 'bg/intent'; intentId: string; intent: CallIntent }
  | { target: 'offscreen'; type: 'bg/sign-in'; account?: SignInAccount }
  /** Settings changed: the phone reloads its preferences (devices, ringtone, country) without signing in again. */
  | { target: 'offscreen'; type: 'bg/settings-changed' }
  | { target: 'offscreen'; type: 'bg/test-sound'; output: 'speaker' | 'ringer' }
  | { target: 'offscreen'; type: 'bg/sign-out' }
  | { target: 'offscreen'; type: 'bg/diagnostics' }
  | { target: 'offscreen'; type: 'bg/video-relay-open'; callId: string }
  | { target: 'offscreen'; type: 'bg/video-relay-answer'; relayId: string; sdp: string }
  | { target: 'offscreen'; type: 'bg/video-relay-close'; relayId: string };

/** The account a new sign-in uses (the password only travels from the options page to the phone). */
export interface SignInAccount {
  server: { host: string; port: number };
  clientId: string;
  username: string;
  password: string;
  /** The user agreed to keep the password: the phone may use it again (e.g. when a refresh is refused). */
  rememberPassword?: boolean;
}

/** Why a sign-in failed: refused by the server (its own words in `reason`), unreachable, or a server that is no Kandy server. */
export type SignInFailureKind = 'rejected' | 'unreachable' | 'protocol' | 'no-account';

/** The answer to ui/sign-in (and ui/save-settings when it changed the account). */
export type SignInReply =
  | { ok: true; value: { user: string } }
  | { ok: false; error: string; kind: SignInFailureKind; reason: string; server?: string };

/** What the background keeps of a signed-in session (refresh token in storage.local, access/id token in storage.session). */
export interface SavedSession {
  account: { server: { host: string; port: number }; clientId: string; username: string };
  user?: string;
  refreshToken?: string;
  accessToken?: string;
  idToken?: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt?: number;
}

/** The answer to ui/test-sound: which output device the tone was played on ('' = default). */
export interface TestSoundResult {
  output: 'speaker' | 'ringer';
  sinkId: string;
}

/** The offer the offscreen document makes for one call window: which relayed track (by mid) is whose video. */
export interface VideoRelayOffer {
  relayId: string;
  sdp: string;
  tracks: { mid: string; source: 'local' | 'remote' }[];
}

/** One finished call as kept in the recent-calls list (storage.local, written by the background). */
export interface HistoryEntry {
  id: string;
  direction: 'incoming' | 'outgoing';
  remoteAddress: string;
  remoteName?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt: number;
  /** Talk time in ms; 0 when the call was never answered. */
  durationMs: number;
  /** answered: talked; missed: the caller gave up; declined: we rejected; unanswered / failed: our call did not connect. */
  outcome: 'answered' | 'missed' | 'declined' | 'unanswered' | 'failed';
  video: boolean;
}

/** What content scripts are told about the page they run in. Never anything about calls. */
export interface ContentConfig {
  enabled: boolean;
  defaultCountry: string;
  linkMode: 'off' | 'offer' | 'take-over';
}

/** The offscreen document keeps a port of this name open so a living worker notices at once if it dies. */
export const PHONE_PORT_NAME = 'phone';

export type Reply<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function fail(error: string): Reply<never> {
  return { ok: false, error };
}

function isStateLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { connection?: unknown; calls?: unknown; revision?: unknown };
  return typeof candidate.connection === 'object' && Array.isArray(candidate.calls) && typeof candidate.revision === 'number';
}
