/**
 * Enterprise policy: what an administrator sets in chrome.storage.managed (schema in
 * public/managed_schema.json) overrides the user's settings and is shown locked on the options page.
 */
import { z } from 'zod';
import type { Browser } from '../shared/extension-api';
import { LOCKABLE_SETTINGS, type ManagedPolicy, type SettingName, type Settings } from '../shared/settings';

/** Kandy CPaaS servers listen on 443; a policy that names a host without a port means that one. */
export const POLICY_DEFAULT_PORT = 443;

const fields = {
  serverHost: z.string().trim().min(1).max(253),
  serverPort: z.number().int().min(1).max(65535),
  clientId: z.string().trim().min(1).max(200),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  videoByDefault: z.boolean(),
  detectionEnabled: z.boolean(),
  linkMode: z.enum(['off', 'offer', 'take-over']),
  ringtoneEnabled: z.boolean(),
  lockedSettings: z.array(z.string()).max(100),
} as const;

/**
 * Keeps each policy value that is valid and drops the others one by one: Chrome already checks the
 * schema, but one bad value must not cost the administrator every other setting.
 */
export function parsePolicy(raw: unknown): ManagedPolicy {
  if (typeof raw !== 'object' || raw === null) return {};
  const policy: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(fields)) {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) policy[name] = parsed.data;
  }
  return policy as ManagedPolicy;
}

export async function readManagedPolicy(browser: Browser): Promise<ManagedPolicy> {
  const area = (browser.storage as { managed?: { get(keys?: null): Promise<Record<string, unknown>> } }).managed;
  if (!area) return {};
  try {
    return parsePolicy(await area.get(null));
  } catch {
    // No policy service (or no schema in the manifest): nothing is managed.
    return {};
  }
}

export function isManaged(policy: ManagedPolicy): boolean {
  return Object.keys(policy).length > 0;
}

/**
 * The settings with the policy applied, and the options the user may not change. A value set by
 * policy wins and is locked; an option only listed in `lockedSettings` stays at its default.
 */
export function applyPolicy(settings: Settings, policy: ManagedPolicy, defaults: Settings): { settings: Settings; locked: SettingName[] } {
  const next: Settings = { ...settings, server: { ...settings.server }, disabledSites: [...settings.disabledSites] };
  const locked = new Set<SettingName>();
  for (const name of policy.lockedSettings ?? []) {
    if (!(LOCKABLE_SETTINGS as readonly string[]).includes(name)) continue;
    const setting = name as SettingName;
    locked.add(setting);
    // The account name stays the user's own; anything else falls back to the default.
    if (setting !== 'username') (next as unknown as Record<string, unknown>)[setting] = structuredClone(defaults[setting]);
  }
  if (policy.serverHost !== undefined || policy.serverPort !== undefined) {
    next.server = {
      host: policy.serverHost ?? settings.server.host,
      port: policy.serverPort ?? (policy.serverHost !== undefined ? POLICY_DEFAULT_PORT : settings.server.port),
    };
    locked.add('server');
  }
  const simple = ['clientId', 'defaultCountry', 'videoByDefault', 'detectionEnabled', 'linkMode', 'ringtoneEnabled'] as const;
  for (const name of simple) {
    const value = policy[name];
    if (value === undefined) continue;
    (next as unknown as Record<string, unknown>)[name] = value;
    locked.add(name);
  }
  if (locked.has('rememberPassword') && !next.rememberPassword) next.password = '';
  return { settings: next, locked: [...locked] };
}

/** Drops from a patch every option the policy locks. */
export function withoutLocked<T extends Partial<Settings>>(patch: T, locked: readonly SettingName[]): T {
  const copy: Record<string, unknown> = { ...patch };
  for (const name of locked) delete copy[name];
  return copy as T;
}
