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
}

export const DEMO_GATEWAY = { host: '127.0.0.1', port: 8443 } as const;

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
};

export function mergeSettings(stored: Partial<Settings> | undefined): Settings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    server: { ...DEFAULT_SETTINGS.server, ...stored?.server },
    disabledSites: stored?.disabledSites ?? [],
  };
}
