import { describe, expect, it } from 'vitest';
import { detect } from './with-metadata';
import { readSipUri, readTelUri } from './sip';

function sips(text: string): [string, string, string][] {
  return detect(text, { defaultCountry: 'US' })
    .filter((d) => d.kind === 'sip')
    .map((d) => [d.text, d.dial, d.display]);
}

describe('SIP URIs in text', () => {
  it.each([
    ['sip:alice@example.com', 'sip:alice@example.com', 'alice@example.com'],
    ['sips:bob@10.0.0.1:5061;transport=tls', 'sips:bob@10.0.0.1:5061;transport=tls', 'bob@10.0.0.1:5061'],
    ['sip:+14155550101@carrier.example;user=phone', 'sip:+14155550101@carrier.example;user=phone', '+14155550101@carrier.example'],
    ['sip:4155550101@x.example', 'sip:4155550101@x.example', '4155550101@x.example'],
    ['SIP:Alice@Example.COM', 'sip:Alice@example.com', 'Alice@example.com'],
    ['sip:bob@[2001:db8::1]:5060', 'sip:bob@[2001:db8::1]:5060', 'bob@[2001:db8::1]:5060'],
    ['sip:pbx.example.org', 'sip:pbx.example.org', 'pbx.example.org'],
    ['sip:alice:secret@example.com', 'sip:alice:secret@example.com', 'alice@example.com'],
    ['sip:j.doe%40x@example.com;maddr=239.255.255.1;ttl=15', 'sip:j.doe%40x@example.com;maddr=239.255.255.1;ttl=15', 'j.doe%40x@example.com'],
    ['sip:alice@example.com?subject=project%20x&priority=urgent', 'sip:alice@example.com?subject=project%20x&priority=urgent', 'alice@example.com'],
    ['sip:1001@pbx.example.de:5060;transport=udp', 'sip:1001@pbx.example.de:5060;transport=udp', '1001@pbx.example.de:5060'],
  ])('%s', (uri, dial, display) => {
    expect(sips(`Call ${uri} now`)).toEqual([[uri, dial, display]]);
  });

  it('drops sentence punctuation and brackets around the URI', () => {
    expect(sips('Call sip:alice@example.com.')).toEqual([['sip:alice@example.com', 'sip:alice@example.com', 'alice@example.com']]);
    expect(sips('(sip:alice@example.com)')[0]?.[0]).toBe('sip:alice@example.com');
    expect(sips('<sip:alice@example.com>')[0]?.[0]).toBe('sip:alice@example.com');
    expect(sips('"sip:alice@example.com",')[0]?.[0]).toBe('sip:alice@example.com');
    expect(sips('sip:bob@example.com:5061.')[0]?.[0]).toBe('sip:bob@example.com:5061');
    expect(sips('sips:bob@example.com;transport=tls, or')[0]?.[0]).toBe('sips:bob@example.com;transport=tls');
  });

  it('gives offsets into the text', () => {
    const text = 'Video: sip:alice@example.com';
    const [d] = detect(text, { defaultCountry: 'US' });
    expect(d).toMatchObject({ kind: 'sip', start: 7, end: text.length });
  });

  it('is not confused by words ending in "sip" or by a number in the user part', () => {
    expect(sips('gossip:alice@example.com')).toEqual([]);
    // the digits of a SIP user are not reported again as a phone number
    expect(detect('sip:4155550101@example.com', { defaultCountry: 'US' })).toHaveLength(1);
  });

  it('rejects what is not a SIP URI', () => {
    expect(sips('sip: alice@example.com')).toEqual([]);
    expect(sips('sip:@')).toEqual([]);
    expect(sips('sip:alice@')).toEqual([]);
    expect(sips('sip:alice@-example.com')).toEqual([]);
    expect(sips('sip:alice@256.1.1.1')).toEqual([]);
    expect(sips('SIP 5060 and SIP/2.0')).toEqual([]);
  });
});

it('does not cut an internationalised host short', () => {
  expect(detect('sip:alice@bücher.example', { defaultCountry: 'US' })).toEqual([]);
});

describe('tel: URIs in text', () => {
  it.each([
    ['tel:+1-415-555-0101', '+14155550101', undefined],
    ['tel:+14155550101;ext=204', '+14155550101;ext=204', '204'],
    ['tel:415-555-0101', '+14155550101', undefined],
    ['tel:+1(415)555-0101', '+14155550101', undefined],
  ])('%s is a phone', (uri, dial, extension) => {
    const [d] = detect(`Dial ${uri}.`, { defaultCountry: 'US' });
    expect(d).toMatchObject({ kind: 'phone', text: uri, dial });
    expect(d?.extension).toBe(extension);
  });

  it('reads a capitalised "Tel:"/"TEL:" as a label: the number alone is marked', () => {
    for (const [text, number, dial, country] of [
      ['TEL:+44-20-7946-0958', '+44-20-7946-0958', '+442079460958', 'US'],
      ['Tel:022-23456780', '022-23456780', '+912223456780', 'IN'],
      ['TEL:03-1234-5678', '03-1234-5678', '+81312345678', 'JP'],
    ] as const) {
      expect(detect(text, { defaultCountry: country }).map((d) => [d.text, d.dial])).toEqual([[number, dial]]);
    }
  });

  it('ignores tel: URIs with invalid numbers', () => {
    expect(detect('tel:+1-555', { defaultCountry: 'US' })).toEqual([]);
    expect(detect('tel:911', { defaultCountry: 'US' })).toEqual([]);
  });

  it('reads a "Tel:" label glued to a number like a tel: URI', () => {
    expect(detect('Tel:4155550101', { defaultCountry: 'US' }).map((d) => d.dial)).toEqual(['+14155550101']);
    expect(detect('Tel:+1 415 555 0101', { defaultCountry: 'US' }).map((d) => d.dial)).toEqual(['+14155550101']);
  });
});

describe('readSipUri / readTelUri', () => {
  it('read at an offset and stop at the end of the URI', () => {
    expect(readSipUri('x sip:a@b.example y', 2)).toMatchObject({ start: 2, end: 17, uri: 'sip:a@b.example', user: 'a' });
    expect(readSipUri('sipx:a@b', 0)).toBeNull();
    expect(readTelUri('tel:+1-415-555-0101;ext=7;phone-context=example.com', 0)).toMatchObject({
      number: '+14155550101',
      extension: '7',
      phoneContext: 'example.com',
    });
    expect(readTelUri('tel:;ext=1', 0)).toBeNull();
  });
});
