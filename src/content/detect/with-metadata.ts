/**
 * The detection engine with libphonenumber-js's metadata bundled and installed on import: the
 * entry point for every bundle except the content script (which loads the metadata lazily, see
 * metadata.ts). Import this module, not ./index, outside src/content.
 */
import metadata from 'libphonenumber-js/metadata.max.json';
import { installPhoneMetadata } from './metadata';

installPhoneMetadata(metadata);

export * from './index';
export { metadata };
