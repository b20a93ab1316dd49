import { afterAll, describe, expect, it } from 'vitest';
import metadata from 'libphonenumber-js/metadata.max.json';
import { bundledPhoneEngine } from './with-metadata';
import { detect, hasPhoneEngine, installPhoneEngine, MetadataNotLoaded, parseDialable } from './index';
import { uninstallPhoneEngineForTests } from './engine';
import { looksLikePhoneMetadata } from './metadata';

describe('detection before the phone engine is loaded', () => {
  uninstallPhoneEngineForTests();
  afterAll(() => installPhoneEngine(bundledPhoneEngine));

  it('reads text without phone candidates without it', () => {
    expect(hasPhoneEngine()).toBe(false);
    expect(detect('Opening hours 9:00-17:00, since 1998, 3 rooms, 12.5 % off', { defaultCountry: 'DE' })).toEqual([]);
    expect(detect('write to sip:alice@example.com today', { defaultCountry: 'US' })).toMatchObject([{ kind: 'sip', dial: 'sip:alice@example.com' }]);
  });

  it('stops at the first candidate with MetadataNotLoaded, and finds it once installed', () => {
    const text = 'Call 030 1234567 now';
    expect(() => detect(text, { defaultCountry: 'DE' })).toThrow(MetadataNotLoaded);
    expect(() => parseDialable('+49 30 1234567', 'DE')).toThrow(MetadataNotLoaded);
    installPhoneEngine(bundledPhoneEngine);
    expect(detect(text, { defaultCountry: 'DE' })).toMatchObject([{ dial: '+49301234567' }]);
  });

  it('after uninstalling, nothing answers from the old engine', () => {
    installPhoneEngine(bundledPhoneEngine);
    expect(detect('Call 030 1234567', { defaultCountry: 'DE' })).toHaveLength(1);
    uninstallPhoneEngineForTests();
    expect(() => detect('Call 030 1234568', { defaultCountry: 'DE' })).toThrow(MetadataNotLoaded);
  });
});

describe('looksLikePhoneMetadata', () => {
  it('accepts the metadata and rejects other JSON', () => {
    expect(looksLikePhoneMetadata(metadata)).toBe(true);
    for (const value of [null, 42, 'x', [], {}, { countries: {} }, { countries: { US: [] }, country_calling_codes: {} }]) {
      expect(looksLikePhoneMetadata(value)).toBe(false);
    }
  });
});
