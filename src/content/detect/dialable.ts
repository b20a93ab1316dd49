import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/core';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';
import type { DialableResult } from './types';
import { isKnownCountry } from './phone';
import { phoneMetadata } from './metadata';
import { readSipUri, readTelUri } from './sip';

import type { DialableOptions } from './engine';

export type { DialableOptions };

/** Phone keypad digit of an upper-case letter (vanity numbers: 1-800-FLOWERS). */
function keypad(letter: string): string {
  const i = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(letter);
  return i < 0 ? letter : '22233344455566677778889999'[i]!;
}

function fail(reason: string): DialableResult {
  return { ok: false, reason };
}

function parse(text: string, country: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, { defaultCountry: country, extract: false }, phoneMetadata());
}

function phoneResult(pn: PhoneNumber, ext: string | undefined): DialableResult {
  const display = pn.formatInternational();
  return ext ? { ok: true, dial: `${pn.number};ext=${ext}`, display: `${display} ext. ${ext}` } : { ok: true, dial: pn.number, display };
}

const EXT_SUFFIX = /^(.*?)\s*[,;]?\s*(?:ext\.?|extn\.?|extension|x|#)\s*:?\s*([0-9]{1,6})$/i;

/** A phone number typed or selected by the user, in any common notation. */
function dialPhone(input: string, country: CountryCode, extension?: string): DialableResult {
  let body = input;
  let ext = extension;
  const m = EXT_SUFFIX.exec(body);
  if (m && /[0-9]/.test(m[1] ?? '')) {
    body = m[1]!;
    ext ??= m[2];
  }
  // Vanity numbers: 1-800-FLOWERS
  if (/^\+?[0-9][0-9 ().\-]*[A-Za-z][A-Za-z0-9 \-]*$/.test(body) && /[0-9]/.test(body)) {
    const letters = body.replace(/[^A-Za-z]/g, '');
    if (letters.length >= 3) body = body.toUpperCase().replace(/[A-Z]/g, keypad);
  }
  const compact = body.replace(/[\s\u00a0\u2009\u202f().\-/\u2010-\u2013\u2212]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return fail('Not a phone number: only digits, spaces, + - . / ( ) and an extension are allowed.');
  const plus = compact.startsWith('+');
  const digits = plus ? compact.slice(1) : compact;
  if (digits.length < 3) return fail('Too short to be a phone number.');
  if (digits.length > 17) return fail('Too long to be a phone number.');

  const pn = parse(compact, country);
  if (pn?.isValid()) return phoneResult(pn, ext);
  if (!plus && digits.startsWith('00')) {
    const intl = parse('+' + digits.slice(2), country);
    if (intl?.isValid()) return phoneResult(intl, ext);
  }
  if (pn && plus && pn.nationalNumber.startsWith('0')) {
    const again = parse(`+${pn.countryCallingCode}${pn.nationalNumber.slice(1)}`, country);
    if (again?.isValid()) return phoneResult(again, ext);
  }
  const length = validatePhoneNumberLength(compact, { defaultCountry: country }, phoneMetadata());
  switch (length) {
    case 'TOO_SHORT':
      return fail(plus ? 'Too short for an international number.' : `Too short for a phone number in ${country}.`);
    case 'TOO_LONG':
      return fail(plus ? 'Too long for an international number.' : `Too long for a phone number in ${country}.`);
    case 'INVALID_COUNTRY':
      return fail('Unknown country calling code.');
    case 'INVALID_LENGTH':
      return fail(plus ? 'Wrong number of digits for that country.' : `Wrong number of digits for a phone number in ${country}.`);
    default:
      return fail(plus ? 'Not a valid international phone number.' : `Not a valid phone number in ${country} (add + and the country code for other countries).`);
  }
}

function dialSip(uriText: string): DialableResult {
  const uri = readSipUri(uriText, 0);
  if (!uri || uri.end !== uriText.length) {
    const at = uriText.indexOf('@');
    const colon = uriText.indexOf(':');
    if (at === colon + 1) return fail('Not a valid SIP address: the user name before "@" is empty.');
    if (at === uriText.length - 1 || uriText.length === colon + 1) return fail('Not a valid SIP address: the host is missing.');
    if (/\s/.test(uriText)) return fail('Not a valid SIP address: it contains spaces.');
    return fail('Not a valid SIP address: the user or host contains characters that are not allowed.');
  }
  return { ok: true, dial: uri.uri, display: uri.display };
}

/**
 * Reads what a user typed into a dialer field or selected on a page: a phone number in any
 * notation (national, `+…`, `00…`, with an extension, vanity letters), a `sip:`, `sips:` or
 * `tel:` URI, `user@host`, or a bare user name. Phone numbers dial as E.164 (`;ext=` appended
 * for extensions), everything else as a SIP URI. A bare name gives `sip:bob`, or
 * `sip:bob@<sipDomain>` when a domain is given.
 */
export function parseDialable(input: string, country: CountryCode, options: DialableOptions = {}): DialableResult {
  const defaultCountry = isKnownCountry(country) ? country : 'US';
  const s = input
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .replace(/^(["'])(.*)\1$/, '$2')
    .trim();
  if (!s) return fail('Nothing to dial: the input is empty.');
  if (s.length > 256) return fail('Too long to be a phone number or SIP address.');
  const lower = s.toLowerCase();
  if (lower.startsWith('sip:') || lower.startsWith('sips:')) return dialSip(s);
  if (lower.startsWith('tel:')) {
    const tel = readTelUri(s, 0);
    if (!tel || tel.end !== s.length) return fail('Not a valid tel: URI.');
    return dialPhone(tel.number, defaultCountry, tel.extension);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s);
  if (scheme && !/^[a-z0-9._~!$&'*+=-]+:[^@\s]*@/i.test(s)) {
    return fail(`Cannot call a "${scheme[1]!.toLowerCase()}:" address; use a phone number or a sip:, sips: or tel: address.`);
  }
  if (s.includes('@')) return dialSip('sip:' + s);
  if (/^[+(0-9\uff10-\uff19]/.test(s) && /[0-9\uff10-\uff19]/.test(s)) {
    return dialPhone(s.normalize('NFKC'), defaultCountry);
  }
  if (/^[A-Za-z0-9][A-Za-z0-9._~!$&'*+=-]*$/.test(s)) {
    const domain = options.sipDomain?.trim().toLowerCase();
    return dialSip(domain ? `sip:${s}@${domain}` : `sip:${s}`);
  }
  return fail('Not a phone number or SIP address.');
}
