import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags every test browser needs on this closed network, plus Chromium's fake audio/video devices. */
export const BASE_ARGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--ignore-certificate-errors',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`);
  }
}

/** A plain browser (no extension) for pages that load the SDK directly. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...BASE_ARGS, ...extraArgs] });
}

export interface ProfileOptions {
  /** Absolute path of an unpacked extension to load. */
  extensionDir?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
  userDataDir?: string;
  /** Drop the fake-UI flag so microphone permission must really be granted. */
  realPermissionPrompts?: boolean;
}

/** A persistent profile (needed for extensions), one per simulated user. */
export async function launchProfile(options: ProfileOptions = {}): Promise<BrowserContext> {
  assertChromium();
  const args = BASE_ARGS.filter((arg) => !(options.realPermissionPrompts && arg === '--use-fake-ui-for-media-stream'));
  if (options.extensionDir) {
    args.push(`--disable-extensions-except=${options.extensionDir}`, `--load-extension=${options.extensionDir}`);
  }
  return chromium.launchPersistentContext(options.userDataDir ?? mkdtempSync(join(tmpdir(), 'kandy-profile-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    ignoreHTTPSErrors: true,
    args: [...args, ...(options.extraArgs ?? [])],
    env: options.env ? { ...process.env, ...options.env } as Record<string, string> : undefined,
  });
}
