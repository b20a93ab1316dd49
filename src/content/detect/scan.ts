/**
 * The text scanner: finds phone numbers, `tel:` URIs and SIP URIs in plain text.
 *
 * Phone numbers go through three stages, cheapest first:
 *
 * 1. Prefilter. One pass over the text's UTF-16 code units; anything but a digit, `:` or `.`
 *    costs a table lookup. A digit starts a *run*: digit groups joined by gaps of at most four
 *    separator characters (one space, one of `- . /` and their Unicode look-alikes, `(` / `)`,
 *    or ` - ` / ` / `), with an optional leading `+` or `(`. Runs with fewer than 6 digits end
 *    here, which is where most of a page's digits go.
 * 2. Shape rules on the run, no library calls. Boundaries: a run glued to a letter, `$`, `#`,
 *    `@`, `/`, `=`, `-`, `%`, a decimal point or comma, a time colon, … bars its first or last
 *    chunk. Whole-run or group bars: cards (three or four groups of four, Luhn to pick the card
 *    out of a longer row; Amex 4-6-5), IBANs, ISBN-13 in groups, thousands groupings; per
 *    tight segment: dates, IPv4 addresses, version strings, ZIP+4 and CEP codes, CPF / CNPJ,
 *    ISBNs and decimals; a day before a month name.
 * 3. Validation. The run is cut at spaces and slashes into chunks; the longest chain of unbarred
 *    chunks (≤ 17 digits) that is a valid number (phone.ts: libphonenumber-js `max` metadata)
 *    wins, then scanning goes on after it; a chunk opening with a trunk 0 inside that chain
 *    starts a second number if both halves are valid. National numbers in countries that always
 *    write the trunk prefix must carry it. A bare 10- or 13-digit run starting with 1 (a Unix
 *    timestamp in s or ms) needs a phone label ("Tel", "call", "☎", …) right before it; the
 *    number right after an identifier label ("Order", "Invoice", "SKU", "#", "№") is dropped
 *    (context.ts).
 *
 * `sip:`, `sips:` and `tel:` are recognised at their colon; `scheme://…`, `mailto:…` and
 * `www.…` tokens are skipped whole, so digits inside URLs are never read.
 */
import type { CountryCode } from 'libphonenumber-js/core';
import type { Detection } from './types';
import { phoneEngine, type EngineNumber as ValidNumber } from './engine';
import { readSipUri, readTelUri } from './sip';
import { contextBefore, gluedPhoneWord } from './context';
import {
  isAsciiDigit,
  isCloseParen,
  isCurrency,
  isDigit,
  isOpenParen,
  isPlus,
  isSeparator,
  isSpace,
  isWhitespace,
  isWordLetter,
} from './chars';

const MAX_GROUPS = 48;
/** E.164 allows 15 digits; 17 leaves room for a written international call prefix (`011`). */
const MAX_NUMBER_DIGITS = 17;
const MIN_NATIONAL_DIGITS = 6;
const MIN_INTERNATIONAL_DIGITS = 7;

// Scratch space for the run being examined (detect() is synchronous and not re-entrant).
const gStart = new Int32Array(MAX_GROUPS);
const gEnd = new Int32Array(MAX_GROUPS);
/** Per group: the gap before it has a space. */
const gapSpace = new Uint8Array(MAX_GROUPS);
/** Per group: the separator character in the gap before it (0 if none). */
const gapSep = new Int32Array(MAX_GROUPS);
const gapOpen = new Uint8Array(MAX_GROUPS);
const gapClose = new Uint8Array(MAX_GROUPS);
/** Per group: part of a date, IP address, … */
const gBarred = new Uint8Array(MAX_GROUPS);
const chFirst = new Int32Array(MAX_GROUPS);
const chLast = new Int32Array(MAX_GROUPS);
const chDigits = new Int32Array(MAX_GROUPS);
const chBarred = new Uint8Array(MAX_GROUPS);

interface Ext {
  digits: string;
  end: number;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Case-insensitive ASCII comparison of `text` at `at` with the lower-case `word`. */
function startsWithWord(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (lowerAscii(text.charCodeAt(at + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function digitText(text: string, s: number, e: number): string {
  let ascii = true;
  for (let k = s; k < e; k++) if (text.charCodeAt(k) > 57) ascii = false;
  if (ascii) return text.slice(s, e);
  let out = '';
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    out += String.fromCharCode(c > 57 ? c - 0xff10 + 48 : c);
  }
  return out;
}

/** Chunk c starts with a trunk 0: likely the first chunk of a national number. */
function opensNumber(text: string, c: number): boolean {
  const d = text.charCodeAt(gStart[chFirst[c]!]!);
  return d === 48 || d === 0xff10;
}

function allShortGroups(a: number, b: number): boolean {
  for (let g = a; g <= b; g++) if (gEnd[g]! - gStart[g]! > 2) return false;
  return true;
}

function groupValue(text: string, g: number): number {
  let v = 0;
  for (let k = gStart[g]!; k < gEnd[g]!; k++) {
    const c = text.charCodeAt(k);
    v = v * 10 + (c > 57 ? c - 0xff10 : c - 48);
  }
  return v;
}

function glen(g: number): number {
  return gEnd[g]! - gStart[g]!;
}

const EXT_WORDS = ['extension', 'extn', 'ext', 'durchwahl', 'poste', 'ramal', 'app', 'dw', 'x'];

/** An extension right after a number: ` x 204`, `x204`, `, ext. 204`, ` (ext 204)`, ` #204`, ` 内線204`. */
function readExtension(text: string, at: number): Ext | null {
  const n = text.length;
  let i = at;
  // quick exit: the next non-space character cannot start an extension
  let q = at;
  while (q < n && q - at < 3 && (isSpace(text.charCodeAt(q)) || text.charCodeAt(q) === 44)) q++;
  const first = lowerAscii(text.charCodeAt(q));
  if (!(first === 120 || first === 101 || first === 35 || first === 40 || first === 100 || first === 112 || first === 114 || first === 97 || first === 0xff03 || first === 0x5185 || first === 0xff08 || first === 45 || first === 0x2013)) {
    return null;
  }
  let spaces = 0;
  if (text.charCodeAt(i) === 44) i++; // ','
  while (i < n && isSpace(text.charCodeAt(i)) && spaces < 2) {
    i++;
    spaces++;
  }
  // "(11) 3333-4444 - ramal 12", "030 1234567 – Durchwahl 12"
  if ((text.charCodeAt(i) === 45 || text.charCodeAt(i) === 0x2013) && isSpace(text.charCodeAt(i + 1)) && spaces > 0) i += 2;
  let paren = false;
  if (isOpenParen(text.charCodeAt(i))) {
    paren = true;
    i++;
  }
  const c = text.charCodeAt(i);
  let k = -1;
  if (c === 35 /* # */ || c === 0xff03) k = i + 1;
  else if (text.startsWith('内線', i)) k = i + 2;
  else {
    for (const word of EXT_WORDS) {
      if (startsWithWord(text, i, word) && !isWordLetter(text.charCodeAt(i + word.length))) {
        k = i + word.length;
        if (text.charCodeAt(k) === 46) k++; // "ext.", "x.12"
        break;
      }
    }
  }
  if (k < 0) return null;
  // "poste : 12", "Ext-204", "ext# 12", "Durchwahl -12", "Ext. No. 12"
  if (isSpace(text.charCodeAt(k)) && (text.charCodeAt(k + 1) === 58 || text.charCodeAt(k + 1) === 45)) k++;
  const mark = text.charCodeAt(k);
  if (mark === 58 || mark === 0xff1a || mark === 35 || mark === 45) k++;
  else if (isSpace(mark)) k += 1 + (/^(?:no|nr)\.? ?/i.exec(text.slice(k + 1, k + 5))?.[0].length ?? -1);
  let sp = 0;
  while (k < n && isSpace(text.charCodeAt(k)) && sp < 2) {
    k++;
    sp++;
  }
  const ds = k;
  while (k < n && isDigit(text.charCodeAt(k)) && k - ds <= 6) k++;
  const len = k - ds;
  if (len < 1 || len > 6) return null;
  let end = k;
  if (text.charCodeAt(end) === 0x756a) end++; // "内線204番"
  if (paren) {
    if (!isCloseParen(text.charCodeAt(end))) return null;
    end++;
  }
  return { digits: digitText(text, ds, k), end };
}

/** The word ending at `end` (exclusive) is a code: a letter, then letters and digits, ending in a digit ("AA1", "X7B2"). */
function mixedTokenBefore(text: string, end: number): boolean {
  if (!isAsciiDigit(text.charCodeAt(end - 1))) return false;
  let i = end - 1;
  while (i > 0 && end - i < 10) {
    const c = text.charCodeAt(i - 1);
    if (isAsciiDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) i--;
    else break;
  }
  const first = text.charCodeAt(i);
  const startsWithLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  return startsWithLetter && end - i >= 3 && (i === 0 || isWhitespace(text.charCodeAt(i - 1)));
}

/** The character before a run (before its `+` / `(`) shows it is part of something else. */
function badLeft(text: string, rs: number): boolean {
  if (rs === 0) return false;
  const c = text.charCodeAt(rs - 1);
  if (isSpace(c)) {
    // the rest of a code of letters and digits: "1Z 999 AA1 01 2345 6784"
    if (isDigit(text.charCodeAt(rs)) && mixedTokenBefore(text, rs - 1)) return true;
    // "€ 1.234.567", "R$ 12345678"; but in "19,99 € 0412 345 678" the € closes the amount before
    if (rs < 2 || !isCurrency(text.charCodeAt(rs - 2))) return false;
    const before = rs >= 3 ? text.charCodeAt(rs - 3) : 32;
    return !(isDigit(before) || (isSpace(before) && rs >= 4 && isDigit(text.charCodeAt(rs - 4))));
  }
  if (isWhitespace(c)) return false;
  // "TEL03-1234-5678": a phone word glued to its number, as business cards print it
  if (isWordLetter(c)) return !gluedPhoneWord(text, rs);
  if (isDigit(c) || isCurrency(c) || c === 0x7b2c /* 第 */) return true;
  switch (c) {
    case 44: // ,
      return rs >= 2 && isDigit(text.charCodeAt(rs - 2)) && !commaBetweenNumbers(text, rs - 1);
    case 46: // .
    case 58: // :
      return rs >= 2 && isDigit(text.charCodeAt(rs - 2));
    case 45: // -
    case 35: // #
    case 0xff03:
      // "Mob-9876543210", "Ph:-022-23456789", "Fax #212-555-0190": a phone label's punctuation
      return !contextBefore(text, rs).phone;
    case 0x2010:
    case 0x2011:
    case 0x2212:
    case 47: // /
    case 92: // \
    case 64: // @
    case 37: // %
    case 61: // =
    case 38: // &
    case 95: // _
    case 94: // ^
    case 126: // ~
    case 96: // `
    case 43: // +
    case 0xb0: // °
    case 0x2116: // №
    case 0x3012: // 〒 (Japanese postal code mark)
      return true;
    default:
      return false;
  }
}

/** Currency codes and words that follow an amount: "12345678 EUR", "1 234 567 €". */
const AMOUNT_WORDS = new Set(['eur', 'euro', 'euros', 'usd', 'gbp', 'inr', 'brl', 'jpy', 'aud', 'chf', 'cad', 'dollars', 'reais', 'rupees', 'rs', 'yen']);

/** Units after a quantity: a bare digit run followed by one ("2147483648 bytes", "4155550101 views") is not a phone number. */
const UNIT_WORDS = new Set([
  'bytes', 'byte', 'bits', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'ms', 'sec', 'secs', 'seconds', 'minutes', 'mins', 'hours', 'hrs', 'days',
  'km', 'kg', 'lbs', 'px', 'pixels', 'views', 'likes', 'followers', 'subscribers', 'downloads', 'users', 'visitors', 'points', 'votes', 'rows',
  'records', 'items', 'units', 'tokens', 'words', 'characters', 'chars', 'steps',
]);

/** Hours after a number: "1300 655 506 24 hours" (the 24 is not the number's). */
const HOUR_WORDS = new Set(['hours', 'hour', 'hrs', 'hr', 'h', 'std', 'stunden', 'heures', 'heure', 'horas', 'hs']);

/** True when the whole word starting at `at` (letters, any case) is one of `words` (lower case). */
function wordIn(words: ReadonlySet<string>, text: string, at: number): boolean {
  let e = at;
  while (e < text.length && e - at < 12 && isWordLetter(text.charCodeAt(e))) e++;
  return e > at && !isWordLetter(text.charCodeAt(e)) && words.has(text.slice(at, e).toLowerCase());
}

/** CJK counters after a quantity: 円 (yen), 万, 億, 件, 個, 人, 年, 月, 日, 回, 名, 枚, 本, 台, 点, 位, 号, 番, 歳, 冊, 元. */
const CJK_COUNTERS = '円万億件個人年月日時分秒回名枚本台点位号番歳冊元';

/** The character after a run (and its extension) shows it is part of something else. */
function badRight(text: string, re: number): boolean {
  if (re >= text.length) return false;
  const c = text.charCodeAt(re);
  if (isSpace(c)) {
    // "1 234 567 €", "12345678 EUR" ($, £, ¥ and ₹ go before amounts, not after them);
    // but in "… 05 38 € 89.547,09" or "… 99 62 USD 49,253" the currency opens the next amount
    let e = re + 1;
    if (text.charCodeAt(e) === 0x20ac) e++;
    else if (wordIn(AMOUNT_WORDS, text, e)) while (isWordLetter(text.charCodeAt(e))) e++;
    else return false;
    if (isSpace(text.charCodeAt(e))) e++;
    return !isDigit(text.charCodeAt(e));
  }
  if (isWhitespace(c)) return false;
  if (c >= 0x4e00 && CJK_COUNTERS.includes(text[re]!)) return true;
  if (isWordLetter(c) || isCurrency(c)) return true;
  if (c === 46 || c === 95 || c === 45 || c === 43) {
    // the local part of an e-mail address: 4155550101.sales@example.com
    let e = re + 1;
    while (e < text.length && e - re < 64) {
      const d = text.charCodeAt(e);
      if (d === 64) return true;
      if (!(isWordLetter(d) || isAsciiDigit(d) || d === 46 || d === 95 || d === 45 || d === 43)) break;
      e++;
    }
  }
  switch (c) {
    case 44: // ,
      return re + 1 < text.length && isDigit(text.charCodeAt(re + 1)) && !commaBetweenNumbers(text, re);
    case 46: // .
    case 58: // :
      return re + 1 < text.length && isDigit(text.charCodeAt(re + 1));
    case 45:
    case 0x2010:
    case 0x2011:
    case 0x2212:
    case 47:
    case 92:
    case 35:
    case 64:
    case 37:
    case 61:
    case 38:
    case 95:
    case 94:
    case 126:
    case 96:
    case 43:
    case 0xb0: // °
    case 0x2032: // ′
    case 0x2033: // ″
    case 0xd7: // ×
    case 0x2030: // ‰
    case 0xff05: // ％
      return true;
    default:
      return false;
  }
}

/**
 * The comma at `at`, between digits, lists two numbers ("415-555-0174,415-555-0175",
 * "0412 345 686,0412 345 687") rather than marking decimals or thousands ("19,99", "1,234.56"):
 * what follows it is four digits or more, or three and a hyphen.
 */
function commaBetweenNumbers(text: string, at: number): boolean {
  const next = text.charCodeAt(at + 1);
  if (isPlus(next) || isOpenParen(next)) return true; // ",+91 …", ",(415) …": never decimals
  let e = at + 1;
  while (e < text.length && e - at <= 4 && isDigit(text.charCodeAt(e))) e++;
  const digits = e - at - 1;
  if (digits >= 4 || (digits === 3 && (text.charCodeAt(e) === 45 || text.charCodeAt(e) === 0x2010 || text.charCodeAt(e) === 0x2011))) return true;
  // "94105,415.555.0101", "80331,089 1234567": four digits or more before the comma are no thousands
  let b = at;
  while (b > 0 && at - b < 5 && isDigit(text.charCodeAt(b - 1))) b--;
  return at - b >= 4 && digits === 3;
}

/** `DE89 3704 0044 …` or `GB29 NWBK 6016 …`: the run belongs to an IBAN. */
function inIban(text: string, rs: number, firstLen: number): boolean {
  // "DE89 …": two capitals glued to a two-digit first group
  if (firstLen === 2 && rs >= 2) {
    const a = text.charCodeAt(rs - 1);
    const b = text.charCodeAt(rs - 2);
    if (a >= 65 && a <= 90 && b >= 65 && b <= 90 && (rs < 3 || !isWordLetter(text.charCodeAt(rs - 3)))) return true;
  }
  // "GB29 NWBK 6016 …": walk back over four-character groups to the "GB29" head
  let pos = rs;
  for (let steps = 0; steps < 8; steps++) {
    if (pos < 2 || text.charCodeAt(pos - 1) !== 32) return false;
    let s = pos - 1;
    while (s > 0 && s > pos - 7) {
      const c = text.charCodeAt(s - 1);
      if ((c >= 65 && c <= 90) || isAsciiDigit(c)) s--;
      else break;
    }
    const token = text.slice(s, pos - 1);
    if (/^[A-Z]{2}[0-9]{2}$/.test(token)) return true;
    if (token.length !== 4) return false;
    pos = s;
  }
  return false;
}

/**
 * Marks groups `a..b` (one tight segment: no spaces between them) that form a non-phone shape.
 * `afterAreaCode`: groups before the segment open a number ("+49 30", "030", "(089)").
 */
function barSegment(text: string, a: number, b: number, plus: boolean, country: CountryCode, afterAreaCode: boolean): void {
  const count = b - a + 1;
  if (count === 1) return;
  let sep = gapSep[a + 1]!;
  for (let g = a + 2; g <= b; g++) if (gapSep[g] !== sep) sep = -1;
  let digits = 0;
  for (let g = a; g <= b; g++) digits += glen(g);
  let bad = false;
  const dot = sep === 46 || sep === 0xff0e;
  if (count === 3 && sep > 0 && !plus) {
    // dates: d.m.y, m/d/y, y-m-d, y/m/d (2- or 4-digit years)
    const l0 = glen(a);
    const l1 = glen(a + 1);
    const l2 = glen(a + 2);
    const v0 = groupValue(text, a);
    const v1 = groupValue(text, a + 1);
    const v2 = groupValue(text, a + 2);
    if (l0 <= 2 && l1 <= 2 && (l2 === 2 || l2 === 4)) {
      bad = v0 >= 1 && v1 >= 1 && ((v0 <= 31 && v1 <= 12) || (v0 <= 12 && v1 <= 31));
    } else if (l0 === 4 && l1 <= 2 && l2 <= 2) {
      bad = v0 >= 1900 && v0 <= 2099 && v1 >= 1 && v1 <= 12 && v2 >= 1 && v2 <= 31;
    }
  }
  if (!bad && !plus && (count === 2 || count === 4)) {
    // times written with a dot: "07.30", "07.30–16.30" (opening hours, timetables)
    const dash = count === 4 ? gapSep[a + 2]! : 45;
    bad = (count === 2 ? dot : gapSep[a + 1] === 46 && gapSep[a + 3] === 46) && (dash === 45 || dash === 0x2013) && clockTime(text, a) && (count === 2 || clockTime(text, a + 2));
  }
  if (!bad && dot && count === 4 && !plus) {
    // IPv4
    bad = true;
    for (let g = a; g <= b; g++) if (glen(g) > 3 || groupValue(text, g) > 255) bad = false;
  }
  if (!bad && dot && count >= 3 && !plus) {
    // versions: 10.2.3.4567, 5.0.2195.6601 (a one-digit group after the first)
    for (let g = a + 1; g <= b; g++) if (glen(g) === 1) bad = true;
  }
  if (!bad && count === 2 && (sep === 45 || sep === 0x2010 || sep === 0x2011) && glen(a) === 5) {
    // US ZIP+4 (94103-1234) opening the run ("(11) 91234-5678" is a Brazilian mobile number),
    // and Brazilian CEP (01310-100), unless it follows an area code: "030 12345-678" is
    // a German number with its direct-dial suffix (DIN 5008)
    if (glen(b) === 4) bad = a === 0 && (text.charCodeAt(gStart[a]!) !== 48 || country === 'US');
    else if (glen(b) === 3) bad = !afterAreaCode;
  }
  if (!bad && count === 2 && dot && !plus && glen(a) <= 3 && glen(b) >= 4 && (text.charCodeAt(gStart[a]!) !== 48 || glen(a) === 1)) {
    bad = true; // a decimal: 37.774929, 0.3547111
  }
  if (!bad && !plus && (count === 4 || count === 5)) {
    // Brazilian CPF 123.456.789-09 and CNPJ 12.345.678/0001-90
    const last = gapSep[b]!;
    const mid = gapSep[a + 1]!;
    if ((last === 45 || last === 0x2010) && mid === 46 && glen(b) === 2) {
      if (count === 4 && glen(a) === 3 && glen(a + 1) === 3 && glen(a + 2) === 3) bad = true;
      if (count === 5 && glen(a) === 2 && glen(a + 3) === 4 && gapSep[a + 3] === 47) bad = true;
    }
  }
  if (!bad && count >= 4 && !plus) {
    // ISBN-13 (978-3-16-148410-0) and ISBN-10 (0-306-40615-2)
    const head = text.slice(gStart[a]!, gStart[a]! + 3);
    if (digits === 13 && (head === '978' || head === '979')) bad = true;
    if (digits === 10 && glen(b) === 1) bad = true;
  }
  if (bad) for (let g = a; g <= b; g++) gBarred[g] = 1;
}

/** Groups of three after a first group of up to three, all with the same gap: "132 511", "1.234.567". */
function inThousands(count: number): boolean {
  if (glen(0) > 3) return false;
  for (let g = 1; g < count; g++) if (glen(g) !== 3 || gapSep[g] !== gapSep[1] || gapSpace[g] !== gapSpace[1]) return false;
  return true;
}

/** Chunks ci-1..cj+1 are all unbarred groups of at most three digits. */
function smallGroupsAround(ci: number, cj: number): boolean {
  for (let c = ci - 1; c <= cj + 1; c++) if (chBarred[c] || chDigits[c]! > 3) return false;
  return true;
}

/** The run opens like a national number: a trunk 0 ("020 …") or a parenthesis ("(02) …"). */
function opensNational(text: string): boolean {
  const start = gStart[0]!;
  const head = text.charCodeAt(start);
  return head === 48 || head === 0xff10 || (start > 0 && isOpenParen(text.charCodeAt(start - 1)));
}

/** Groups g and g+1 read as a time of day: an hour of one or two digits, two digits of minutes. */
function clockTime(text: string, g: number): boolean {
  return glen(g) <= 2 && glen(g + 1) === 2 && groupValue(text, g) <= 23 && groupValue(text, g + 1) <= 59;
}

/** The digits of groups a..b-1 pass the Luhn check (card numbers do). */
function luhn(text: string, a: number, b: number): boolean {
  let sum = 0;
  let double = false;
  for (let g = b - 1; g >= a; g--) {
    for (let k = gEnd[g]! - 1; k >= gStart[g]!; k--) {
      let d = text.charCodeAt(k) - 48;
      if (double) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      double = !double;
    }
  }
  return sum % 10 === 0;
}

/**
 * Shapes that rule out the whole run (ISBN-13 written with spaces, thousands groupings), or
 * bar some of its groups: card and tracking numbers (groups of four, Amex 4-6-5), ISBN-13 in
 * spaced groups.
 */
function runIsNegative(text: string, count: number, plus: boolean): boolean {
  if (plus) return false;
  for (let g = 0; g + 2 < count; g++) {
    if (g > 0 && !gapSpace[g]) continue;
    const head = text.charCodeAt(gStart[g]!);
    if (glen(g) === 4 && head !== 48 && head !== 0xff10) {
      // 4111 1111 1111 1111, 4111-1111-1111-1111, 9400 1000 0000 0000 0000 00, 7712 3456 7890
      // (not 0151 1234 5678): three or more groups of four with the same gap between them,
      // none of them glued to a further group by another separator ("… 1176 2001-01-21")
      let k = g + 1;
      while (k < count && glen(k) === 4 && gapSpace[k] === gapSpace[g + 1] && gapSep[k] === gapSep[g + 1]) k++;
      if (k < count && !gapSpace[k] && gapSep[k] !== gapSep[g + 1]) k--;
      // after a number that opens with its trunk 0 or a parenthesis ("020 7946 0958 0800 123 4567",
      // "(02) 9876 5432 2000") only a card that passes the Luhn check
      if (k - g >= 3 && (g === 0 || !opensNational(text) || (k - g >= 4 && (luhn(text, g, g + 4) || luhn(text, k - 4, k))))) {
        // with more than four groups, the card is the four that pass the Luhn check
        let from = g;
        let to = k;
        if (k - g > 4 && head !== 57 /* USPS 9400 … */) {
          if (luhn(text, g, g + 4)) to = g + 4;
          else if (luhn(text, k - 4, k)) from = k - 4;
        }
        for (let b = from; b < to; b++) gBarred[b] = 1;
        if (to < k) k = to;
        if (k < count && glen(k) < 4 && gapSpace[k] === gapSpace[g + 1]) gBarred[k++] = 1;
        g = k - 1;
        continue;
      }
    }
    if (glen(g) === 4 && glen(g + 1) === 6 && (glen(g + 2) === 5 || glen(g + 2) === 4) && head === 51 /* 3 */) {
      // Amex 3782 822463 10005, Diners 3056 930902 5904
      gBarred[g] = gBarred[g + 1] = gBarred[g + 2] = 1;
      g += 2;
    } else if (glen(g) === 3 && (text.startsWith('978', gStart[g]!) || text.startsWith('979', gStart[g]!))) {
      // ISBN-13 in groups: 978 3 16 148410 0
      let sum = 0;
      let k = g;
      while (k < count && sum < 13) sum += glen(k++);
      if (sum === 13 && glen(k - 1) === 1) {
        if (g === 0 && k === count) return true;
        for (let b = g; b < k; b++) gBarred[b] = 1;
        g = k - 1;
      }
    }
  }
  if (count < 3) return false;
  const first = text.charCodeAt(gStart[0]!);
  if (first === 48 || first === 0xff10) return false; // national numbers start with the trunk 0
  // 1 234 567 / 12.345.678 / 123 456 789
  if (glen(0) <= 3) {
    let thousands = true;
    const sep = gapSep[1]!;
    for (let g = 1; g < count; g++) {
      if (glen(g) !== 3 || gapSep[g] !== sep || gapOpen[g] || gapClose[g]) thousands = false;
    }
    if (thousands && (sep === 0 || sep === 46)) return true;
  }
  return false;
}

/** Month names and abbreviations (EN DE FR PT ES); not "out"/"set", which are English words. */
const MONTHS = new Set(
  (
    'jan feb mar apr may jun jul aug sep sept oct nov dec jän mär mai okt dez fév fev avr juil aoû aou déc abr ago ene dic ' +
    'january february march april june july august september october november december ' +
    'januar jänner februar märz juni juli oktober dezember ' +
    'janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre ' +
    'janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro dezembro ' +
    'enero febrero marzo mayo junio julio septiembre octubre noviembre diciembre'
  ).split(' '),
);

/**
 * A month name at `at` after a day: "23 May 1996" makes the number before it a day. The whole
 * word must be a month ("Mairie", "mardi" and "après" are not), and "may" only as "May".
 */
function monthAt(text: string, at: number, day: number): boolean {
  if (day < 1 || day > 31 || !isSpace(text.charCodeAt(at))) return false;
  let e = at + 1;
  while (e < text.length && e - at <= 10 && isWordLetter(text.charCodeAt(e))) e++;
  const word = text.slice(at + 1, e).toLowerCase();
  return MONTHS.has(word) && (word !== 'may' || text.charCodeAt(at + 1) === 77);
}

/** Where the main loop has something to do: a digit (ASCII or full-width), a colon or a dot. */
const INTERESTING = /[0-9:.\uff10-\uff19]/g;

/**
 * A phone number found. Formatting `display` is left until someone reads it (most numbers on a
 * page are never pointed at). A class with a prototype getter rather than an object literal
 * with one, which V8 builds slowly (a closure and an accessor pair per number found).
 */
class PhoneDetection implements Detection {
  readonly kind = 'phone';
  readonly dial: string;
  readonly extension: string | undefined;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly text: string,
    private readonly valid: ValidNumber,
    extension: string | undefined,
  ) {
    this.extension = extension || undefined;
    this.dial = this.extension === undefined ? valid.number : `${valid.number};ext=${this.extension}`;
  }

  get display(): string {
    return this.extension === undefined ? this.valid.display : `${this.valid.display} ext. ${this.extension}`;
  }

  /** A plain record with the display string, like a SIP detection (JSON, logs). */
  toJSON(): Detection {
    const { start, end, kind, text, dial, extension, display } = this;
    return extension === undefined ? { start, end, kind, text, dial, display } : { start, end, kind, text, dial, extension, display };
  }
}

export class Scanner {
  private readonly out: Detection[] = [];
  constructor(
    private readonly text: string,
    private readonly country: CountryCode,
  ) {}

  run(): Detection[] {
    const text = this.text;
    const n = text.length;
    const next = INTERESTING;
    let i = 0;
    while (i < n) {
      // the regular expression engine skips prose in native code, even while this script is cold
      next.lastIndex = i;
      if (!next.test(text)) break;
      i = next.lastIndex - 1;
      const c = text.charCodeAt(i);
      if (c === 58) i = this.colon(i);
      else if (c === 46) i = this.dot(i);
      else i = this.digitRun(i);
    }
    return this.out;
  }

  /** Skips a URL-like token starting at or before `i`; returns its end. */
  private skipToken(i: number): number {
    const text = this.text;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isWhitespace(c) || c === 60 || c === 62 || c === 34 || c === 39 || c === 96) break;
      i++;
    }
    return i;
  }

  /** `www.` starts a URL that is skipped. */
  private dot(i: number): number {
    const text = this.text;
    if (i >= 3 && lowerAscii(text.charCodeAt(i - 1)) === 119 && startsWithWord(text, i - 3, 'www')) {
      if (i === 3 || !isWordLetter(text.charCodeAt(i - 4))) return this.skipToken(i);
    }
    return i + 1;
  }

  /** A colon may end a URI scheme: sip:, sips:, tel:, or a URL that is skipped. */
  private colon(i: number): number {
    const text = this.text;
    // "sips:sips:host": the scheme of a second URI cannot reach back into the one just found
    const floor = this.out.length > 0 ? this.out[this.out.length - 1]!.end : 0;
    let s = i;
    while (s > floor && i - s < 7) {
      const c = text.charCodeAt(s - 1);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) s--;
      else break;
    }
    if (s === i) return i + 1;
    if (s > 0) {
      const before = text.charCodeAt(s - 1);
      if (isWordLetter(before) || isDigit(before) || before === 43 || before === 45 || before === 46) return i + 1;
    }
    if (text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) return this.skipToken(i); // "://"
    const len = i - s;
    if ((len === 3 || len === 4) && startsWithWord(text, s, len === 3 ? 'sip' : 'sips')) {
      const uri = readSipUri(text, s);
      if (!uri) return i + 1;
      this.out.push({
        start: uri.start,
        end: uri.end,
        kind: 'sip',
        text: text.slice(uri.start, uri.end),
        dial: uri.uri,
        display: uri.display,
      });
      return uri.end;
    }
    // "Tel:022-23456780", "TEL:03-1234-5678": a capital makes it a label; the number is read on its own
    if (len === 3 && text.startsWith('tel', s)) {
      const tel = readTelUri(text, s);
      if (!tel) return i + 1;
      const plus = tel.number.startsWith('+');
      const v = phoneEngine().validateDigits(plus ? tel.number.slice(1) : tel.number, plus, this.country);
      if (!v) return i + 1;
      this.pushPhone(s, tel.end, v, tel.extension);
      return tel.end;
    }
    if (len === 6 && startsWithWord(text, s, 'mailto')) return this.skipToken(i);
    return i + 1;
  }

  private pushPhone(start: number, end: number, v: ValidNumber, extension?: string): void {
    this.out.push(new PhoneDetection(start, end, this.text.slice(start, end), v, extension));
  }

  // State of the run being examined, for the helpers below.
  private plus = false;
  private rs = 0;
  private chunks = 0;

  /** Validates chunks ci..cj of the current run as one number. */
  private tryRange(ci: number, cj: number): ValidNumber | null {
    const text = this.text;
    let sum = 0;
    for (let c = ci; c <= cj; c++) sum += chDigits[c]!;
    const candPlus = this.plus && ci === 0;
    if (sum < (candPlus ? MIN_INTERNATIONAL_DIGITS : MIN_NATIONAL_DIGITS) || sum > MAX_NUMBER_DIGITS) return null;
    const fg = chFirst[ci]!;
    const lg = chLast[cj]!;
    let s = '';
    for (let g = fg; g <= lg; g++) {
      // "+44 (0)20 …": the bracketed trunk prefix is not dialled
      if (candPlus && g > fg && g < lg && glen(g) === 1 && gapOpen[g] && gapClose[g + 1] && text.charCodeAt(gStart[g]!) === 48) continue;
      s += digitText(text, gStart[g]!, gEnd[g]!);
    }
    // 12 34 56 78 90: a row of small numbers (national numbers in pairs start with 0)
    if (!candPlus && lg - fg >= 3 && s.charCodeAt(0) !== 48 && allShortGroups(fg, lg)) return null;
    // "94123 94127": ZIP codes; a US number is never written in fives
    if (!candPlus && this.country === 'US' && lg === fg + 1 && glen(fg) === 5 && glen(lg) === 5) return null;
    if (fg === lg && !candPlus && (s.length === 10 || s.length === 13) && s.charCodeAt(0) === 49) {
      // 1700000000 / 1700000000123: a Unix timestamp unless labelled as a phone number
      if (!contextBefore(text, ci === 0 ? this.rs : gStart[fg]!).phone) return null;
    }
    const v = phoneEngine().validateDigits(s, candPlus, this.country);
    // "91-98765 43210": India's calling code written without "+", a common notation there
    if (!v && ci === 0 && !candPlus && this.country === 'IN' && fg < lg && glen(fg) === 2 && s.startsWith('91')) {
      return phoneEngine().validateDigits(s, true, this.country);
    }
    return v;
  }

  /** The longest valid chain of unbarred chunks from ci. */
  private longest(ci: number): { cj: number; v: ValidNumber } | null {
    let last = ci;
    let sum = chDigits[ci]!;
    while (last + 1 < this.chunks && !chBarred[last + 1] && sum + chDigits[last + 1]! <= MAX_NUMBER_DIGITS) {
      last++;
      sum += chDigits[last]!;
    }
    for (let cj = last; cj >= ci; cj--) {
      const v = this.tryRange(ci, cj);
      if (!v) continue;
      // "089 123456 80331 München": a long chain that ends in a postcode and its town is the
      // number before them, when that is valid on its own
      if (cj > ci && this.postcodeAndTown(ci, cj)) {
        for (let shorter = cj - 1; shorter >= ci; shorter--) {
          const w = this.tryRange(ci, shorter);
          if (w) return { cj: shorter, v: w };
        }
      }
      return { cj, v };
    }
    return null;
  }

  /**
   * The first chunk after the run's first that opens with a trunk 0, after at least nine digits
   * of identifier, and starts a valid number of ten digits or more reaching the run's end.
   */
  private numberEndingRun(): { ci: number } | null {
    for (let c = 1, before = chDigits[0]!; c < this.chunks; before += chDigits[c++]!) {
      if (before < 9 || !opensNumber(this.text, c) || chBarred[c]) continue;
      let digits = 0;
      for (let d = c; d < this.chunks; d++) digits += chDigits[d]!;
      if (digits < 10) return null;
      const hit = this.longest(c);
      if (hit && hit.cj === this.chunks - 1) return { ci: c };
    }
    return null;
  }

  /** Chunk cj is five bare digits followed by a capitalised word, ending a chain of 13 digits or more. */
  private postcodeAndTown(ci: number, cj: number): boolean {
    if (chDigits[cj] !== 5 || chFirst[cj] !== chLast[cj]) return false;
    let sum = 0;
    for (let c = ci; c <= cj; c++) sum += chDigits[c]!;
    if (sum < 13) return false;
    const after = gEnd[chLast[cj]!]!;
    const c = this.text.charCodeAt(after + 1);
    return isSpace(this.text.charCodeAt(after)) && ((c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7));
  }

  /** Examines the run of digit groups starting at `p`; returns where scanning goes on. */
  private digitRun(p: number): number {
    const text = this.text;
    const n = text.length;

    // optional "+", "(" or "(+" in front
    // "(+33 …)" and "(03(1234)5678)": a parenthesis around the whole number is not part of it
    let rs = p;
    let plus = false;
    let open = 0;
    if (p > 0 && isPlus(text.charCodeAt(p - 1))) {
      plus = true;
      rs = p - 1;
      // "(+91) 98765 43210": the country code in parentheses
      if (rs > 0 && isOpenParen(text.charCodeAt(rs - 1))) {
        open = 1;
        rs--;
      }
    } else if (p > 0 && isOpenParen(text.charCodeAt(p - 1))) {
      open = 1;
      rs--;
    }
    let leadOpen = open;

    // collect digit groups and the gaps between them
    let count = 0;
    let digits = 0;
    // where the current tight segment (no spaces inside) began: its first group, the digits before it
    let segmentStart = 0;
    let segmentDigits = 0;
    let k = p;
    for (;;) {
      gStart[count] = k;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      gEnd[count] = k;
      digits += k - gStart[count]!;
      count++;
      if (count === MAX_GROUPS) break;
      let q = k;
      let spaces = 0;
      let sep = 0;
      let op = 0;
      let cl = 0;
      let prevSpace = false;
      let ok = false;
      while (q < n && q - k < 4) {
        const c = text.charCodeAt(q);
        if (isDigit(c)) {
          ok = q > k;
          break;
        }
        if (isSpace(c)) {
          if (prevSpace) break;
          spaces++;
          prevSpace = true;
        } else {
          prevSpace = false;
          if (isSeparator(c)) {
            if (sep || op) break;
            sep = c;
          } else if (isOpenParen(c)) {
            if (op) break;
            op = 1;
          } else if (isCloseParen(c)) {
            if (cl || op || sep || spaces) break;
            cl = 1;
          } else break;
        }
        q++;
      }
      if (!ok) break;
      if (sep && spaces) {
        // only " - ", " – " and " / " mix a separator with spaces; ". " ends a sentence
        if (!(q - k === 3 && spaces === 2 && (sep === 45 || sep === 0x2013 || sep === 47) && text.charCodeAt(k + 1) === sep)) break;
      }
      if (op && !isOpenParen(text.charCodeAt(q - 1))) break;
      // " (" continues a number only after a country code or a "1"/"0" prefix: "+44 (0)20 …",
      // "1 (415) 555-0101"; otherwise a parenthesis after a space starts something new
      if (op && spaces && (count > 2 || digits > 5)) break;
      // "03-1234-5678（9:00〜18:00）": nor, right after a segment of three groups or ten digits
      if (op && !spaces && !sep && (count - segmentStart > 2 || digits - segmentDigits >= 10)) break;
      if (cl && open === 0) break;
      if (op && open - cl > 0) {
        if (!leadOpen || count > 1) break;
        // "(03(1234)5678)": the leading parenthesis encloses the number
        leadOpen = 0;
        open = 0;
        rs = plus ? p - 1 : p;
      }
      open += op - cl;
      gapSpace[count] = spaces ? 1 : 0;
      if (spaces) {
        segmentStart = count;
        segmentDigits = digits;
      }
      gapSep[count] = sep;
      gapOpen[count] = op;
      gapClose[count] = cl;
      k = q;
    }
    // "1300 365 365 24/7": round the clock, not the number's last digits
    if (count >= 3 && gapSep[count - 1] === 47 && glen(count - 1) === 1 && glen(count - 2) === 2 && text.startsWith('24/7', gStart[count - 2]!)) {
      count -= 2;
      digits -= 3;
    }
    const re = gEnd[count - 1]!;
    if (digits < MIN_NATIONAL_DIGITS) return re;
    for (let g = 0; g < count; g++) gBarred[g] = 0;
    if (runIsNegative(text, count, plus)) return re;
    // a bare run with a unit after it is a quantity, and so is one in thousands ("132 511 km")
    if (rs === p && isSpace(text.charCodeAt(re)) && (count === 1 || inThousands(count)) && wordIn(UNIT_WORDS, text, re + 1)) return re;
    if (inIban(text, rs, glen(0))) {
      // bar the IBAN's groups: digit groups of up to four, one per chunk
      let g = 0;
      while (g < count && glen(g) <= 4 && (g === 0 || gapSpace[g])) {
        gBarred[g] = 1;
        if (glen(g++) < 4 && g > 1) break; // the last group of an IBAN may be shorter
      }
    }

    // extension, then the boundaries
    let ext = readExtension(text, re);
    let rightBad: boolean;
    if (ext && !badRight(text, ext.end)) rightBad = false;
    else {
      ext = null;
      rightBad = badRight(text, re);
    }
    const leftBad = badLeft(text, rs);
    // glued to a word ("ABC123 4155550101", "AA1 01 2345 6784"): the run may continue a code,
    // so a number later in it must open with a trunk 0 or a parenthesis
    const glued = leftBad && rs > 0 && isWordLetter(text.charCodeAt(rs - 1));
    // UPS tracking numbers as printed: "1Z 999 AA1 01 2345 6784"
    if (glued && /(?:^|\s)1Z[ 0-9A-Z]{0,9}$/i.test(text.slice(Math.max(0, rs - 12), rs))) return re;

    // tight segments (no spaces inside): shape rules
    const opensWithAreaCode = plus || opensNational(text);
    let segStart = 0;
    for (let g = 1; g <= count; g++) {
      if (g === count || gapSpace[g]) {
        barSegment(text, segStart, g - 1, plus && segStart === 0, this.country, segStart > 0 && opensWithAreaCode);
        segStart = g;
      }
    }

    // chunks: split at spaces and slashes
    let chunks = 0;
    for (let g = 0; g < count; g++) {
      if (g === 0 || gapSpace[g] || gapSep[g] === 47 || gapSep[g] === 0xff0f) {
        chFirst[chunks] = g;
        chDigits[chunks] = 0;
        chBarred[chunks] = 0;
        chunks++;
      }
      chLast[chunks - 1] = g;
      chDigits[chunks - 1]! += glen(g);
      if (gBarred[g]) chBarred[chunks - 1] = 1;
    }
    if (leftBad) chBarred[0] = 1;
    // a day before a month ("23 May"), hours after a number ("1300 655 506 24 hours")
    const lastIsSmall = chDigits[chunks - 1]! <= 2;
    if (rightBad || (lastIsSmall && (monthAt(text, re, groupValue(text, count - 1)) || (chunks > 1 && isSpace(text.charCodeAt(re)) && wordIn(HOUR_WORDS, text, re + 1))))) {
      chBarred[chunks - 1] = 1;
    }

    this.plus = plus;
    this.rs = rs;
    this.chunks = chunks;
    let idLabelled: boolean | undefined;
    let taken = -1;
    for (let ci = 0; ci < chunks; ci++) {
      if (chBarred[ci]) continue;
      let hit = this.longest(ci);
      if (!hit) continue;
      // "1 85 05 78 006 084 36": small groups left over on both sides make the run one long
      // identifier (a French social-security number), not a number inside it
      if (ci > taken + 1 && hit.cj + 1 < chunks && smallGroupsAround(ci, hit.cj) && !this.longest(hit.cj + 1)) continue;
      // "(06221) 558744 089 9324376", "+49-221-1495085 06221 158-704": two numbers in a row, not
      // one long one (a group opening with a trunk 0 starts the second)
      for (let k = ci + 1; k <= hit.cj; k++) {
        if (!opensNumber(text, k)) continue;
        const head = this.tryRange(ci, k - 1);
        const tail = head && this.longest(k);
        if (head && tail && tail.cj >= hit.cj) {
          hit = { cj: k - 1, v: head };
          break;
        }
      }
      const { cj, v } = hit;
      // "Order No. 4155550101": the number right after an identifier label is that identifier.
      // An identifier written in groups ("NHS 943 476 5919") takes the whole run; after one
      // long group ("Customer ID 50327342745 02210378615") a number may follow, but only one
      // that opens with its trunk prefix. After "Order" or "client" alone only a run that opens
      // with one long bare group is one: "Orders: 0800 123 4568" is the order line.
      if (idLabelled === undefined) {
        const label = contextBefore(text, rs);
        idLabelled = label.id || (label.idIfBare && !plus && !leadOpen && chLast[0] === 0 && chDigits[0]! >= MIN_NATIONAL_DIGITS);
      }
      if (idLabelled && !chBarred[0] && chDigits[0]! < MIN_NATIONAL_DIGITS) {
        // ... unless a number of ten digits or more, opening with its trunk 0, ends the run:
        // "SIREN 552 100 554 01 23 45 67 89", "ABN 51 824 753 556 02 9876 5432"
        const tail = this.numberEndingRun();
        if (!tail || tail.ci < ci) return re;
        idLabelled = false;
        if (tail.ci > ci) {
          ci = tail.ci - 1;
          continue;
        }
      }
      // after a code glued to a word, a later number must open like one, or be written out whole
      // in one chunk of three groups or more ("Bldg A2 415-555-0101")
      const writtenOut = glued && !idLabelled && ci > 0 && cj === ci && chLast[ci]! - chFirst[ci]! >= 2;
      if ((idLabelled || glued) && !writtenOut && (ci === 0 || (!opensNumber(text, ci) && !gapOpen[chFirst[ci]!]))) continue;
      const fg = chFirst[ci]!;
      const lg = chLast[cj]!;
      // span: the leading "+" / "(" and a closing ")" belong to the number
      let start = ci === 0 ? rs : gStart[fg]!;
      if (ci > 0 && gapOpen[fg]) start--;
      let end = gEnd[lg]!;
      const startOpen = ci === 0 ? leadOpen : gapOpen[fg]!;
      let opens = startOpen;
      let closedInside = false;
      for (let g = fg + 1; g <= lg; g++) {
        opens += gapOpen[g]! - gapClose[g]!;
        if (gapClose[g]) closedInside = true;
      }
      if (opens > 0 && isCloseParen(text.charCodeAt(end))) {
        // "(0412 345 678)": parentheses around the whole number are not part of it
        if (startOpen && !closedInside) start++;
        else end++;
      }
      let extension: string | undefined;
      if (cj === chunks - 1 && ext) {
        extension = ext.digits;
        end = ext.end;
      }
      this.pushPhone(start, end, v, extension);
      ci = cj;
      taken = cj;
    }
    return ext && this.out.length > 0 && this.out[this.out.length - 1]!.end === ext.end ? ext.end : re;
  }
}
