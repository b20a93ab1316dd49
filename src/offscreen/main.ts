/**
 * The offscreen document: the only place with the Kandy client and the call media.
 * It answers the background through a handler map and pushes every state change to it.
 */
import { browser, type Runtime } from '../shared/extension-api';
import { fail, ok, PHONE_PORT_NAME, type BackgroundToOffscreen, type Reply, type SavedSession, type TestSoundResult } from '../shared/messages';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import type { AppState } from '../shared/state';
import { requestTokens } from './auth';
import { createKandySession, type KandySession } from './kandy-seam';
import { Phone } from './phone';
import { createRingtone, shouldRing } from './ringtone';
import { VideoRelays } from './video-relay';

const PING_INTERVAL_MS = 10_000;

/**
 * A new correlator for every client: a server routes a caller's notifications by correlator, and a
 * replaced client (the SDK cannot dispose of one) must not be mistaken for its successor.
 */
function clientCorrelator(): string {
  return `kandy-click-to-call-${crypto.randomUUID()}`;
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

/** An open port lets a living worker notice at once when this document dies. */
let hubPort: ReturnType<typeof browser.runtime.connect> | undefined;
function keepPortToHub(): void {
  if (hubPort) return;
  try {
    hubPort = browser.runtime.connect({ name: PHONE_PORT_NAME });
    hubPort.onDisconnect.addListener(() => {
      hubPort = undefined;
    });
  } catch {
    hubPort = undefined;
  }
}

let connectedCalls = new Set<string>();

/** Our own camera is rendered here (hidden), so the video relay can reach its track. */
const localMedia = document.createElement('div');
localMedia.id = 'local-media';
localMedia.hidden = true;
document.body.append(localMedia);

// `phone` is only read when a call window asks, long after this module has run.
const relays = new VideoRelays((callId) => phone.videoTracks(callId));

function publish(state: AppState): void {
  keepPortToHub();
  if (shouldRing(state.calls, ringtoneEnabled)) ringtone.start();
  else ringtone.stop();
  relays.keepOnly(new Set(state.calls.filter((call) => call.phase !== 'ended').map((call) => call.id)));
  // Device names become readable (and may change) once a call holds the microphone.
  const connected = new Set(state.calls.filter((call) => call.phase === 'connected').map((call) => call.id));
  if ([...connected].some((id) => !connectedCalls.has(id))) void reportDevices();
  connectedCalls = connected;
  void toBackground({ type: 'offscreen/state', state });
}

/** The devices chosen in the options ('' = the system default), applied as soon as they are known. */
const chosenDevices = { microphoneId: '', speakerId: '', ringerId: '' };
/** What applying the ringer device gave, for diagnostics. */
let ringerApplied: { deviceId: string; ok: boolean; error?: string } = { deviceId: '', ok: true };
let currentSession: KandySession | undefined;

const phone = new Phone({
  createSession: (server, emit) => {
    const session = createKandySession(
      {
        host: server.host,
        port: server.port,
        clientCorrelator: clientCorrelator(),
        iceServers: [],
        pingIntervalMs: PING_INTERVAL_MS,
        remoteMediaSelector: '#remote-media',
        localMediaSelector: '#local-media',
      },
      emit,
    );
    session.setOutputDevice?.(chosenDevices.speakerId);
    currentSession = session;
    return session;
  },
  requestTokens: (server, grant) => requestTokens(server, grant),
  saveTokens: (report) => void toBackground({ type: 'offscreen/tokens', ...report }),
  forgetSession: (reason) => void toBackground({ type: 'offscreen/session-ended', reason }),
  microphoneReady,
  askForMicrophonePermission: () => void toBackground({ type: 'offscreen/need-mic-permission' }),
  publish,
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/** The devices a call uses: the tracks' own labels while a call runs, else the browser's defaults. */
async function reportDevices(): Promise<void> {
  let devices: MediaDeviceInfo[] = [];
  try {
    devices = await navigator.mediaDevices.enumerateDevices();
  } catch {
    return;
  }
  const pick = (kind: MediaDeviceKind, preferred = '') => {
    const ofKind = devices.filter((device) => device.kind === kind && device.label);
    const chosen = (preferred && ofKind.find((device) => device.deviceId === preferred)) || ofKind.find((device) => device.deviceId === 'default') || ofKind[0];
    return chosen?.label.replace(/^Default - /, '');
  };
  const inUse = phone.trackLabels();
  const audioInput = inUse.audio ?? pick('audioinput', chosenDevices.microphoneId);
  const audioOutput = pick('audiooutput', chosenDevices.speakerId);
  const videoInput = inUse.video ?? pick('videoinput');
  phone.apply({
    type: 'devices',
    devices: { ...(audioInput ? { audioInput } : {}), ...(audioOutput ? { audioOutput } : {}), ...(videoInput ? { videoInput } : {}) },
  });
}

/**
 * Diagnostics for DTMF: what the SDK handed to the browser's RTCDTMFSender and which tones the
 * sender reports as played. The sender exists only when the call negotiated RFC 4733
 * telephone-event, and `tonechange` fires as each tone goes out on the RTP stream.
 */
const dtmfLog = { inserted: [] as { tones: string; canInsertDTMF: boolean; at: number }[], played: '' };
const watchedSenders = new WeakSet<RTCDTMFSender>();
const insertDTMF = RTCDTMFSender.prototype.insertDTMF;
RTCDTMFSender.prototype.insertDTMF = function (this: RTCDTMFSender, tones: string, duration?: number, gap?: number) {
  dtmfLog.inserted.push({ tones, canInsertDTMF: this.canInsertDTMF, at: Date.now() });
  if (dtmfLog.inserted.length > 50) dtmfLog.inserted.shift();
  if (!watchedSenders.has(this)) {
    watchedSenders.add(this);
    this.addEventListener('tonechange', (event) => {
      dtmfLog.played = `${dtmfLog.played}${event.tone}`.slice(-200);
    });
  }
  return insertDTMF.call(this, tones, duration, gap);
};

async function loadSettings(): Promise<Settings | undefined> {
  const reply = await toBackground({ type: 'offscreen/get-config' });
  return reply?.ok ? (reply.value as Settings) : undefined;
}

async function loadSettingsAndSignIn(): Promise<Reply<unknown>> {
  const reply = await toBackground({ type: 'offscreen/get-config' });
  if (!reply?.ok) return fail(reply?.error ?? 'The extension could not load its settings.');
  const settings = await applyPreferences(reply.value as Settings);
  const credentials = await toBackground({ type: 'offscreen/get-credentials' });
  const saved = credentials?.ok ? (credentials.value as SavedSession | undefined) : undefined;
  return phone.signIn(settings, saved);
}

let lastPreferences: Settings | undefined;

/**
 * Ringtone on/off and the chosen devices; the account is not touched. Returns the settings as the
 * phone uses them: a chosen microphone that is not connected now is replaced by the default.
 */
async function applyPreferences(settings: Settings): Promise<Settings> {
  lastPreferences = settings;
  ringtoneEnabled = settings.ringtoneEnabled;
  if (!ringtoneEnabled) ringtone.stop();
  const microphoneId = (await isConnected('audioinput', settings.microphoneId)) ? settings.microphoneId : '';
  const effective = { ...settings, microphoneId };
  phone.updatePreferences(effective);
  await applyDevices({ microphoneId, speakerId: settings.speakerId, ringerId: settings.ringerId });
  return effective;
}

async function isConnected(kind: MediaDeviceKind, deviceId: string): Promise<boolean> {
  if (!deviceId) return false;
  try {
    return (await navigator.mediaDevices.enumerateDevices()).some((device) => device.kind === kind && device.deviceId === deviceId);
  } catch {
    return false;
  }
}

const remoteMedia = document.getElementById('remote-media');

function remoteMediaElements(): HTMLMediaElement[] {
  return [...document.querySelectorAll<HTMLMediaElement>('#remote-media audio, #remote-media video')];
}

async function routeToSpeaker(element: HTMLMediaElement): Promise<void> {
  if (element.sinkId === chosenDevices.speakerId) return;
  try {
    await element.setSinkId(chosenDevices.speakerId);
  } catch (error) {
    console.warn('Could not play call audio on the chosen speaker', error);
  }
}

async function applyDevices(devices: typeof chosenDevices): Promise<void> {
  Object.assign(chosenDevices, devices);
  void reportDevices();
  currentSession?.setOutputDevice?.(devices.speakerId);
  await Promise.all(remoteMediaElements().map(routeToSpeaker));
  try {
    await ringtone.setOutputDevice(devices.ringerId);
    ringerApplied = { deviceId: devices.ringerId, ok: true };
  } catch (error) {
    ringerApplied = { deviceId: devices.ringerId, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// The SDK renders a call's audio when it arrives; route each new element to the chosen speaker.
if (remoteMedia) {
  new MutationObserver(() => {
    for (const element of remoteMediaElements()) void routeToSpeaker(element);
  }).observe(remoteMedia, { childList: true, subtree: true });
}

type SinkableAudioContext = AudioContext & { setSinkId?: (id: string) => Promise<void>; sinkId?: string | object };

/** A short two-tone chime on the speaker or ringer device, so the user hears where each one plays. */
async function playTestSound(output: 'speaker' | 'ringer'): Promise<TestSoundResult> {
  const deviceId = output === 'ringer' ? chosenDevices.ringerId : chosenDevices.speakerId;
  const context = new AudioContext() as SinkableAudioContext;
  if (deviceId) await context.setSinkId?.(deviceId);
  await context.resume();
  const gain = context.createGain();
  gain.gain.value = 0.2;
  gain.connect(context.destination);
  const start = context.currentTime + 0.05;
  [660, 880].forEach((frequency, index) => {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(start + index * 0.35);
    tone.stop(start + index * 0.35 + 0.3);
  });
  setTimeout(() => void context.close(), 1500);
  return { output, sinkId: typeof context.sinkId === 'string' ? context.sinkId : '' };
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
  async 'bg/sign-in'(message) {
    if (!message.account) return loadSettingsAndSignIn();
    // A new account: the preferences stay as stored, the account is the one just typed.
    const settings = await applyPreferences((await loadSettings()) ?? DEFAULT_SETTINGS);
    const { server, clientId, username, password, rememberPassword } = message.account;
    return phone.signInWithAccount({ ...settings, server, clientId, username, password, rememberPassword: rememberPassword === true });
  },
  async 'bg/settings-changed'() {
    const settings = await loadSettings();
    if (settings) await applyPreferences(settings);
    return ok(undefined);
  },
  async 'bg/test-sound'(message) {
    try {
      return ok(await playTestSound(message.output));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  },
  async 'bg/sign-out'() {
    phone.signOut();
    return ok(undefined);
  },
  async 'bg/diagnostics'() {
    return {
      state: phone.current,
      media: await phone.stats().catch(() => []),
      remoteMedia: remoteMediaDiagnostics(),
      ringtone: { playing: ringtone.playing },
      dtmf: { inserted: dtmfLog.inserted, played: dtmfLog.played },
      videoRelays: relays.summary(),
      devices: {
        chosen: { ...chosenDevices },
        remoteSinkIds: remoteMediaElements().map((element) => element.sinkId),
        ringer: ringerApplied,
        microphoneInUse: phone.trackLabels().audio,
      },
    };
  },
  async 'bg/video-relay-open'(message) {
    try {
      return ok(await relays.open(message.callId));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  },
  async 'bg/video-relay-answer'(message) {
    try {
      await relays.answer(message.relayId, message.sdp);
      return ok(undefined);
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  },
  async 'bg/video-relay-close'(message) {
    relays.close(message.relayId);
    return ok(undefined);
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
  keepPortToHub();
  const handler = handlers[candidate.type as BackgroundToOffscreen['type']] as ((message: BackgroundToOffscreen) => Promise<unknown>) | undefined;
  return handler ? handler(candidate as BackgroundToOffscreen) : Promise.resolve(fail(`Unknown message ${candidate.type}`));
});

keepPortToHub();
navigator.mediaDevices?.addEventListener('devicechange', () => {
  void reportDevices();
  // A chosen microphone may have been plugged in (or out).
  if (lastPreferences) void applyPreferences(lastPreferences);
});
void reportDevices();
void loadSettingsAndSignIn();
