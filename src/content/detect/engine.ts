/**
 * The phone-number engine the scanner validates with: libphonenumber-js and its metadata behind
 * three functions. The content script starts without it and loads it (code and metadata) the
 * first time a page has a candidate (src/content/phone-metadata.ts): about 40 kB of
 * libphonenumber-js's code and 40 kB of metadata (gzip) that most pages never need. Every
 * other bundle installs the bundled engine through with-metadata.ts.
 */
import type { CountryCode } from 'libphonenumber-js/core';
import type { DialableResult } from './types';
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

let installed: PhoneEngine | null = null;

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

/** Forgets the engine (tests of the lazy path). */
export function uninstallPhoneEngineForTests(): void {
  installed = null;
}

export { MetadataNotLoaded };
