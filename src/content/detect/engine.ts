/**
 * The phone-number engine the scanner validates with: libphonenumber-js and its metadata behind
 * three functions, and the detector that uses it. The content script starts without either and
 * loads both the first time a text passes the prefilter (src/content/phone-metadata.ts): the
 * detector with libphonenumber-js's code as one module, and the metadata alongside. Every other
 * bundle installs the bundled engine through with-metadata.ts.
 */
import type { CountryCode } from 'libphonenumber-js/core';
import type { Detection, DialableResult } from './types';
import { MetadataNotLoaded, NOT_LOADED } from './metadata';

export interface EngineNumber {
  /** E.164 */
  number: string;
  readonly display: string;
  national: boolean;
}

export interface DialableOptions {
  /** Domain appended to a bare user name (`bob` → `sip:bob@<sipDomain>`). */
  sipDomain?: string;
}

export interface PhoneEngine {
  validateDigits(digits: string, plus: boolean, country: CountryCode): EngineNumber | null;
  isKnownCountry(country: string): country is CountryCode;
  parseDialable(input: string, country: CountryCode, options?: DialableOptions): DialableResult;
}

/**
 * Detection as the on-demand engine module provides it: compiled with that module (in the
 * background, eagerly), not with the content script every page evaluates.
 */
export interface Detector {
  /** What `text` holds, or null while a candidate needs the metadata, which is not installed yet. */
  detect(text: string, country: CountryCode): Detection[] | null;
  /** `user@host` of a SIP URI the detector found. */
  sipDisplay(uri: string): string;
}

let installed: PhoneEngine | null = null;
let installedDetector: Detector | null = null;

export function installDetector(detector: Detector): void {
  installedDetector = detector;
}

/** The detector, or null before the engine module was loaded. */
export function detector(): Detector | null {
  return installedDetector;
}

export function installPhoneEngine(engine: PhoneEngine): void {
  installed = engine;
}

export function hasPhoneEngine(): boolean {
  return installed !== null;
}

/** The engine; throws MetadataNotLoaded (one shared instance) before it is installed. */
export function phoneEngine(): PhoneEngine {
  if (!installed) throw NOT_LOADED;
  return installed;
}

/** Forgets the engine and the detector (tests of the lazy path). */
export function uninstallPhoneEngineForTests(): void {
  installed = null;
  installedDetector = null;
}

export { MetadataNotLoaded };

/**
 * Reads what a user typed or selected (a number in any notation, a sip:/sips:/tel: URI, user@host
 * or a bare name) into something to dial: see dialable.ts, which the installed engine runs.
 */
export function parseDialable(input: string, country: CountryCode, options?: DialableOptions): DialableResult {
  return phoneEngine().parseDialable(input, country, options);
}
