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
]);
export type CallIntent = z.infer<typeof callIntentSchema>;

const settingsPatchSchema = z
  .object({
    server: z.object({ host: z.string().trim().min(1).max(253), port: z.number().int().min(1).max(65535) }),
    clientId: z.string().max(200),
    username: z.string().max(200),
    password: z.string().max(500),
    videoByDefault: z.boolean(),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/),
    detectionEnabled: z.boolean(),
    disabledSites: z.array(z.string().max(253)).max(1000),
    linkMode: z.enum(['off', 'offer', 'take-over']),
    ringtoneEnabled: z.boolean(),
  })
  .partial()
  .strict();

/** popup / options / permission page → background */
export const uiToBackgroundSchema = z.discriminatedUnion('type', [
  z.object({ target: z.literal('background'), type: z.literal('ui/intent'), intentId, intent: callIntentSchema }),
  z.object({ target: z.literal('background'), type: z.literal('ui/get-state') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/get-settings') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/save-settings'), settings: settingsPatchSchema }),
  z.object({ target: z.literal('background'), type: z.literal('ui/sign-in') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/sign-out') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/mic-granted') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/diagnostics') }),
  z.object({ target: z.literal('background'), type: z.literal('ui/missed-seen') }),
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
]);
export type OffscreenToBackground = z.infer<typeof offscreenToBackgroundSchema>;

/** background → offscreen document */
export type BackgroundToOffscreen =
  | { target: 'offscreen'; type: 'bg/hello' }
  | { target: 'offscreen'; type: 'bg/intent'; intentId: string; intent: CallIntent }
  | { target: 'offscreen'; type: 'bg/sign-in' }
  | { target: 'offscreen'; type: 'bg/sign-out' }
  | { target: 'offscreen'; type: 'bg/diagnostics' };

/** What content scripts are told about the page they run in. Never anything about calls. */
export interface ContentConfig {
  enabled: boolean;
  defaultCountry: string;
  linkMode: 'off' | 'offer' | 'take-over';
}

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
