/**
 * Shared by the dialer and the transfer field: the user's settings (default country) and the
 * lazily loaded dial tools. Both are fetched once per page.
 */
import type { CountryCode } from 'libphonenumber-js/core';
import type { Settings } from '../shared/settings';
import { ask } from './messaging';
import { t } from './i18n';

type DialTools = typeof import('./dial-tools');

let settings: Promise<Settings | undefined> | undefined;
let tools: Promise<DialTools> | undefined;

export function loadSettings(): Promise<Settings | undefined> {
  settings ??= ask<Settings>({ type: 'ui/get-settings' }).then((reply) => (reply.ok ? reply.value : undefined));
  return settings;
}

export function loadDialTools(): Promise<DialTools> {
  tools ??= import('./dial-tools');
  return tools;
}

export async function defaultCountry(): Promise<CountryCode> {
  return ((await loadSettings())?.defaultCountry ?? 'US') as CountryCode;
}

export type Validation = { ok: true; dial: string; display: string } | { ok: false; reason: string };

/** The phone's own rules (parseDialable with the same country), checked before anything is sent. */
export async function validateDestination(text: string): Promise<Validation> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: t('dialEmpty') };
  const [dial, country] = await Promise.all([loadDialTools(), defaultCountry()]);
  return dial.parseDialable(trimmed, country);
}
