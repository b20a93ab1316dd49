/**
 * The detection engine with libphonenumber-js and its metadata bundled and installed on import:
 * the entry point for every bundle except the content script (which loads the phone engine on
 * demand, see engine.ts). Import this module, not ./index, outside src/content.
 */
import metadata from 'libphonenumber-js/metadata.max.json';
import { installPhoneMetadata } from './metadata';
import { installPhoneEngine, type PhoneEngine } from './engine';
import { isKnownCountry, validateDigits } from './phone';
import { parseDialable } from './dialable';

installPhoneMetadata(metadata);

/** The engine every bundle but the content script uses (tests reinstall it after uninstalling). */
export const bundledPhoneEngine: PhoneEngine = { validateDigits, isKnownCountry, parseDialable };
installPhoneEngine(bundledPhoneEngine);

export * from './index';
export { defaultCountryFromLocale } from './locale';
export { metadata };
