/**
 * Where the detection engine gets libphonenumber-js's `max` metadata from.
 *
 * The metadata is 40 kB of the content script's gzip size and most of its evaluation time, yet
 * most pages hold no digit run that could be a phone number. So the content script starts
 * without it and loads it (a web-accessible JSON file) the first time the scanner reaches a
 * candidate; every other bundle (popup, service worker, offscreen document, tests) installs the
 * bundled copy up front through `with-metadata.ts`.
 */
import type { MetadataJson } from 'libphonenumber-js/core';

/** Thrown by anything that needs the metadata before it was installed; nothing was changed. */
export class MetadataNotLoaded extends Error {
  constructor() {
    super('libphonenumber-js metadata is not loaded yet');
    this.name = 'MetadataNotLoaded';
  }
}

let installed: MetadataJson | null = null;
const resetters: (() => void)[] = [];

export function installPhoneMetadata(metadata: MetadataJson): void {
  installed = metadata;
  for (const reset of resetters) reset();
}

/** One instance, thrown again and again: a new Error per candidate would capture a stack each time. */
export const NOT_LOADED = new MetadataNotLoaded();

export function phoneMetadata(): MetadataJson {
  if (!installed) throw NOT_LOADED;
  return installed;
}

/** Caches derived from the metadata register here, so installing another copy starts them afresh. */
export function onMetadataInstalled(reset: () => void): void {
  resetters.push(reset);
}

/** A plausible shape check for metadata read from a file, before anything relies on it. */
export function looksLikePhoneMetadata(value: unknown): value is MetadataJson {
  if (typeof value !== 'object' || value === null) return false;
  const { countries, country_calling_codes: codes } = value as Record<string, unknown>;
  return typeof countries === 'object' && countries !== null && typeof codes === 'object' && codes !== null && 'US' in countries && '1' in codes;
}
