/**
 * The locales stay complete: the same keys and placeholders in every language, every key the code
 * uses exists, and every message a page shows is translated (German differs from English except
 * for names and words that are the same in both).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..');
const LOCALES = join(SRC, 'public/_locales');

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}

const load = (lang: string) => JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8')) as Record<string, Message>;
const en = load('en');
const languages = readdirSync(LOCALES);

/** Messages that are the same in German on purpose (names, and words German shares). */
const SAME_IN_GERMAN = new Set(['extensionName', 'serverPort', 'sectionAudio', 'connectionOnline', 'connectionOffline', 'callFlagVideo']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'public' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('locales', () => {
  it('has English and German', () => {
    expect(languages.sort()).toEqual(['de', 'en']);
  });

  for (const lang of languages) {
    it(`${lang} has exactly the English keys, with the same placeholders`, () => {
      const messages = load(lang);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(messages)) {
        const used = [...value.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((match) => match[1]!.toLowerCase()).sort();
        expect(used, `${lang}/${key}`).toEqual([...new Set(Object.keys(en[key]?.placeholders ?? {}))].sort());
        expect(Object.keys(value.placeholders ?? {}).sort(), `${lang}/${key}`).toEqual(Object.keys(en[key]?.placeholders ?? {}).sort());
        // A lone $ not part of a placeholder would be eaten by chrome.i18n.
        expect(value.message.replace(/\$[A-Za-z0-9_]+\$/g, '').replace(/\$\$/g, ''), `${lang}/${key}`).not.toContain('$');
      }
    });
  }

  it('German translates every message except names and shared words', () => {
    const de = load('de');
    const untranslated = Object.keys(en).filter((key) => !SAME_IN_GERMAN.has(key) && de[key]?.message === en[key]?.message);
    expect(untranslated).toEqual([]);
  });

  it('every key the code asks for exists', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) if (!(match[1]! in en)) missing.push(`${file}: ${match[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('the manifest names only messages that exist', () => {
    const manifest = readFileSync(resolve(SRC, '../manifest.json'), 'utf8');
    for (const match of manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) expect(en).toHaveProperty(match[1]!);
  });
});
