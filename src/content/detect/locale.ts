import type { CountryCode } from 'libphonenumber-js/core';
import { isKnownCountry } from './phone';

/**
 * Country for a language without a region: the country most of its browser users are in.
 * Only unambiguous-enough languages are listed; anything else falls back to the US.
 */
const LANGUAGE_COUNTRY: Record<string, CountryCode> = {
  en: 'US', de: 'DE', fr: 'FR', ja: 'JP', pt: 'BR', es: 'ES', it: 'IT', nl: 'NL', pl: 'PL', ru: 'RU',
  uk: 'UA', sv: 'SE', da: 'DK', nb: 'NO', nn: 'NO', no: 'NO', fi: 'FI', cs: 'CZ', sk: 'SK', hu: 'HU',
  ro: 'RO', bg: 'BG', el: 'GR', tr: 'TR', he: 'IL', iw: 'IL', ar: 'SA', fa: 'IR', hi: 'IN', bn: 'BD',
  ta: 'IN', te: 'IN', mr: 'IN', gu: 'IN', kn: 'IN', ml: 'IN', pa: 'IN', ur: 'PK', zh: 'CN', ko: 'KR',
  vi: 'VN', th: 'TH', id: 'ID', ms: 'MY', fil: 'PH', tl: 'PH', sw: 'KE', et: 'EE', lv: 'LV', lt: 'LT',
  sl: 'SI', hr: 'HR', sr: 'RS', ca: 'ES', eu: 'ES', gl: 'ES', ga: 'IE', is: 'IS', af: 'ZA', am: 'ET',
};

const REGION_ALIASES: Record<string, string> = { UK: 'GB' };

/**
 * Default country for reading national numbers, from a BCP 47 locale such as
 * `navigator.language`: `en-GB` → GB, `de` → DE, `zh-Hant-TW` → TW, `pt_BR` → BR.
 * Unknown or empty locales give US.
 */
export function defaultCountryFromLocale(locale: string): CountryCode {
  const parts = locale.trim().replace(/_/g, '-').split('-');
  const language = (parts[0] ?? '').toLowerCase();
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length === 1) break; // extensions (-u-…, -x-…) follow
    if (/^[A-Za-z]{2}$/.test(part)) {
      const region = part.toUpperCase();
      const country = REGION_ALIASES[region] ?? region;
      if (isKnownCountry(country)) return country;
    }
  }
  return LANGUAGE_COUNTRY[language] ?? 'US';
}
