import { describe, expect, it } from 'vitest';
import { LOCALES, Rng, generateCorpus, prng } from './corpus';
import { getCountries, getExampleNumber } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/examples.mobile.json';
import { metadata } from './with-metadata';
import { validateDigits, validateWithLibrary } from './phone';

describe('validateDigits', () => {
  it('agrees with a libphonenumber-js parse + isValid() (its fast path uses the same metadata)', () => {
    const rng = new Rng(prng(5));
    let checked = 0;
    const differences: string[] = [];
    for (const locale of LOCALES) {
      const candidates = new Set<string>();
      for (const sample of generateCorpus(locale, { positives: 200, negatives: 200, seed: 9 })) {
        for (const m of sample.text.matchAll(/\+?[0-9][0-9 ().\-/]{4,22}[0-9]/g)) {
          const d = m[0].replace(/[^0-9+]/g, '');
          candidates.add(d);
          if (d.length > 7) candidates.add(d.slice(1)).add(d.slice(0, -1)).add('0' + d);
        }
      }
      for (let i = 0; i < 1000; i++) candidates.add(rng.digits(rng.int(6, 14)));
      for (let i = 0; i < 300; i++) candidates.add('0' + rng.digits(rng.int(6, 12)));
      for (const c of candidates) {
        const plus = c.startsWith('+');
        const digits = plus ? c.slice(1) : c;
        if (digits.includes('+') || digits.length < 6 || digits.length > 17) continue;
        checked++;
        const fast = validateDigits(digits, plus, locale);
        const lib = validateWithLibrary(digits, plus, locale);
        if (fast?.number !== lib?.number || fast?.national !== lib?.national || fast?.display !== lib?.display) {
          differences.push(`${locale} ${c}: ${fast?.number} ${fast?.display} vs ${lib?.number} ${lib?.display}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10000);
    expect(differences.slice(0, 10)).toEqual([]);
  }, 60_000);

  it('agrees with the library on every country\'s example number, in international and national notation', () => {
    const differences: string[] = [];
    for (const country of getCountries(metadata)) {
      const example = getExampleNumber(country, examples, metadata);
      if (!example) continue;
      const intl = example.number.slice(1);
      const fast = validateDigits(intl, true, country);
      const lib = validateWithLibrary(intl, true, country);
      if (fast?.number !== lib?.number || fast?.display !== lib?.display) differences.push(`${country} +${intl}: ${fast?.display} vs ${lib?.display}`);
      const national = example.formatNational().replace(/[^0-9]/g, '');
      const fastN = validateDigits(national, false, country);
      const libN = validateWithLibrary(national, false, country);
      if (fastN?.number !== libN?.number || fastN?.display !== libN?.display) differences.push(`${country} ${national}: ${fastN?.number} vs ${libN?.number}`);
    }
    expect(differences).toEqual([]);
  }, 30_000);

  it('agrees with the library on national numbers of countries sharing the default country\'s calling code', () => {
    const rng = new Rng(prng(11));
    const differences: string[] = [];
    let checked = 0;
    for (const locale of LOCALES) {
      const info = getExampleNumber(locale, examples, metadata)!;
      const siblings = getCountries(metadata).filter((c) => c !== locale && getExampleNumber(c, examples, metadata)?.countryCallingCode === info.countryCallingCode);
      const candidates = new Set<string>();
      for (const sibling of siblings) {
        const example = getExampleNumber(sibling, examples, metadata)!;
        const national = example.formatNational().replace(/[^0-9]/g, '');
        candidates.add(national).add(example.nationalNumber).add(example.nationalNumber.slice(-7));
        // other numbers of the same range: vary the last digits
        for (let i = 0; i < 20; i++) candidates.add(example.nationalNumber.slice(0, -4) + rng.digits(4));
      }
      for (let i = 0; i < 500; i++) candidates.add(rng.digits(7));
      for (const digits of candidates) {
        if (digits.length < 6) continue;
        checked++;
        const fast = validateDigits(digits, false, locale);
        const lib = validateWithLibrary(digits, false, locale);
        if (fast?.number !== lib?.number || fast?.national !== lib?.national) differences.push(`${locale} ${digits}: ${fast?.number} vs ${lib?.number}`);
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(differences.slice(0, 10)).toEqual([]);
  }, 60_000);

  it('formats for display on demand', () => {
    const v = validateDigits('4155550101', false, 'US');
    expect(v?.number).toBe('+14155550101');
    expect(v?.display).toBe('+1 415 555 0101');
  });

  it('requires the trunk prefix where national numbers are always written with it', () => {
    expect(validateDigits('0301234567', false, 'DE')?.number).toBe('+49301234567');
    expect(validateDigits('301234567', false, 'DE')).toBeNull();
    expect(validateDigits('377949', false, 'DE')).toBeNull();
    expect(validateDigits('9876543210', false, 'IN')?.number).toBe('+919876543210');
    expect(validateDigits('131251', false, 'AU')?.number).toBe('+61131251');
  });
});
