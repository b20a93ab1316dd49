/**
 * The phone engine as the content script loads it on demand: a separate ES module
 * (content/phone-engine.js, web-accessible through the per-session dynamic URL only) with
 * libphonenumber-js's code. It gets the metadata from the content script, which fetched it
 * alongside, and answers with the three functions the scanner needs (detect/engine.ts).
 */
import { installPhoneMetadata, looksLikePhoneMetadata } from './detect/metadata';
import { isKnownCountry, validateDigits } from './detect/phone';
import { parseDialable } from './detect/dialable';
import type { PhoneEngine } from './detect/engine';

/** The engine over `metadata`, or null when it is not phone metadata. */
export function createPhoneEngine(metadata: unknown): PhoneEngine | null {
  if (!looksLikePhoneMetadata(metadata)) return null;
  installPhoneMetadata(metadata);
  return { validateDigits, isKnownCountry, parseDialable };
}
