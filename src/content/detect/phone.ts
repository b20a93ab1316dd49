/**
 * Phone number validation on top of libphonenumber-js (core build + `max` metadata, so that
 * `isValid()` checks the digits against each country's number-type patterns, not just lengths).
 *
 * The scanner hands over digit strings (separators already removed); this module decides whether
 * they are a valid number and caches the answer, because pages repeat the same numbers.
 */
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';

export { metadata };

/* The parts of libphonenumber-js's Metadata class used here. They exist at run time but are not
 * in its typings; the package is pinned, and metadata.test.ts guards these shapes. */
interface FormatLike {
  pattern(): string;
  leadingDigitsPatterns(): string[];
  nationalPrefixIsMandatoryWhenFormattingInNationalFormat(): boolean;
}
interface PlanLike {
  callingCode(): string;
  nationalPrefix(): string | undefined;
  IDDPrefix(): string;
  formats(): FormatLike[];
}
interface MetadataLike {
  hasCountry(country: string): boolean;
  selectNumberingPlan(country: string): void;
  numberingPlan?: PlanLike;
}

interface CountryInfo {
  callingCode: string;
  nationalPrefix: string;
  /** Matches the country's international call prefix at the start of a digit string. */
  idd: RegExp;
  formats: FormatLike[];
}

const meta = new Metadata(metadata) as unknown as MetadataLike;
const infoCache = new Map<string, CountryInfo>();
const regexCache = new Map<string, RegExp>();

function re(source: string, anchoredEnd: boolean): RegExp {
  const key = (anchoredEnd ? '$' : '^') + source;
  let r = regexCache.get(key);
  if (!r) {
    r = new RegExp(anchoredEnd ? `^(?:${source})$` : `^(?:${source})`);
    regexCache.set(key, r);
  }
  return r;
}

export function isKnownCountry(country: string): country is CountryCode {
  return /^[A-Z]{2}$/.test(country) && meta.hasCountry(country);
}

export function countryInfo(country: CountryCode): CountryInfo {
  let info = infoCache.get(country);
  if (info) return info;
  meta.selectNumberingPlan(country);
  const plan = meta.numberingPlan;
  if (!plan) throw new Error(`Unknown country ${country}`);
  info = {
    callingCode: plan.callingCode(),
    nationalPrefix: plan.nationalPrefix() ?? '',
    idd: re(plan.IDDPrefix() || '00', false),
    formats: plan.formats(),
  };
  infoCache.set(country, info);
  return info;
}

/**
 * True when numbers like `nationalNumber` are always written with the national (trunk) prefix
 * in national notation, e.g. `030 1234567` in Germany or `020 7946 0958` in the UK. Then the
 * same digits without the prefix (`30 1234567`) are not read as a phone number. Countries where
 * the prefix is optional (India, the US) or never written (Brazil) are not affected.
 */
function trunkPrefixMandatory(info: CountryInfo, nationalNumber: string): boolean {
  if (!info.nationalPrefix) return false;
  for (const format of info.formats) {
    const leading = format.leadingDigitsPatterns();
    const last = leading[leading.length - 1];
    if (last !== undefined && !re(last, false).test(nationalNumber)) continue;
    if (!re(format.pattern(), true).test(nationalNumber)) continue;
    return format.nationalPrefixIsMandatoryWhenFormattingInNationalFormat();
  }
  return false;
}

/* ---------------------------------------------------------------- the metadata gate
 * A necessary condition for validity, compiled once per calling code from the metadata:
 * some suffix of the digits (what is left after an international or national prefix) has a
 * possible length and matches the general national-number pattern of a country with that
 * calling code. Cheap (one precompiled regular expression per try) and conservative: it only
 * skips library calls that could not succeed. */

interface GatePlan extends PlanLike {
  possibleLengths(): number[];
  nationalNumberPattern(): string;
  nationalPrefixTransformRule(): string | undefined;
}

interface CallingCodeGate {
  /** Bit n set: some country of the calling code has national numbers of n digits. */
  lengths: number;
  pattern: RegExp;
  /** A national prefix transform rule rewrites digits; the gate cannot reason about it. */
  open: boolean;
}

const callingCodes = metadata.country_calling_codes as Record<string, string[]>;
const gates = new Map<string, CallingCodeGate>();

function callingCodeGate(callingCode: string): CallingCodeGate {
  let gate = gates.get(callingCode);
  if (gate) return gate;
  let lengths = 0;
  let open = false;
  const patterns: string[] = [];
  const countries = callingCodes[callingCode] ?? [];
  for (const c of countries) {
    meta.selectNumberingPlan(c === '001' ? callingCode : c);
    const plan = meta.numberingPlan as GatePlan | undefined;
    if (!plan) continue;
    for (const l of plan.possibleLengths()) lengths |= 1 << l;
    patterns.push(plan.nationalNumberPattern());
    if (plan.nationalPrefixTransformRule()) open = true;
  }
  gate = { lengths, pattern: new RegExp(`^(?:${patterns.join('|')})$`), open: open || patterns.length === 0 };
  gates.set(callingCode, gate);
  return gate;
}

function fits(gate: CallingCodeGate, digits: string, maxStrip: number): boolean {
  if (gate.open) return true;
  for (let k = 0; k <= maxStrip && k < digits.length; k++) {
    const rest = digits.length - k;
    if (rest < 31 && (gate.lengths >>> rest) & 1 && gate.pattern.test(k ? digits.slice(k) : digits)) return true;
  }
  return false;
}

/** `digits` written after a '+' (or an international call prefix). */
function internationalFits(digits: string): boolean {
  for (let l = 1; l <= 3 && l < digits.length; l++) {
    const cc = digits.slice(0, l);
    if (callingCodes[cc] && fits(callingCodeGate(cc), digits.slice(l), 2)) return true;
  }
  return false;
}

function gate(digits: string, plus: boolean, country: CountryCode): boolean {
  if (plus) return internationalFits(digits);
  const info = countryInfo(country);
  if (fits(callingCodeGate(info.callingCode), digits, 5)) return true;
  const idd = info.idd.exec(digits);
  if (idd && internationalFits(digits.slice(idd[0].length))) return true;
  return digits.startsWith('00') && internationalFits(digits.slice(2));
}

export interface ValidNumber {
  /** E.164 */
  number: string;
  /** International format without extension. */
  display: string;
  /** Written in national notation (no `+`, no international call prefix). */
  national: boolean;
}

function parse(text: string, country: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry: country, extract: false }, metadata);
}

function toValid(pn: PhoneNumber, national: boolean): ValidNumber {
  return { number: pn.number, display: pn.formatInternational(), national };
}

function validateUncached(digits: string, plus: boolean, country: CountryCode): ValidNumber | null {
  if (plus) {
    const pn = parse('+' + digits, country);
    if (!pn) return null;
    if (pn.isValid()) return toValid(pn, false);
    // "+49 030 1234567": a trunk prefix written after the country code.
    if (pn.nationalNumber.startsWith('0')) {
      const again = parse(`+${pn.countryCallingCode}${pn.nationalNumber.slice(1)}`, country);
      if (again?.isValid()) return toValid(again, false);
    }
    return null;
  }
  const info = countryInfo(country);
  const pn = parse(digits, country);
  if (pn?.isValid()) {
    const viaIdd = info.idd.test(digits) && digits.length > pn.nationalNumber.length + pn.countryCallingCode.length;
    if (!viaIdd && pn.countryCallingCode === info.callingCode) {
      const prefixWritten = digits.length > pn.nationalNumber.length;
      if (!prefixWritten) {
        const plan = pn.country && pn.country !== country ? countryInfo(pn.country) : info;
        if (trunkPrefixMandatory(plan, pn.nationalNumber)) return null;
      }
      return toValid(pn, true);
    }
    return toValid(pn, false);
  }
  // "00" is the international call prefix in most of the world; accept it even where the
  // default country uses another one (a German number written "0049 …" on a US user's screen).
  if (digits.startsWith('00') && !digits.startsWith('000')) {
    const intl = parse('+' + digits.slice(2), country);
    if (intl?.isValid()) return toValid(intl, false);
  }
  return null;
}

const cache = new Map<string, ValidNumber | null>();
const CACHE_LIMIT = 4096;

/** Validates a digit string (ASCII digits only) read in `country`; `plus` when written with `+`. */
export function validateDigits(digits: string, plus: boolean, country: CountryCode): ValidNumber | null {
  const key = (plus ? '+' : '') + digits + country;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = gate(digits, plus, country) ? validateUncached(digits, plus, country) : null;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}
