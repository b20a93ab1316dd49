import { describe, expect, it } from 'vitest';
import { defaultCountryFromLocale, parseDialable } from './with-metadata';

describe('parseDialable: phone numbers', () => {
  it.each([
    ['(415) 555-0101', 'US', '+14155550101', '+1 415 555 0101'],
    ['415.555.0101', 'US', '+14155550101', '+1 415 555 0101'],
    ['  +1 415 555 0101  ', 'DE', '+14155550101', '+1 415 555 0101'],
    ['030 1234567', 'DE', '+49301234567', '+49 30 1234567'],
    ['30 1234567', 'DE', '+49301234567', '+49 30 1234567'],
    ['0049 30 1234567', 'US', '+49301234567', '+49 30 1234567'],
    ['011 44 20 7946 0958', 'US', '+442079460958', '+44 20 7946 0958'],
    ['+44 (0)20 7946 0958', 'US', '+442079460958', '+44 20 7946 0958'],
    ['+49 030 1234567', 'US', '+49301234567', '+49 30 1234567'],
    ['０３－１２３４－５６７８', 'JP', '+81312345678', '+81 3 1234 5678'],
    ['tel:+1-415-555-0101', 'US', '+14155550101', '+1 415 555 0101'],
    ['<tel:+14155550101>', 'US', '+14155550101', '+1 415 555 0101'],
    ['1-800-FLOWERS', 'US', '+18003569377', '+1 800 356 9377'],
  ])('%s (%s)', (input, country, dial, display) => {
    expect(parseDialable(input, country as never)).toEqual({ ok: true, dial, display });
  });

  it.each([
    ['415-555-0101 x204', '204'],
    ['415-555-0101 ext. 204', '204'],
    ['415-555-0101, ext 204', '204'],
    ['415-555-0101#204', '204'],
    ['tel:+14155550101;ext=204', '204'],
  ])('extension: %s', (input, ext) => {
    expect(parseDialable(input, 'US')).toEqual({ ok: true, dial: `+14155550101;ext=${ext}`, display: `+1 415 555 0101 ext. ${ext}` });
  });
});

describe('parseDialable: SIP addresses and user names', () => {
  it.each([
    ['sip:alice@Example.com', 'sip:alice@example.com', 'alice@example.com'],
    ['sips:bob@10.0.0.1:5061;transport=tls', 'sips:bob@10.0.0.1:5061;transport=tls', 'bob@10.0.0.1:5061'],
    ['bob@example.com', 'sip:bob@example.com', 'bob@example.com'],
    ['<sip:bob@example.com>', 'sip:bob@example.com', 'bob@example.com'],
    ['4155550101@carrier.example', 'sip:4155550101@carrier.example', '4155550101@carrier.example'],
    ['bob', 'sip:bob', 'bob'],
    ['j.doe-2', 'sip:j.doe-2', 'j.doe-2'],
  ])('%s', (input, dial, display) => {
    expect(parseDialable(input, 'US')).toEqual({ ok: true, dial, display });
  });

  it('falls back to US for an unknown default country', () => {
    expect(parseDialable('415-555-0101', 'ZZ' as never)).toEqual({ ok: true, dial: '+14155550101', display: '+1 415 555 0101' });
  });

  it('appends the account domain to a bare user name when given', () => {
    expect(parseDialable('bob', 'US', { sipDomain: 'Example.com' })).toEqual({ ok: true, dial: 'sip:bob@example.com', display: 'bob@example.com' });
  });
});

describe('parseDialable: bad input has a clear reason', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['12', /short/i],
    ['555-0101', /short|digits/i],
    ['+1 555', /short|digits|valid/i],
    ['123-456-7890', /not a valid phone number in US/i],
    ['+999 1234567', /country calling code/i],
    ['1234567890123456789', /long/i],
    ['sip:', /host/i],
    ['sip:@example.com', /user name/i],
    ['sip:bob@', /host/i],
    ['sip:bob@exa mple.com', /spaces/i],
    ['bob@', /host/i],
    ['http://example.com/', /"http:"/],
    ['javascript:alert(1)', /"javascript:"/],
    ['hello world', /Not a phone number or SIP address/],
    ['415-555-0101 ☎', /Not a phone number/],
    ['x'.repeat(300), /long/i],
  ])('%j', (input, reason) => {
    const result = parseDialable(input, 'US');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('defaultCountryFromLocale', () => {
  it.each([
    ['en-GB', 'GB'],
    ['en-US', 'US'],
    ['de', 'DE'],
    ['de-AT', 'AT'],
    ['en', 'US'],
    ['fr-CA', 'CA'],
    ['ja', 'JP'],
    ['pt-BR', 'BR'],
    ['pt', 'BR'],
    ['hi-IN', 'IN'],
    ['en-AU', 'AU'],
    ['zh-Hant-TW', 'TW'],
    ['en_GB', 'GB'],
    ['EN-gb', 'GB'],
    ['en-UK', 'GB'],
    ['es-419', 'ES'],
    ['de-DE-u-co-phonebk', 'DE'],
    ['', 'US'],
    ['xx', 'US'],
    ['en-ZZ', 'US'],
  ])('%s → %s', (locale, country) => {
    expect(defaultCountryFromLocale(locale)).toBe(country);
  });
});
