/**
 * What the dialer needs from libphonenumber-js: as-you-type formatting and validation. Loaded
 * lazily by the popup (a dynamic import right after the first paint), because the full (`max`)
 * metadata is ~157 kB. Validation is the very `parseDialable` the phone runs, with the same
 * metadata, so the popup and the phone always agree on what can be called.
 */
import { AsYouType, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import { parseDialable, metadata } from '../content/detect/with-metadata';
import type { DialableResult } from '../content/detect/with-metadata';

export { parseDialable };
export type { DialableResult };

/** Only digits, a leading +, and the punctuation people write numbers with: no letters, no extension. */
const PHONE_LIKE = /^\s*\+?[\d\s().\-/]*$/;
const SIGNIFICANT = /[\d+]/;

export function isPhoneLike(text: string): boolean {
  return /\d/.test(text) && PHONE_LIKE.test(text);
}

/** `(415) 555-0101` for `4155550101` in the US; anything that is not a bare number stays as typed. */
export function formatAsYouType(text: string, country: CountryCode): string {
  if (!isPhoneLike(text)) return text;
  const plus = text.trimStart().startsWith('+');
  const digits = text.replace(/\D/g, '');
  return new AsYouType(country, metadata).input(`${plus ? '+' : ''}${digits}`);
}

function significantBefore(text: string, caret: number): number {
  let count = 0;
  for (let i = 0; i < Math.min(caret, text.length); i++) if (SIGNIFICANT.test(text[i] ?? '')) count++;
  return count;
}

function caretAfterSignificant(text: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (SIGNIFICANT.test(text[i] ?? '') && ++seen === count) return i + 1;
  }
  return text.length;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

export interface FieldEdit {
  value: string;
  caret: number;
}

/**
 * Reformats the field after one edit and keeps the caret after the same digits. Deleting only a
 * formatting character (a space, a bracket) would be undone by the formatter, so it deletes the
 * digit next to it instead, the way phone dialers behave.
 */
export function reformat(value: string, caret: number, country: CountryCode, previous = '', deleting?: 'backward' | 'forward'): FieldEdit {
  let text = value;
  let at = caret;
  if (deleting && isPhoneLike(previous) && digitsOf(text) === digitsOf(previous) && text.length < previous.length) {
    if (deleting === 'backward') {
      let i = at - 1;
      while (i >= 0 && !/\d/.test(text[i] ?? '')) i--;
      if (i >= 0) {
        text = text.slice(0, i) + text.slice(i + 1);
        at = i;
      }
    } else {
      let i = at;
      while (i < text.length && !/\d/.test(text[i] ?? '')) i++;
      if (i < text.length) text = text.slice(0, i) + text.slice(i + 1);
    }
  }
  const formatted = formatAsYouType(text, country);
  if (formatted === text) return { value: text, caret: at };
  return { value: formatted, caret: caretAfterSignificant(formatted, significantBefore(text, at)) };
}

/** A number as people of `country` write it: national notation at home, international otherwise. */
export function formatNumber(number: string, country: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(number, { defaultCountry: country }, metadata);
  if (!parsed?.isValid()) return undefined;
  return parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
}
