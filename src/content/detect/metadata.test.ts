import { afterAll, describe, expect, it } from 'vitest';
import metadata from 'libphonenumber-js/metadata.max.json';
import { detect, installPhoneMetadata, MetadataNotLoaded, parseDialable } from './index';
import { hasPhoneMetadata, looksLikePhoneMetadata, uninstallPhoneMetadataForTests } from './metadata';

describe('detection before the phone metadata is loaded', () => {
  uninstallPhoneMetadataForTests();
  afterAll(() => installPhoneMetadata(metadata));

  it('reads text without phone candidates without it', () => {
    expect(hasPhoneMetadata()).toBe(false);
    expect(detect('Opening hours 9:00-17:00, since 1998, 3 rooms, 12.5 % off', { defaultCountry: 'DE' })).toEqual([]);
    expect(detect('write to sip:alice@example.com today', { defaultCountry: 'US' })).toMatchObject([{ kind: 'sip', dial: 'sip:alice@example.com' }]);
  });

  it('stops at the first candidate with MetadataNotLoaded, and finds it once installed', () => {
    const text = 'Call 030 1234567 now';
    expect(() => detect(text, { defaultCountry: 'DE' })).toThrow(MetadataNotLoaded);
    expect(() => parseDialable('+49 30 1234567', 'DE')).toThrow(MetadataNotLoaded);
    installPhoneMetadata(metadata);
    expect(detect(text, { defaultCountry: 'DE' })).toMatchObject([{ dial: '+49301234567' }]);
  });

  it('after uninstalling, nothing derived from the old copy answers', () => {
    installPhoneMetadata(metadata);
    expect(detect('Call 030 1234567', { defaultCountry: 'DE' })).toHaveLength(1);
    uninstallPhoneMetadataForTests();
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
