import { describe, expect, it } from 'vitest';
import { parseDialable } from './detect/with-metadata';
import { callLinkInput, callLinkTarget } from './links';

const parse = (input: string) => parseDialable(input, 'US');

describe('call links', () => {
  it('reads what tel:, sip:, sips: and callto: links dial', () => {
    expect(callLinkTarget('tel:+14155550101', parse)?.dial).toBe('+14155550101');
    expect(callLinkTarget('tel:+1 (415) 555-0101', parse)?.dial).toBe('+14155550101');
    expect(callLinkTarget('tel:+1%20415%20555%200101', parse)?.dial).toBe('+14155550101');
    expect(callLinkTarget('TEL:415-555-0101', parse)?.dial).toBe('+14155550101');
    expect(callLinkTarget('sip:Bob@Example.com', parse)?.dial).toBe('sip:Bob@example.com');
    expect(callLinkTarget('sips:bob@example.com', parse)?.dial).toBe('sips:bob@example.com');
    expect(callLinkTarget('callto:+14155550101', parse)?.dial).toBe('+14155550101');
    expect(callLinkTarget('callto://+14155550101', parse)?.dial).toBe('+14155550101');
  });

  it('ignores other links and links that do not parse', () => {
    expect(callLinkInput('https://example.com/tel:123')).toBeUndefined();
    expect(callLinkInput('mailto:bob@example.com')).toBeUndefined();
    expect(callLinkTarget('tel:', parse)).toBeUndefined();
    expect(callLinkTarget('tel:abc', parse)).toBeUndefined();
    expect(callLinkTarget('sip:@', parse)).toBeUndefined();
  });

  it('survives malformed escapes', () => {
    expect(callLinkInput('tel:%E0%A4%A')).toBe('tel:%E0%A4%A');
  });
});
