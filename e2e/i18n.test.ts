/**
 * The second language, end to end: Chromium started in German (--lang=de, LANGUAGE=de) renders the
 * options, onboarding, permission pages and the popup fully translated — titles, labels, buttons, options,
 * placeholders and accessible names — with no English message left.
 *
 * Debian ships Chromium's UI languages separately: without `apt-get install chromium-l10n` Chromium
 * runs in English whatever --lang says (chrome.i18n follows the browser's UI language), and these
 * tests fail with that hint.
 *
 * Run: npm run build && node --import tsx --test e2e/i18n.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH } from './support/browser.ts';
import { launchExtensionUser, type ExtensionUser } from './support/extension.ts';

interface Message {
  message: string;
}
const locale = (lang: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../src/public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, Message>;
const en = locale('en');
const de = locale('de');

/**
 * Every piece of English a translated page must not show: each English message that German words
 * differently, cut at its placeholders (what is filled in there may be a name or a number).
 */
const ENGLISH = Object.keys(en)
  .filter((key) => en[key]!.message !== de[key]?.message)
  .flatMap((key) => en[key]!.message.split(/\$[A-Za-z0-9_]+\$/).map((part) => part.trim()))
  .filter((part) => part.length >= 4);
/** English that comes from elsewhere than our messages (the browser's country names). */
const ENGLISH_EXTRA = ['Germany', 'United States', 'System default'];

/** What a user (or a screen reader) can meet on the page: visible text, titles, labels, options, placeholders. */
async function pageWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      parts.push(element.getAttribute('placeholder') ?? '', element.getAttribute('aria-label') ?? '', element.getAttribute('title') ?? '');
    }
    for (const option of document.querySelectorAll('option')) parts.push(option.textContent ?? '');
    return parts.join('\n');
  });
}

/** The product name stays English in every language ("Kandy Click-to-Call"), and would match "Call". */
const PRODUCT_WORDS = /Click-to-Call/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English pieces found on a page, as whole words (so "star" does not match "starten"). */
function englishLeft(words: string): string[] {
  const text = words.replace(PRODUCT_WORDS, '');
  return [...ENGLISH, ...ENGLISH_EXTRA].filter((english) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(english)}(?![\\p{L}\\p{N}])`, 'u').test(text));
}

/** Debian's /usr/bin/chromium is a wrapper script; its locales live next to the real binary in /usr/lib/chromium. */
function germanMissing(): string | undefined {
  const candidates = ['/usr/lib/chromium/locales', resolve(dirname(realpathSync(CHROMIUM_PATH)), 'locales')];
  const dir = candidates.find((candidate) => existsSync(candidate));
  if (dir && !existsSync(resolve(dir, 'de.pak'))) return `Chromium has no German UI (${dir}/de.pak is missing): apt-get install chromium-l10n`;
  return undefined;
}
let user: ExtensionUser;

before(async () => {
  // A missing German UI fails the suite: a skipped language test proves nothing.
  const missing = germanMissing();
  if (missing) throw new Error(missing);
  // Real permission handling (no fake-UI flag) keeps the microphone page open; the microphone is then
  // granted the way a user's "Allow" would, through the browser.
  user = await launchExtensionUser(undefined, { extraArgs: ['--lang=de'], env: { LANGUAGE: 'de', LANG: 'de_DE.UTF-8' }, realPermissionPrompts: true });
  // (The grant lasts as long as this CDP session: it is not detached.)
  const cdp = await user.context.newCDPSession(user.controlPage);
  await cdp.send('Browser.setPermission', { permission: { name: 'microphone' }, setting: 'granted', origin: `chrome-extension://${user.extensionId}` });
});

after(async () => {
  await user?.close();
});

describe('German', () => {
  test('the options page is fully translated', { timeout: 120_000 }, async () => {
    const page = await user.context.newPage();
    await page.goto(user.url('options/index.html'));
    await page.getByRole('heading', { name: de.optionsHeading!.message }).waitFor({ timeout: 20_000 });
    // The country list (loaded lazily) in German, with the default from the browser language.
    await page.getByTestId('country-select').locator('option', { hasText: 'Vereinigte Staaten' }).waitFor({ state: 'attached', timeout: 20_000 });
    await page.getByTestId('microphone-select').locator('option').nth(1).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await page.getByTestId('country-select').inputValue(), 'DE', 'the default country follows the browser language');
    assert.equal(await page.title(), de.optionsPageTitle!.message);
    assert.match(await page.evaluate(() => document.documentElement.lang), /^de/);
    for (const key of ['sectionAccount', 'sectionCalls', 'sectionAudio', 'sectionPages', 'sectionPrivacy', 'signIn', 'statusSignedOut', 'rememberPassword', 'linkModeTakeOver', 'clearHistory', 'micTestStart']) {
      await page.getByText(de[key]!.message, { exact: false }).first().waitFor({ timeout: 10_000 });
    }
    const words = await pageWords(page);
    assert.ok(words.includes('Deutschland'), 'country names are German');
    assert.deepEqual(englishLeft(words), [], 'no English left on the options page');
    await page.close();
  });

  test('the onboarding page is fully translated', { timeout: 120_000 }, async () => {
    const page = await user.context.newPage();
    await page.goto(user.url('onboarding/index.html'));
    await page.getByRole('heading', { name: de.onboardingHeading!.message }).waitFor({ timeout: 20_000 });
    await page.locator('[data-connection]').waitFor({ timeout: 20_000 });
    await page.locator('section[data-step="microphone"] [data-permission="granted"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.title(), de.onboardingPageTitle!.message);
    for (const key of ['stepMicrophone', 'stepAccount', 'stepCall', 'callEchoLine', 'useDemoGateway', 'openSettings', 'micGranted', 'stepDone']) {
      await page.getByText(de[key]!.message, { exact: false }).first().waitFor({ timeout: 10_000 });
    }
    assert.deepEqual(englishLeft(await pageWords(page)), [], 'no English left on the onboarding page');
    await page.close();
  });

  test('the microphone page is fully translated', { timeout: 120_000 }, async () => {
    const page = await user.context.newPage();
    await page.goto(user.url('permission/index.html'));
    await page.getByRole('heading', { name: de.micTitle!.message }).waitFor({ timeout: 20_000 });
    await page.locator('[data-permission="granted"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.title(), de.micPageTitle!.message);
    assert.deepEqual(englishLeft(await pageWords(page)), [], 'no English left on the microphone page');
    await page.close();
  });

  test('the popup is fully translated', { timeout: 120_000 }, async () => {
    const page = await user.context.newPage();
    await page.goto(user.url('popup/index.html'));
    await page.getByLabel(de.dialLabel!.message).waitFor({ timeout: 20_000 });
    await page.locator('[data-connection]').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: de.recentCalls!.message }).waitFor({ timeout: 20_000 });
    assert.match(await page.evaluate(() => document.documentElement.lang), /^de/);
    for (const key of ['callButton', 'videoCallButton', 'keypadButton']) await page.getByRole('button', { name: de[key]!.message, exact: true }).waitFor({ timeout: 10_000 });
    await page.getByRole('group', { name: de.dialPad!.message }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: de.keyStar!.message }).waitFor({ timeout: 10_000 });
    // The shortcut help is part of the idle view too, one key press away.
    await page.getByRole('button', { name: de.keyboardShortcuts!.message }).click();
    await page.getByRole('heading', { name: de.keyboardShortcuts!.message }).waitFor({ timeout: 10_000 });
    assert.deepEqual(englishLeft(await pageWords(page)), [], 'no English left on the popup');
    await page.close();
  });
});
