/**
 * Phone number and SIP address detection for the content script.
 * Pure TypeScript, no DOM: callers pass text (e.g. a text node's data) and get offsets back.
 */
import type { CountryCode, DetectOptions, Detection } from './types';
import { Scanner } from './scan';
import { isKnownCountry } from './phone';
import { hasPhoneMetadata } from './metadata';

export type { CountryCode, DetectOptions, Detection, DetectedKind, DialableResult } from './types';
export { parseDialable, type DialableOptions } from './dialable';
export { defaultCountryFromLocale } from './locale';
export { MetadataNotLoaded, hasPhoneMetadata, installPhoneMetadata, looksLikePhoneMetadata } from './metadata';

/**
 * Finds valid phone numbers (national and international notation, `tel:` URIs, with
 * extensions) and `sip:` / `sips:` URIs in `text`, in order, without overlaps.
 */
export function detect(text: string, options: DetectOptions): Detection[] {
  if (text.length < 5) return [];
  return new Scanner(text, knownCountry(options.defaultCountry)).run();
}

let lastCountry = '';

/**
 * The default country, or US when it is not one the metadata knows (a stale setting, 'UK').
 * Before the metadata is loaded a well-formed code is taken on trust: text without candidates
 * needs no country, and the first candidate stops the scan (MetadataNotLoaded) until it is.
 */
export function knownCountry(country: string): CountryCode {
  if (country === lastCountry) return country as CountryCode;
  if (!hasPhoneMetadata()) return /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : 'US';
  if (!isKnownCountry(country)) return 'US';
  lastCountry = country;
  return country;
}
