/**
 * Phone number and SIP address detection. Pure TypeScript, no DOM: callers pass text (e.g. a
 * text node's data) and get offsets back. The content script does not bundle `detect`: it
 * loads it with the phone engine module (src/content/phone-engine.ts) and calls it through
 * the installed Detector.
 */
import type { CountryCode, DetectOptions, Detection } from './types';
import { Scanner } from './scan';
import { hasPhoneEngine, phoneEngine } from './engine';

export type { CountryCode, DetectOptions, Detection, DetectedKind, DialableResult } from './types';
export type { DialableOptions, Detector, PhoneEngine } from './engine';
export { MetadataNotLoaded, detector, hasPhoneEngine, installDetector, installPhoneEngine, parseDialable } from './engine';

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
  if (!hasPhoneEngine()) return /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : 'US';
  if (!phoneEngine().isKnownCountry(country)) return 'US';
  lastCountry = country;
  return country;
}
