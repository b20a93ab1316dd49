/** What the user configures. Kept in storage.local, which content scripts cannot read. */
export interface Settings {
  server: { host: string; port: number };
  clientId: string;
  username: string;
  password: string;
  /** Start calls with video unless the user picks otherwise. */
  videoByDefault: boolean;
  /** ISO 3166 country used to read national numbers, e.g. "US". */
  defaultCountry: string;
  detectionEnabled: boolean;
  disabledSites: string[];
  linkMode: 'off' | 'offer' | 'take-over';
  ringtoneEnabled: boolean;
  /**
   * The user agreed to keep the password on this computer (storage.local). Without this consent only
   * the refresh token is kept, and `password` is always stored empty.
   */
  rememberPassword: boolean;
  /** Chosen devices by `MediaDeviceInfo.deviceId`; '' means the system default. */
  microphoneId: string;
  /** Where call audio plays. */
  speakerId: string;
  /** Where the ringtone plays (may differ from the call audio, e.g. loudspeaker vs headset). */
  ringerId: string;
}

export const DEMO_GATEWAY = { host: '127.0.0.1', port: 8443 } as const;

/** The phone's reasons for being signed out that pages word themselves (in the user's language). */
export const NO_ACCOUNT_REASON = 'Enter your Kandy account in the options to sign in.';
export const SIGNED_OUT_REASON = 'Signed out.';

export const DEFAULT_SETTINGS: Settings = {
  server: { ...DEMO_GATEWAY },
  clientId: 'kandy-click-to-call-demo',
  username: 'alice',
  password: 'alice-demo-password',
  videoByDefault: false,
  defaultCountry: 'US',
  detectionEnabled: true,
  disabledSites: [],
  linkMode: 'offer',
  ringtoneEnabled: true,
  rememberPassword: false,
  microphoneId: '',
  speakerId: '',
  ringerId: '',
};

export function mergeSettings(stored: Partial<Settings> | undefined): Settings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    server: { ...DEFAULT_SETTINGS.server, ...stored?.server },
    disabledSites: stored?.disabledSites ?? [],
  };
}

export type SettingName = keyof Settings;

/** The options an administrator can lock by policy (`lockedSettings` in public/managed_schema.json). */
export const LOCKABLE_SETTINGS = [
  'server',
  'clientId',
  'username',
  'rememberPassword',
  'videoByDefault',
  'defaultCountry',
  'detectionEnabled',
  'disabledSites',
  'linkMode',
  'ringtoneEnabled',
  'microphoneId',
  'speakerId',
  'ringerId',
] as const satisfies readonly SettingName[];
export type LockableSetting = (typeof LOCKABLE_SETTINGS)[number];

/**
 * What an administrator sets through chrome.storage.managed (enterprise policy). Every value set
 * here overrides the user's and is locked; `lockedSettings` locks further options at their value
 * from policy or, without one, at the extension's default.
 */
export interface ManagedPolicy {
  serverHost?: string;
  serverPort?: number;
  clientId?: string;
  defaultCountry?: string;
  videoByDefault?: boolean;
  detectionEnabled?: boolean;
  linkMode?: Settings['linkMode'];
  ringtoneEnabled?: boolean;
  lockedSettings?: string[];
}

/** The account a user types on the options page (or the onboarding's demo button) to sign in. */
export interface AccountInput {
  server: { host: string; port: number };
  clientId: string;
  username: string;
  password: string;
  rememberPassword: boolean;
}

/** What the options page needs: the settings (never the password), what policy fixes, who is signed in. */
export interface SettingsView {
  settings: Settings;
  /** Options the user cannot change (policy). */
  locked: SettingName[];
  /** Whether any policy applies at all (to say so on the page). */
  managed: boolean;
  /** A password is kept on this computer (only with the user's consent). */
  passwordRemembered: boolean;
  /** The account the kept refresh token belongs to, if any: the user stays signed in with it. */
  account?: { user?: string; username: string; server: { host: string; port: number }; savedAt: number };
}

/** The demo account of the local gateway (gateway/users.json): public demo credentials, never a secret. */
export const DEMO_ACCOUNT: AccountInput = {
  server: { ...DEMO_GATEWAY },
  clientId: 'kandy-click-to-call-demo',
  username: 'alice',
  password: 'alice-demo-password',
  rememberPassword: false,
};
