/**
 * SIP (`sip:` / `sips:`, RFC 3261 §19.1) and `tel:` (RFC 3966) URI readers that work on a
 * position inside running text: they read as much of the URI as the grammar allows, then drop
 * trailing sentence punctuation, so `Call sip:bob@example.com.` yields `sip:bob@example.com`.
 */
import { isWordLetter } from './chars';

const USER = 1; // user / password characters (unreserved, escaped, user-unreserved)
const HOST = 2; // hostname characters
const PARAM = 4; // uri-parameter characters (paramchar, plus '=' between name and value)
const HEADER = 8; // header characters

const table = new Uint8Array(128);
function mark(chars: string, bits: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= bits;
}
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
mark(ALNUM, USER | HOST | PARAM | HEADER);
mark("-_.!~*'%", USER | PARAM | HEADER);
mark('-.', HOST);
mark('()&=+$,;?/', USER);
mark('[]/:&+$=', PARAM);
mark('[]/?:+$=&', HEADER);

function has(code: number, bits: number): boolean {
  return code < 128 && (table[code]! & bits) !== 0;
}

/** Characters that end a sentence or a clause and are not taken as the URI's last character. */
function isTrailingPunct(code: number): boolean {
  // . , ; : ! ? ' ) and the closing quote
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 39 || code === 41;
}

export interface SipUri {
  start: number;
  end: number;
  /** Normalised URI: scheme and host lower-cased, the rest as written. */
  uri: string;
  /** `user@host[:port]` (or `host[:port]`). */
  display: string;
  user: string;
}

/** A host name (labels of letters, digits and inner hyphens; the last one starts with a letter) or a dotted IPv4 address. */
function validHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  let labelStart = 0;
  let labels = 0;
  let numeric = true; // every label so far is all digits, at most 3 of them and ≤ 255
  for (let i = 0; i <= host.length; i++) {
    if (i < host.length && host.charCodeAt(i) !== 46) continue;
    const label = host.slice(labelStart, i);
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
    if (!/^[0-9]{1,3}$/.test(label) || Number(label) > 255) numeric = false;
    labels++;
    labelStart = i + 1;
  }
  const last = host.slice(host.lastIndexOf('.') + 1);
  if (/^[0-9]+$/.test(last)) return numeric && labels === 4;
  return /^[a-zA-Z]/.test(last);
}

/**
 * Reads a SIP URI whose scheme starts at `start` (`sip:` or `sips:`, any case).
 * Returns null when the text there is not a SIP URI with a usable host.
 */
export function readSipUri(text: string, start: number, limit = text.length): SipUri | null {
  let i = start;
  const lower = text.slice(start, start + 5).toLowerCase();
  let scheme: string;
  if (lower.startsWith('sips:')) scheme = 'sips';
  else if (lower.startsWith('sip:')) scheme = 'sip';
  else return null;
  i += scheme.length + 1;

  // userinfo: everything up to '@', if an '@' comes before a character a user may not contain
  let userinfo = '';
  let j = i;
  while (j < limit && (has(text.charCodeAt(j), USER) || text.charCodeAt(j) === 58 /* : password */)) j++;
  if (j < limit && text.charCodeAt(j) === 64 /* @ */ && j > i) {
    userinfo = text.slice(i, j);
    i = j + 1;
  }

  // host
  let host: string;
  if (text.charCodeAt(i) === 91 /* [ */) {
    const close = text.indexOf(']', i);
    if (close < 0 || close - i > 47) return null;
    host = text.slice(i, close + 1);
    if (!/^\[[0-9a-fA-F:.]+\]$/.test(host) || !host.includes(':')) return null;
    i = close + 1;
  } else {
    j = i;
    while (j < limit && has(text.charCodeAt(j), HOST)) j++;
    // a trailing dot ends the sentence, not the host name
    while (j > i && (text.charCodeAt(j - 1) === 46 || text.charCodeAt(j - 1) === 45)) j--;
    host = text.slice(i, j);
    // "sip:alice@bücher.example": an internationalised host we do not read, not "sip:alice@b"
    if (!validHostname(host) || (j < text.length && text.charCodeAt(j) > 127 && isWordLetter(text.charCodeAt(j)))) return null;
    i = j;
  }

  // port
  let port = '';
  if (text.charCodeAt(i) === 58) {
    j = i + 1;
    while (j < limit && j - i <= 6 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const digits = text.slice(i + 1, j);
    const next = text.charCodeAt(j);
    const alnum = (next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122);
    if (digits.length > 0 && digits.length <= 5 && Number(digits) <= 65535 && !alnum) {
      port = ':' + digits;
      i = j;
    }
  }

  // parameters and headers
  j = i;
  while (j < limit && text.charCodeAt(j) === 59 /* ; */ && has(text.charCodeAt(j + 1), PARAM)) {
    j++;
    while (j < limit && has(text.charCodeAt(j), PARAM)) j++;
  }
  if (j < limit && text.charCodeAt(j) === 63 /* ? */ && has(text.charCodeAt(j + 1), HEADER)) {
    j++;
    while (j < limit && has(text.charCodeAt(j), HEADER)) j++;
  }
  while (j > i && isTrailingPunct(text.charCodeAt(j - 1))) j--;
  const rest = text.slice(i, j);
  i = j;

  if (userinfo.length > 0 && /^[:]|[:]$/.test(userinfo)) return null;
  const user = userinfo.split(':')[0] ?? '';
  const hostLower = host.toLowerCase();
  const uri = `${scheme}:${userinfo ? userinfo + '@' : ''}${hostLower}${port}${rest}`;
  const display = `${user ? user + '@' : ''}${hostLower}${port}`;
  return { start, end: i, uri, display, user };
}

export interface TelUri {
  start: number;
  end: number;
  /** The number as written, visual separators removed, with its leading '+' if any. */
  number: string;
  extension?: string;
  phoneContext?: string;
}

/** Reads a `tel:` URI starting at `start`. Only the number and `ext` / `phone-context` matter. */
export function readTelUri(text: string, start: number, limit = text.length): TelUri | null {
  if (text.slice(start, start + 4).toLowerCase() !== 'tel:') return null;
  let i = start + 4;
  let number = '';
  if (text.charCodeAt(i) === 43) {
    number = '+';
    i++;
  }
  let lastDigit = -1;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      number += text[i];
      lastDigit = i;
    } else if (c !== 45 && c !== 46 && c !== 40 && c !== 41) break;
  }
  if (lastDigit < 0) return null;
  let end = lastDigit + 1;
  // parentheses are visual separators; a ')' right after the digits is kept only if balanced
  if (text.charCodeAt(end) === 41 && text.lastIndexOf('(', end) > start) end++;
  let extension: string | undefined;
  let phoneContext: string | undefined;
  i = end;
  while (i < limit && text.charCodeAt(i) === 59 && has(text.charCodeAt(i + 1), PARAM)) {
    let j = i + 1;
    while (j < limit && has(text.charCodeAt(j), PARAM)) j++;
    while (j > i + 1 && isTrailingPunct(text.charCodeAt(j - 1))) j--;
    const param = text.slice(i + 1, j);
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : param.slice(eq + 1);
    if (name === 'ext') {
      const digits = value.replace(/[-.()]/g, '');
      if (/^[0-9]{1,10}$/.test(digits)) extension = digits;
      else return null;
    } else if (name === 'phone-context') phoneContext = value;
    end = j;
    i = j;
  }
  return { start, end, number, extension, phoneContext };
}
