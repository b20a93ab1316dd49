/** `tel:`, `sip:`, `sips:` and `callto:` links: what they would dial. */
import type { DialableResult } from './detect/types';
import { CALL_LINK_SCHEME } from './node-filter';

export interface CallTarget {
  dial: string;
  display: string;
}

/** The text to hand to `parseDialable` for a call link's href, or undefined for other links. */
export function callLinkInput(href: string): string | undefined {
  if (!CALL_LINK_SCHEME.test(href)) return undefined;
  let value = href.trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // keep it as written
  }
  // Pages write tel: hrefs with spaces ("tel:+1 415 555 0101"), which RFC 3966 does not allow.
  if (/^tel:/i.test(value)) value = value.replace(/[\s\u00a0]+/g, '');
  else if (/^callto:/i.test(value)) value = value.slice('callto:'.length).replace(/^\/\//, '').trim();
  return value.length > 0 && value.length <= 256 ? value : undefined;
}

export function callLinkTarget(href: string, parse: (input: string) => DialableResult): CallTarget | undefined {
  const input = callLinkInput(href);
  if (input === undefined) return undefined;
  const parsed = parse(input);
  return parsed.ok ? { dial: parsed.dial, display: parsed.display } : undefined;
}
