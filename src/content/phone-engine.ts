/**
 * The phone engine as the content script loads it on demand: a separate ES module
 * (content/phone-engine.js, web-accessible through the per-session dynamic URL only) with the
 * detector and libphonenumber-js's code. The build marks it for eager compilation, so Chrome
 * compiles all of it on a background thread while the module loads, instead of compiling each
 * function on the page's main thread the first time the scan calls it.
 *
 * The content script imports it, and fetches the metadata alongside, when a text first passes
 * the prefilter (phone-metadata.ts); until the metadata is in, the detector answers null for a
 * text that needs a number validated.
 */
import { installPhoneMetadata, looksLikePhoneMetadata, MetadataNotLoaded } from './detect/metadata';
import { isKnownCountry, validateDigits } from './detect/phone';
import { parseDialable } from './detect/dialable';
import { readSipUri } from './detect/sip';
import { installPhoneEngine, type Detector, type PhoneEngine } from './detect/engine';
import { detect } from './detect/index';

/** Detection with this module's code, answering null instead of throwing while the metadata is missing. */
export function createDetector(): Detector {
  return {
    detect(text, country) {
      try {
        return detect(text, { defaultCountry: country });
      } catch (error) {
        // this module's own class: the content script's copy would not recognise it
        if (error instanceof MetadataNotLoaded) return null;
        throw error;
      }
    },
    sipDisplay: (uri) => readSipUri(uri, 0)?.display ?? uri,
  };
}

/** The engine over `metadata`, installed for this module's detector too; null when it is not phone metadata. */
export function createPhoneEngine(metadata: unknown): PhoneEngine | null {
  if (!looksLikePhoneMetadata(metadata)) return null;
  installPhoneMetadata(metadata);
  const engine: PhoneEngine = { validateDigits, isKnownCountry, parseDialable };
  installPhoneEngine(engine);
  return engine;
}
