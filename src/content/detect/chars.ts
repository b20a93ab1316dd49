/** Character classes used by the scanner. All take UTF-16 code units. */

export function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ASCII or fullwidth (U+FF10–FF19) digit. */
export function isDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
}

/** Spaces that may separate digit groups inside one number (not tab or line breaks). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x2009 || c === 0x202f || c === 0x2007 || c === 0x3000;
}

export function isWhitespace(c: number): boolean {
  return isSpace(c) || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0x2028 || c === 0x2029;
}

/** Punctuation that may separate digit groups: - . / and their Unicode look-alikes. */
export function isSeparator(c: number): boolean {
  return (
    c === 45 ||
    c === 46 ||
    c === 47 ||
    c === 0x2010 ||
    c === 0x2011 ||
    c === 0x2012 ||
    c === 0x2013 ||
    c === 0x2212 ||
    c === 0xff0d ||
    c === 0xff0e ||
    c === 0xff0f ||
    c === 0x30fc
  );
}

export function isOpenParen(c: number): boolean {
  return c === 40 || c === 0xff08;
}

export function isCloseParen(c: number): boolean {
  return c === 41 || c === 0xff09;
}

export function isPlus(c: number): boolean {
  return c === 43 || c === 0xff0b;
}

/** Letters of alphabetic scripts (Latin, Greek, Cyrillic, …). CJK and kana are not included:
 * Japanese and Chinese text puts numbers right after words without a space. */
export function isWordLetter(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c < 0xc0 || c === 0xd7 || c === 0xf7) return false;
  if (c <= 0x24f) return true;
  if (c >= 0x2e80) return false;
  return /\p{L}/u.test(String.fromCharCode(c));
}

export function isCurrency(c: number): boolean {
  return c === 36 || c === 0xa2 || c === 0xa3 || c === 0xa4 || c === 0xa5 || (c >= 0x20a0 && c <= 0x20cf) || c === 0xffe5 || c === 0xffe1;
}
