import type { CountryCode } from 'libphonenumber-js/core';

export type { CountryCode };

export type DetectedKind = 'phone' | 'sip';

/** One phone number or SIP address found in a text. */
export interface Detection {
  /** UTF-16 offset of the first character of the match. */
  start: number;
  /** UTF-16 offset just past the match (exclusive). */
  end: number;
  kind: DetectedKind;
  /** The matched source text, `text.slice(start, end)`. */
  text: string;
  /**
   * What to dial.
   * - phone: E.164 (`+14155550101`); when the number has an extension it is appended in
   *   RFC 3966 style, `+14155550101;ext=204`, and is also given alone in `extension`.
   *   Dial `dial.split(';ext=')[0]` and send the extension as DTMF once connected.
   * - sip: the SIP URI with its scheme and host lower-cased, user, port, parameters and
   *   headers kept as written: `sip:bob@example.com`, `sips:bob@10.0.0.1:5061;transport=tls`.
   */
  dial: string;
  /** Extension digits of a phone number (`204` for `x 204`), if any. */
  extension?: string;
  /** Human readable: international format for phones (`+1 415 555 0101 ext. 204`), `user@host` for SIP. */
  display: string;
}

export interface DetectOptions {
  /** Country used to read numbers written in national notation. */
  defaultCountry: CountryCode;
}

export type DialableResult = { ok: true; dial: string; display: string } | { ok: false; reason: string };
