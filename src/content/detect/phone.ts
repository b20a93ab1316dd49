/**
 * Phone number validation on top of libphonenumber-js (core build + `max` metadata, so that
 * validity checks the digits against each country's number-type patterns, not just lengths).
 *
 * The scanner hands over digit strings (separators already removed); this module decides whether
 * they are a valid number and caches the answer, because pages repeat the same numbers. Three
 * layers, cheapest first: a gate compiled from the metadata (possible lengths and general
 * pattern per calling code); a fast path that replays the library's parse + `isValid()` for the
 * common cases with the metadata's regular expressions compiled once; and
 * `parsePhoneNumberFromString(…).isValid()` itself for everything else. phone.test.ts checks
 * that the fast path and the library agree.
 */
import { Metadata, PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CountryCode, MetadataJson } from 'libphonenumber-js/core';
import { onMetadataInstalled, phoneMetadata } from './metadata';

/* The parts of libphonenumber-js's Metadata class used here. They exist at run time but are not
 * in its typings; the package is pinned, and phone.test.ts (agreement with the library on every
 * country) would catch a change. */
interface FormatLike {
  pattern(): string;
  internationalFormat(): string;
  leadingDigitsPatterns(): string[];
  nationalPrefixIsMandatoryWhenFormattingInNationalFormat(): boolean;
}
interface TypeLike {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface PlanLike {
  callingCode(): string;
  nationalPrefix(): string | undefined;
  IDDPrefix(): string;
  formats(): FormatLike[];
  possibleLengths(): number[];
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  hasTypes(): boolean;
  type(name: string): TypeLike | undefined;
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
  /** National formats: which numbers they apply to, and whether they write the trunk prefix. */
  formats: { leading: RegExp | null; pattern: RegExp; unanchored: RegExp; international: string; trunkMandatory: boolean }[];
  /** The national prefix (and carrier code) as libphonenumber-js strips it; null if none. */
  prefixForParsing: RegExp | null;
  /** Rewrites the digits matched by `prefixForParsing` (with its capture groups), if any. */
  transform: string;
  general: RegExp;
  /** Possible lengths of national numbers (bit mask) and the longest. */
  lengths: number;
  maxLength: number;
  /** Per number type (fixed line, mobile, toll free, …): possible lengths bit mask and pattern. */
  types: { lengths: number; pattern: RegExp }[] | null;
}

/** Everything derived from the installed metadata; made on first use (throws MetadataNotLoaded before). */
interface Derived {
  json: MetadataJson;
  meta: MetadataLike;
  callingCodes: Record<string, string[]>;
}
let derived: Derived | null = null;
const infoCache = new Map<string, CountryInfo>();
const regexCache = new Map<string, RegExp>();

function current(): Derived {
  if (derived) return derived;
  const json = phoneMetadata();
  derived = { json, meta: new Metadata(json) as unknown as MetadataLike, callingCodes: json.country_calling_codes as Record<string, string[]> };
  return derived;
}

onMetadataInstalled(() => {
  derived = null;
  infoCache.clear();
  gates.clear();
  caches.clear();
});

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
  return /^[A-Z]{2}$/.test(country) && current().meta.hasCountry(country);
}

const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

function lengthMask(lengths: number[]): number {
  let mask = 0;
  for (const l of lengths) if (l < 31) mask |= 1 << l;
  return mask;
}

/**
 * libphonenumber-js's `isValid()` for a national number of `info`'s country, with the
 * regular expressions compiled once: the general pattern and one number type whose lengths
 * and pattern fit (what its getNumberType() does).
 */
function validFor(info: CountryInfo, nsn: string): boolean {
  if (!info.general.test(nsn)) return false;
  if (!info.types) return true;
  for (const t of info.types) if ((t.lengths >>> nsn.length) & 1 && t.pattern.test(nsn)) return true;
  return false;
}

/** The national significant number in national digits, stripping the prefix as the library does. */
function stripNationalPrefix(info: CountryInfo, digits: string): string {
  const m = info.prefixForParsing?.exec(digits);
  if (!m || m[0].length === 0) return digits;
  const captured = m.length > 1 && m[m.length - 1];
  const stripped = info.transform && captured ? digits.replace(info.prefixForParsing!, info.transform) : digits.slice(m[0].length);
  // the library keeps the prefix when only the unstripped digits fit the general pattern,
  // or when what is left is too short or of an impossible length
  if (info.general.test(digits) && !info.general.test(stripped)) return digits;
  if (!((info.lengths >>> stripped.length) & 1) && stripped.length < info.maxLength) return digits;
  return stripped;
}

function mainCountry(callingCode: string): CountryCode | undefined {
  const first = current().callingCodes[callingCode]?.[0];
  return first && first !== '001' ? (first as CountryCode) : undefined;
}

export function countryInfo(country: CountryCode): CountryInfo {
  let info = infoCache.get(country);
  if (info) return info;
  const { meta } = current();
  meta.selectNumberingPlan(country);
  const plan = meta.numberingPlan;
  if (!plan) throw new Error(`Unknown country ${country}`);
  const npfp = plan.nationalPrefixForParsing();
  let types: CountryInfo['types'] = null;
  if (plan.hasTypes()) {
    types = [];
    for (const name of TYPES) {
      const type = plan.type(name);
      if (!type?.pattern()) continue;
      types.push({ lengths: lengthMask(type.possibleLengths() ?? plan.possibleLengths()), pattern: re(type.pattern(), true) });
    }
  }
  info = {
    callingCode: plan.callingCode(),
    nationalPrefix: plan.nationalPrefix() ?? '',
    idd: re(plan.IDDPrefix() || '00', false),
    formats: plan.formats().map((f) => {
      const leading = f.leadingDigitsPatterns();
      const last = leading[leading.length - 1];
      return {
        leading: last === undefined ? null : re(last, false),
        pattern: re(f.pattern(), true),
        unanchored: new RegExp(f.pattern()),
        international: f.internationalFormat(),
        trunkMandatory: f.nationalPrefixIsMandatoryWhenFormattingInNationalFormat(),
      };
    }),
    prefixForParsing: npfp ? re(npfp, false) : null,
    transform: plan.nationalPrefixTransformRule() ?? '',
    general: re(plan.nationalNumberPattern(), true),
    lengths: lengthMask(plan.possibleLengths()),
    maxLength: Math.max(...plan.possibleLengths()),
    types,
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
    if (format.leading && !format.leading.test(nationalNumber)) continue;
    if (!format.pattern.test(nationalNumber)) continue;
    return format.trunkMandatory;
  }
  // no format for its length: go by a format for its leading digits, if any
  for (const format of info.formats) {
    if (format.leading?.test(nationalNumber)) return format.trunkMandatory;
  }
  return false;
}

/* ---------------------------------------------------------------- the metadata gate
 * A necessary condition for validity, compiled once per calling code from the metadata:
 * some suffix of the digits (what is left after an international or national prefix) has a
 * possible length and matches the general national-number pattern of a country with that
 * calling code. Cheap (one precompiled regular expression per try) and conservative: it only
 * skips library calls that could not succeed. */

interface CallingCodeGate {
  /** Bit n set: some country of the calling code has national numbers of n digits. */
  lengths: number;
  pattern: RegExp;
  /** A national prefix transform rule rewrites digits; the gate cannot reason about it. */
  open: boolean;
}

const gates = new Map<string, CallingCodeGate>();

function callingCodeGate(callingCode: string): CallingCodeGate {
  let gate = gates.get(callingCode);
  if (gate) return gate;
  let lengths = 0;
  let open = false;
  const patterns: string[] = [];
  const { meta, callingCodes } = current();
  const countries = callingCodes[callingCode] ?? [];
  for (const c of countries) {
    meta.selectNumberingPlan(c === '001' ? callingCode : c);
    const plan = meta.numberingPlan;
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
  const { callingCodes } = current();
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
  /** International format without extension (formatted on first read). */
  readonly display: string;
  /** Written in national notation (no `+`, no international call prefix). */
  national: boolean;
}

function parse(text: string, country: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry: country, extract: false }, current().json);
}

function toValid(pn: PhoneNumber, national: boolean): ValidNumber {
  return valid(pn.number, national, pn);
}

/** Separators that the library's international style turns into single spaces. */
const INTERNATIONAL_SEPARATORS = /[-\u2010-\u2015\u2212\u30fc\uff0d\uff0f/\uff0e.\s\u00ad\u200b\u2060()\uff08\uff09\uff3b\uff3d[\]~\u2053\u223c\uff5e]+/g;

/**
 * International format as libphonenumber-js's `formatInternational()` writes it, with the
 * country's compiled formats: the first format whose leading digits and pattern fit.
 */
function formatInternational(info: CountryInfo, nsn: string): string {
  for (const f of info.formats) {
    if (f.leading && !f.leading.test(nsn)) continue;
    if (!f.pattern.test(nsn)) continue;
    const formatted = nsn.replace(f.unanchored, f.international).replace(INTERNATIONAL_SEPARATORS, ' ').trim();
    return `+${info.callingCode} ${formatted}`;
  }
  return `+${info.callingCode} ${nsn}`;
}

/**
 * A valid number. Its display string is formatted on first read: callers that never show it
 * do not pay for it. `format` is the country whose formats apply (else the library formats).
 * A class, not an object literal with a getter: V8 builds such a literal through its slow path
 * (a closure and an accessor pair each time), which was a fifth of detection time on a contact table.
 */
class ValidPhone implements ValidNumber {
  private formatted: string | undefined;

  constructor(
    readonly number: string,
    readonly national: boolean,
    private readonly format: { info: CountryInfo; nsn: string } | PhoneNumber,
  ) {}

  get display(): string {
    const format = this.format;
    this.formatted ??= format instanceof PhoneNumber ? format.formatInternational() : formatInternational(format.info, format.nsn);
    return this.formatted;
  }
}

function valid(number: string, national: boolean, format: { info: CountryInfo; nsn: string } | PhoneNumber): ValidNumber {
  return new ValidPhone(number, national, format);
}

/** Some other country sharing `callingCode` (or the main one) has `nsn` as a valid number. */
function validElsewhere(callingCode: string, nsn: string, except: string): boolean {
  for (const c of current().callingCodes[callingCode] ?? []) {
    if (c === except || c === '001') continue;
    const info = countryInfo(c as CountryCode);
    if (validFor(info, nsn) || validFor(info, stripNationalPrefix(info, nsn))) return true;
  }
  return false;
}

/**
 * Decides the common cases without a library parse, with the same regular expressions the
 * library would use (compiled once): `+` and a calling code whose main country accepts the
 * rest, or national digits valid for the default country once the national prefix is stripped
 * as the library strips it. Returns undefined when only the library can tell: numbers of other
 * countries sharing the calling code, international call prefixes, a trunk 0 after the
 * calling code, non-geographic calling codes.
 */
function fastPath(digits: string, plus: boolean, country: CountryCode): ValidNumber | null | undefined {
  if (plus) {
    const { callingCodes } = current();
    for (let l = 1; l <= 3 && l < digits.length; l++) {
      const cc = digits.slice(0, l);
      if (!callingCodes[cc]) continue;
      const main = mainCountry(cc);
      if (!main) return undefined;
      const nsn = digits.slice(l);
      const info = countryInfo(main);
      if (validFor(info, nsn)) {
        return valid('+' + digits, false, { info, nsn });
      }
      if (nsn.startsWith('0') || validElsewhere(cc, nsn, main)) return undefined;
      return null;
    }
    return null;
  }
  const info = countryInfo(country);
  if (info.idd.test(digits) || digits.startsWith('00')) return undefined;
  const nsn = stripNationalPrefix(info, digits);
  if (validFor(info, nsn)) {
    if (nsn.length === digits.length && trunkPrefixMandatory(info, nsn)) return null;
    return valid(`+${info.callingCode}${nsn}`, true, { info, nsn });
  }
  return nationalValidElsewhere(info.callingCode, digits, nsn, country) ? undefined : null;
}

/**
 * National digits read in `except` (the default country) that another country sharing its calling
 * code accepts: a Canadian number on a US page. The library strips the national prefix by the
 * default country's rules before it looks at the others, so their own prefix rules are not
 * applied; that matters in the NANP, where a Grenadian prefix rule turns any seven digits into a
 * local number, and would otherwise send every 7-digit id on a US page to a library parse.
 */
function nationalValidElsewhere(callingCode: string, digits: string, nsn: string, except: string): boolean {
  for (const c of current().callingCodes[callingCode] ?? []) {
    if (c === except || c === '001') continue;
    const info = countryInfo(c as CountryCode);
    if (validFor(info, nsn) || validFor(info, digits)) return true;
  }
  return false;
}

function validateUncached(digits: string, plus: boolean, country: CountryCode): ValidNumber | null {
  const fast = fastPath(digits, plus, country);
  return fast !== undefined ? fast : validateWithLibrary(digits, plus, country);
}

/** The reference: a libphonenumber-js parse and `isValid()` (exported for the tests). */
export function validateWithLibrary(digits: string, plus: boolean, country: CountryCode): ValidNumber | null {
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
      // "4930901820" read as +49 30 901820: a calling code without "+" is not taken from text
      if (digits.startsWith(pn.countryCallingCode) && stripNationalPrefix(info, digits) !== pn.nationalNumber) return null;
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

/** Per default country: digits (with a leading '+' when written with one) → result. */
const caches = new Map<string, Map<string, ValidNumber | null>>();
const CACHE_LIMIT = 4096;

/** Forgets cached validation results (benchmarks use it to time first passes). */
export function clearValidationCache(): void {
  caches.clear();
}

/** Validates a digit string (ASCII digits only) read in `country`; `plus` when written with `+`. */
export function validateDigits(digits: string, plus: boolean, country: CountryCode): ValidNumber | null {
  let cache = caches.get(country);
  if (!cache) {
    cache = new Map();
    caches.set(country, cache);
  }
  const key = plus ? '+' + digits : digits;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = gate(digits, plus, country) ? validateUncached(digits, plus, country) : null;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}
