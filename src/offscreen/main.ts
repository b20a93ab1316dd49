/**
 * The offscreen document: the only place with the Kandy client and the call media.
 * It answers the background through a handler map and pushes every state change to it.
 */
import { browser, type Runtime } from '../shared/extension-api';
import { fail, ok, type BackgroundToOffscreen, type Reply } from '../shared/messages';
import type { Settings } from '../shared/settings';
import type { AppState } from '../shared/state';
import { requestTokens } from './auth';
import { createKandySession } from './kandy-seam';
import { Phone } from './phone';
import { createRingtone, shouldRing } from './ringtone';

const PING_INTERVAL_MS = 10_000;

function clientCorrelator(): string {
  const key = 'kandy-client-correlator';
  let value = localStorage.getItem(key);
  if (!value) {
    value = crypto.randomUUID();
    localStorage.setItem(key, value);
  }
  return value;
}

async function microphoneReady(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    if (status.state === 'granted') return true;
    if (status.state === 'denied') return false;
  } catch {
    // Fall through to a real attempt.
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return true;
  } catch {
    return false;
  }
}

function toBackground(message: { type: string } & Record<string, unknown>): Promise<Reply<unknown> | undefined> {
  return (browser.runtime.sendMessage({ target: 'background', ...message }) as Promise<Reply<unknown> | undefined>).catch(() => undefined);
}

const ringtone = createRingtone();
let ringtoneEnabled = true;

function publish(state: AppState): void {
  if (shouldRing(state.calls, ringtoneEnabled)) ringtone.start();
  else ringtone.stop();
  void toBackground({ type: 'offscreen/state', state });
}

const phone = new Phone({
  createSession: (server, emit) =>
    createKandySession(
      { host: server.host, port: server.port, clientCorrelator: clientCorrelator(), iceServers: [], pingIntervalMs: PING_INTERVAL_MS, remoteMediaSelector: '#remote-media' },
      emit,
    ),
  requestTokens: (server, grant) => requestTokens(server, grant),
  microphoneReady,
  askForMicrophonePermission: () => void toBackground({ type: 'offscreen/need-mic-permission' }),
  publish,
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

async function loadSettingsAndSignIn(): Promise<Reply<unknown>> {
  const reply = await toBackground({ type: 'offscreen/get-config' });
  if (!reply?.ok) return fail(reply?.error ?? 'The extension could not load its settings.');
  const settings = reply.value as Settings;
  ringtoneEnabled = settings.ringtoneEnabled;
  return phone.signIn(settings);
}

function remoteMediaDiagnostics() {
  return [...document.querySelectorAll<HTMLMediaElement>('#remote-media audio, #remote-media video')].map((element) => ({
    kind: element.tagName.toLowerCase(),
    playing: !element.paused && element.srcObject !== null,
  }));
}

type Handlers = { [K in BackgroundToOffscreen['type']]: (message: Extract<BackgroundToOffscreen, { type: K }>) => Promise<unknown> };

const handlers: Handlers = {
  async 'bg/hello'() {
    phone.apply({ type: 'error-seen' });
    return phone.current;
  },
  async 'bg/intent'(message) {
    return phone.handleIntent(message.intentId, message.intent);
  },
  async 'bg/sign-in'() {
    return loadSettingsAndSignIn();
  },
  async 'bg/sign-out'() {
    phone.signOut();
    return ok(undefined);
  },
  async 'bg/diagnostics'() {
    return { state: phone.current, media: await phone.stats().catch(() => []), remoteMedia: remoteMediaDiagnostics(), ringtone: { playing: ringtone.playing } };
  },
};

/** Offscreen documents have no runtime.getManifest; the worker is the only extension context served from a .js URL. */
function fromOurWorker(sender: Runtime.MessageSender): boolean {
  const url = sender.url ?? '';
  return sender.id === browser.runtime.id && !sender.tab && url.startsWith(browser.runtime.getURL('')) && url.split(/[?#]/)[0]!.endsWith('.js');
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const candidate = message as Partial<BackgroundToOffscreen> | null;
  if (!candidate || candidate.target !== 'offscreen' || typeof candidate.type !== 'string') return undefined;
  if (!fromOurWorker(sender)) return Promise.resolve(fail('Refused: only the background may talk to the phone.'));
  const handler = handlers[candidate.type as BackgroundToOffscreen['type']] as ((message: BackgroundToOffscreen) => Promise<unknown>) | undefined;
  return handler ? handler(candidate as BackgroundToOffscreen) : Promise.resolve(fail(`Unknown message ${candidate.type}`));
});

void loadSettingsAndSignIn();
