import { describe, expect, it } from 'vitest';
import { detect } from './with-metadata';
import type { CountryCode } from './types';

/** [matched text, dial] pairs, in order. */
function found(text: string, defaultCountry: CountryCode = 'US'): [string, string][] {
  return detect(text, { defaultCountry }).map((d) => [d.text, d.dial]);
}

function none(text: string, defaultCountry: CountryCode = 'US'): void {
  expect(found(text, defaultCountry), text).toEqual([]);
}

describe('detect: phone numbers in national notation', () => {
  it.each([
    ['(415) 555-0101', '+14155550101'],
    ['415-555-0101', '+14155550101'],
    ['415.555.0101', '+14155550101'],
    ['415 555 0101', '+14155550101'],
    ['4155550101', '+14155550101'],
    ['1-415-555-0101', '+14155550101'],
    ['1 (415) 555-0101', '+14155550101'],
    ['(415)555-0101', '+14155550101'],
    ['1-800-555-0199', '+18005550199'],
  ])('US %s', (text, dial) => {
    expect(found(`Call ${text} now.`)).toEqual([[text, dial]]);
  });

  it.each<[CountryCode, string, string]>([
    ['GB', '020 7946 0958', '+442079460958'],
    ['GB', '(020) 7946 0958', '+442079460958'],
    ['GB', '07400 123456', '+447400123456'],
    ['GB', '0800 123 4567', '+448001234567'],
    ['DE', '030 1234567', '+49301234567'],
    ['DE', '030/1234567', '+49301234567'],
    ['DE', '030 / 1234567', '+49301234567'],
    ['DE', '(030) 1234567', '+49301234567'],
    ['DE', '0151 12345678', '+4915112345678'],
    ['DE', '01511 2345678', '+4915112345678'],
    ['FR', '01 23 45 67 89', '+33123456789'],
    ['FR', '01.23.45.67.89', '+33123456789'],
    ['FR', '06-12-34-56-78', '+33612345678'],
    ['FR', '0123456789', '+33123456789'],
    ['IN', '98765 43210', '+919876543210'],
    ['IN', '9876543210', '+919876543210'],
    ['IN', '098765 43210', '+919876543210'],
    ['IN', '022 2345 6789', '+912223456789'],
    ['IN', '022-23456789', '+912223456789'],
    ['BR', '(11) 91234-5678', '+5511912345678'],
    ['BR', '11 91234-5678', '+5511912345678'],
    ['BR', '(21) 2345-6789', '+552123456789'],
    ['BR', '0800 123 4567', '+558001234567'],
    ['JP', '03-1234-5678', '+81312345678'],
    ['JP', '090-1234-5678', '+819012345678'],
    ['JP', '03(1234)5678', '+81312345678'],
    ['JP', '０３－１２３４－５６７８', '+81312345678'],
    ['JP', '0120-123-456', '+81120123456'],
    ['AU', '(02) 9876 5432', '+61298765432'],
    ['AU', '02 9876 5432', '+61298765432'],
    ['AU', '0412 345 678', '+61412345678'],
    ['AU', '1300 123 456', '+611300123456'],
    ['AU', '13 12 51', '+61131251'],
  ])('%s %s', (country, text, dial) => {
    expect(found(`Tel: ${text}`, country)).toEqual([[text, dial]]);
  });
});

describe('detect: international notation and call prefixes', () => {
  it.each<[CountryCode, string, string]>([
    ['US', '+44 20 7946 0958', '+442079460958'],
    ['US', '+44 (0)20 7946 0958', '+442079460958'],
    ['US', '+44 (0) 20 7946 0958', '+442079460958'],
    ['US', '+442079460958', '+442079460958'],
    ['US', '+49-30-1234567', '+49301234567'],
    ['US', '+49 030 1234567', '+49301234567'],
    ['US', '+33.1.23.45.67.89', '+33123456789'],
    ['US', '+1 (415) 555-0101', '+14155550101'],
    ['US', '011 44 20 7946 0958', '+442079460958'],
    ['DE', '00 49 30 901820', '+4930901820'],
    ['DE', '0044 20 7946 0958', '+442079460958'],
    ['US', '0049 30 901820', '+4930901820'],
    ['GB', '(+91) 98765 43210', '+919876543210'],
    ['JP', '+81 3-1234-5678', '+81312345678'],
    ['JP', '＋８１ ３ １２３４ ５６７８', '+81312345678'],
  ])('%s reads %s', (country, text, dial) => {
    expect(found(`Phone ${text}.`, country)).toEqual([[text, dial]]);
  });

  it('reads numbers of other countries in international notation whatever the default', () => {
    expect(found('London +44 20 7946 0958, Berlin +49 30 901820, Mumbai +91 22 2345 6789', 'JP')).toEqual([
      ['+44 20 7946 0958', '+442079460958'],
      ['+49 30 901820', '+4930901820'],
      ['+91 22 2345 6789', '+912223456789'],
    ]);
  });

  it('reads Canadian numbers with a US default (shared calling code)', () => {
    expect(found('Vancouver: 604-223-1234')).toEqual([['604-223-1234', '+16042231234']]);
  });
});

describe('detect: extensions', () => {
  it.each([
    ['415-555-0101 x 204', '204'],
    ['415-555-0101 x204', '204'],
    ['415-555-0101x204', '204'],
    ['415-555-0101 ext. 204', '204'],
    ['415-555-0101 ext 204', '204'],
    ['415-555-0101, ext. 204', '204'],
    ['415-555-0101 Ext: 204', '204'],
    ['415-555-0101 extension 204', '204'],
    ['415-555-0101 #204', '204'],
    ['415-555-0101 (ext. 204)', '204'],
    ['212.555.0199 x 9', '9'],
  ])('%s', (text, ext) => {
    const [d] = detect(`Call ${text} today`, { defaultCountry: 'US' });
    expect(d?.text).toBe(text);
    expect(d?.extension).toBe(ext);
    expect(d?.dial).toBe(`${d?.dial.split(';')[0]};ext=${ext}`);
    expect(d?.display).toMatch(new RegExp(` ext\\. ${ext}$`));
  });

  it('takes no extension from a following word or a bare number', () => {
    expect(detect('415-555-0101 xylophone', { defaultCountry: 'US' })[0]?.extension).toBeUndefined();
    expect(detect('415-555-0101 and 204 more', { defaultCountry: 'US' })[0]?.extension).toBeUndefined();
  });
});

describe('detect: placement in text', () => {
  it('finds numbers at the start and end of lines, in parentheses, tables and labels', () => {
    const text = '415-555-0101 main\nFax: 415-555-0102\n(415-555-0103)\n| Support | 415-555-0104 |\nlast 415-555-0105';
    expect(found(text).map(([, dial]) => dial)).toEqual(['+14155550101', '+14155550102', '+14155550103', '+14155550104', '+14155550105']);
  });

  it('gives UTF-16 offsets into the input', () => {
    const text = '📞 電話：03-1234-5678（代表）';
    const [d] = detect(text, { defaultCountry: 'JP' });
    expect(d).toBeDefined();
    expect(text.slice(d!.start, d!.end)).toBe('03-1234-5678');
    expect(d!.text).toBe('03-1234-5678');
  });

  it('includes a leading "(" and its ")" in the span', () => {
    const [d] = detect('Call (415) 555-0101.', { defaultCountry: 'US' });
    expect(d?.text).toBe('(415) 555-0101');
  });

  it('separates numbers listed with commas, slashes and "or"', () => {
    expect(found('030 1234567, 030 7654321 / 040 1234567 or 089 1234567', 'DE').map(([, d]) => d)).toEqual([
      '+49301234567',
      '+49307654321',
      '+49401234567',
      '+49891234567',
    ]);
  });

  it('splits two national numbers written one after the other', () => {
    expect(found('Mobile: (06221) 558744 089 9324376', 'DE')).toEqual([
      ['(06221) 558744', '+496221558744'],
      ['089 9324376', '+49899324376'],
    ]);
  });

  it('has kind, display and dial for phones', () => {
    const [d] = detect('Tel 020 7946 0958', { defaultCountry: 'GB' });
    expect(d).toMatchObject({ start: 4, end: 17, kind: 'phone', text: '020 7946 0958', dial: '+442079460958', display: '+44 20 7946 0958' });
    expect(JSON.parse(JSON.stringify(d))).toEqual({ start: 4, end: 17, kind: 'phone', text: '020 7946 0958', dial: '+442079460958', display: '+44 20 7946 0958' });
  });
});

describe('detect: national numbers need their trunk prefix where it is always written', () => {
  it.each<[CountryCode, string]>([
    ['DE', '30 1234567'],
    ['GB', '20 7946 0958'],
    ['FR', '1 23 45 67 89'],
    ['JP', '3-1234-5678'],
    ['AU', '2 9876 5432'],
  ])('%s %s', (country, text) => none(`Number ${text} here`, country));

  it('but not in India, Brazil or the US, where it is optional or never written', () => {
    expect(found('98765 43210', 'IN')).toHaveLength(1);
    expect(found('(11) 3333-4444', 'BR')).toHaveLength(1);
    expect(found('415 555 0101', 'US')).toHaveLength(1);
  });
});

describe('detect: look-alikes are not phone numbers', () => {
  it.each<[string, CountryCode]>([
    // dates and times
    ['12.03.2024', 'DE'],
    ['2024/03/12 10:22:33', 'JP'],
    ['2024-03-12T10:22:33Z', 'US'],
    ['2024-03-12 10:22:33.123+05:30', 'IN'],
    ['03/12/2024 10:22 PM', 'US'],
    ['20240312102233', 'US'],
    ['12-03-2024', 'IN'],
    ['2024.03.12', 'JP'],
    // prices and amounts
    ['$1,234,567.00', 'US'],
    ['1.234.567,00 €', 'DE'],
    ['€ 1.234.567', 'DE'],
    ['R$ 1.234.567,89', 'BR'],
    ['₹1,23,45,678', 'IN'],
    ['1 234 567 €', 'FR'],
    ['Total: 98765432 EUR', 'IN'],
    ['12345678円', 'JP'],
    ['population 83 200 000', 'DE'],
    // identifiers
    ['Order #1234567890', 'US'],
    ['Order No. 4155550101', 'US'],
    ['Invoice 2024001234', 'US'],
    ['INV-2024-0012345', 'US'],
    ['Bestellnummer 0301234567', 'DE'],
    ['SKU: 12-3456-7890', 'US'],
    ['Tracking: 1Z999AA10123456784', 'US'],
    ['FedEx 7712 3456 7890', 'US'],
    ['№ 4155550101', 'US'],
    ['CPF 119.876.543-21', 'BR'],
    ['12.345.678/0001-90', 'BR'],
    ['NHS 943 476 5919', 'GB'],
    ['SIRET 732 829 320 00074', 'US'],
    // postal codes
    ['San Francisco, CA 94103-1234', 'US'],
    ['SP 01310-100', 'BR'],
    ['〒100-0001', 'JP'],
    // addresses
    ['192.168.100.200', 'US'],
    ['10.0.0.1:8080', 'DE'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'US'],
    ['fe80::1ff:fe23:4567:890a', 'US'],
    // cards, bank accounts, books
    ['4111 1111 1111 1111', 'US'],
    ['4111-1111-1111-1111', 'DE'],
    ['3782 822463 10005', 'US'],
    ['DE89 3704 0044 0532 0130 00', 'DE'],
    ['GB29 NWBK 6016 1331 9268 19', 'US'],
    ['DE89370400440532013000', 'DE'],
    ['978-3-16-148410-0', 'DE'],
    ['ISBN 0-306-40615-2', 'US'],
    ['978 3 16 148410 0', 'US'],
    // versions and timestamps
    ['v10.2.3.4567', 'US'],
    ['10.2.3.4567', 'US'],
    ['Chrome/120.0.6099.109', 'US'],
    ['1700000000', 'IN'],
    ['1700000000123', 'IN'],
    ['created 1722345678', 'IN'],
    ['updated 1722345678', 'BR'],
    ['ts=1133334444', 'BR'],
    // URLs and e-mail addresses
    ['https://x.com/4155550101', 'US'],
    ['https://example.com/item?id=4155550101&ref=0301234567', 'DE'],
    ['www.example.de/kontakt/0301234567', 'DE'],
    ['example.com/p/4155550101', 'US'],
    ['4155550101@example.com', 'US'],
    ['john.4155550101@example.com', 'US'],
    ['0301234567.sales@example.de', 'DE'],
    // coordinates, measures, misc
    ['37.7749, -122.4194', 'US'],
    ['48.8566° N, 2.3522° E', 'FR'],
    ['-33.868820, 151.209290', 'AU'],
    ['1920x1080', 'US'],
    ['4155550101ms', 'US'],
    ['2147483648 bytes', 'US'],
    ['uptime 4155550101 ms', 'US'],
    ['4155550101 views', 'US'],
    ['0301234567 Downloads', 'DE'],
    ['ABC4155550101', 'US'],
    ['-4155550101', 'US'],
    ['12 34 56 78 90', 'US'],
    ['3.1415926535', 'US'],
  ])('%s (%s)', (text, country) => none(text, country));

  it('keeps a number followed by a word that is not a unit, or by a unit after a space-divided number', () => {
    expect(detect('Call 4155550101 today', { defaultCountry: 'US' }).map((d) => d.dial)).toEqual(['+14155550101']);
    expect(detect('4155550101 users? call 415 555 0102 users', { defaultCountry: 'US' }).map((d) => d.dial)).toEqual(['+14155550102']);
    expect(detect('4155550101 usersnap', { defaultCountry: 'US' }).map((d) => d.dial)).toEqual(['+14155550101']);
  });

  it('keeps a number that follows a look-alike', () => {
    expect(found('12.03.2024 (415) 555-0101')).toEqual([['(415) 555-0101', '+14155550101']]);
    expect(found('Order #1234567890 — questions? Call 415-555-0101')).toEqual([['415-555-0101', '+14155550101']]);
    expect(found('19,99 € 0412 345 678', 'AU')).toEqual([['0412 345 678', '+61412345678']]);
  });

  it('picks look-alikes out of rows that also hold a number', () => {
    // a card (Luhn) followed by a number, a number followed by a card
    expect(found('6011 1111 1111 1117 0161 496 0000', 'GB')).toEqual([['0161 496 0000', '+441614960000']]);
    expect(found('Tel.: 089 9837800 4111 1111 1111 1111', 'DE')).toEqual([['089 9837800', '+49899837800']]);
    // an IBAN, then a number
    expect(found('DE89 3704 0044 0532 0130 00 0301234567', 'DE')).toEqual([['0301234567', '+49301234567']]);
    expect(found('GB29 NWBK 6016 1331 9268 19 (011 61 408 281 328)')).toEqual([['011 61 408 281 328', '+61408281328']]);
    // an ISBN in groups, then a number
    expect(found('978 3 16 148410 0 030 1234567', 'DE')).toEqual([['030 1234567', '+49301234567']]);
    // a date after the number: "23 May" is not part of it
    expect(found('Call +91 1800-279-0590 23 May 1996', 'IN')).toEqual([['+91 1800-279-0590', '+9118002790590']]);
    // a currency sign that opens the next amount does not close the number
    expect(found('Fax: +33 800 18 05 38 € 89.547.584,09', 'FR')).toEqual([['+33 800 18 05 38', '+33800180538']]);
    // a number after an identifier written as one long group
    expect(found('Customer ID 50327342745 02210378615', 'DE')).toEqual([['02210378615', '+492210378615']]);
  });

  it('does not take a code of letters and digits for the start of a number', () => {
    none('UPS 1Z 999 AA1 01 2345 6784', 'FR');
    none('ABC123 4155550101');
    expect(found('P1 (11) 91476-6700', 'BR')).toEqual([['(11) 91476-6700', '+5511914766700']]);
    none('0.3547111 28.7106', 'DE');
  });

  it('keeps a labelled number that looks like a timestamp', () => {
    expect(found('Tel 1722345678', 'IN')).toEqual([['1722345678', '+911722345678']]);
    expect(found('☎ 1133334444', 'BR')).toEqual([['1133334444', '+551133334444']]);
    expect(found('(11) 3333-4444', 'BR')).toEqual([['(11) 3333-4444', '+551133334444']]);
  });

  it('does not read a calling code written without "+", except India\'s "91-"', () => {
    none('ref 442079460958', 'GB');
    none('4930901820', 'DE');
    expect(found('Contact: 91-9876543210', 'IN')).toEqual([['91-9876543210', '+919876543210']]);
    expect(found('Ph 91 98765 43216', 'IN')).toEqual([['91 98765 43216', '+919876543216']]);
    expect(found('91-9876543210', 'US')).toEqual([]);
  });

  it('reads a number after a business line word ("Orders", "client") and an identifier after its number word', () => {
    expect(found('Service client : 09 69 32 15 15', 'FR')).toEqual([['09 69 32 15 15', '+33969321515']]);
    expect(found('Orders 0800 123 4568', 'GB')).toEqual([['0800 123 4568', '+448001234568']]);
    expect(found('Customer (800) 555-0158')).toEqual([['(800) 555-0158', '+18005550158']]);
    expect(found('Faça seu pedido (11) 98765-4322', 'BR')).toEqual([['(11) 98765-4322', '+5511987654322']]);
    expect(found('ご注文は0120-123-457まで', 'JP')).toEqual([['0120-123-457', '+81120123457']]);
    none('Order 4155550101');
    none('Booking no. 020 7946 0011', 'GB');
    none('Pedido 1198765432', 'BR');
    none('注文番号 0312345678', 'JP');
  });

  it('takes more identifier labels: accounts, contracts, roll numbers, codes, lotteries', () => {
    for (const [text, country] of [
      ['Konto 0532013000', 'DE'],
      ['Vertrags-Nr. 0301234567', 'DE'],
      ['Zählernummer 0301234567', 'DE'],
      ['Roll No. 9876543210', 'IN'],
      ['Challan no. 9876543210', 'IN'],
      ['Cód. 11987654321', 'BR'],
      ['Numéro fiscal 01 23 456 789 012', 'FR'],
      ['Loto : 03 12 25 36 41', 'FR'],
      ['Lotto 02 13 24 35 41 44', 'AU'],
    ] as const) {
      none(text, country);
    }
  });

  it('does not cut a number out of an identifier written in small groups', () => {
    none('1 85 05 78 006 084 36', 'FR');
    none('N° de sécurité sociale : 2 69 05 49 588 157 80', 'FR');
    // a number that fills the run, or ends it, is still one
    expect(found('Tél. 01 23 45 67 89', 'FR')).toEqual([['01 23 45 67 89', '+33123456789']]);
    expect(found('Ligne 3 01 23 45 67 89', 'FR')).toEqual([['01 23 45 67 89', '+33123456789']]);
  });

  it('reads German numbers with a direct-dial suffix (DIN 5008), but not a CEP on its own', () => {
    expect(found('Telefon 030 12345-678', 'DE')).toEqual([['030 12345-678', '+493012345678']]);
    expect(found('Tel. +49 (0)89 12345-678', 'DE')).toEqual([['+49 (0)89 12345-678', '+498912345678']]);
    none('CEP 01310-100', 'BR');
    none('Av. Paulista, 1578 - 01310-200', 'BR');
  });

  it('reads numbers listed with a comma and no space, not amounts', () => {
    expect(found('Office 415-555-0174,415-555-0175')).toEqual([
      ['415-555-0174', '+14155550174'],
      ['415-555-0175', '+14155550175'],
    ]);
    expect(found('Mob 0412 345 686,0412 345 687', 'AU')).toEqual([
      ['0412 345 686', '+61412345686'],
      ['0412 345 687', '+61412345687'],
    ]);
    none('Total 4 155 550 101,99 €', 'FR');
    none('1,234,567,890', 'US');
  });

  it('reads a day before a month only before a whole month name', () => {
    expect(found('Tél 06 11 22 33 44 après 18h.', 'FR')).toEqual([['06 11 22 33 44', '+33611223344']]);
    expect(found('Tél. 01 23 45 67 89 Mairie de Lyon', 'FR')).toEqual([['01 23 45 67 89', '+33123456789']]);
    expect(found('Tel. 030 12 34 56 Mai bis September', 'DE')).toEqual([['030 12 34 56', '+4930123456']]);
    expect(found('Call 13 22 11 out of hours.', 'AU')).toEqual([['13 22 11', '+61132211']]);
    expect(found('Call +91 1800-279-0590 23 May 1996', 'IN')).toEqual([['+91 1800-279-0590', '+9118002790590']]);
    expect(found('Call +91 1800-279-0590 23 février', 'IN')).toEqual([['+91 1800-279-0590', '+9118002790590']]);
  });

  it('does not take a number and the next one for a card', () => {
    expect(found('London 020 7946 0958 0800 123 4567 Mon–Fri', 'GB')).toEqual([
      ['020 7946 0958', '+442079460958'],
      ['0800 123 4567', '+448001234567'],
    ]);
    expect(found('(02) 9876 5432 2000', 'AU')).toEqual([['(02) 9876 5432', '+61298765432']]);
    none('MAC 00:1A:94:3C:4D:26 3358 7174 5490');
    none('Gutschein 0800 1234 5678 9012', 'DE');
  });

  it('reads phone labels written with "#", ":-" or "-"', () => {
    expect(found('Phone #: (415) 555-0101')).toEqual([['(415) 555-0101', '+14155550101']]);
    expect(found('Fax #212-555-0190')).toEqual([['212-555-0190', '+12125550190']]);
    expect(found('Mob:-9876543210', 'IN')).toEqual([['9876543210', '+919876543210']]);
    expect(found('Mob-9876543210', 'IN')).toEqual([['9876543210', '+919876543210']]);
    expect(found('Mobile:-+91 98765 43210', 'IN')).toEqual([['+91 98765 43210', '+919876543210']]);
    expect(found('☎️ 1133334444', 'BR')).toEqual([['1133334444', '+551133334444']]);
    expect(found('Telefone fixo: 1133334444', 'BR')).toEqual([['1133334444', '+551133334444']]);
    none('ABC-4155550101');
    none('Booking #4155550101');
  });

  it('splits an international number from a national one that follows it', () => {
    expect(found('Tel.: +49-221-1495085 06221 158-704 (main office)', 'DE')).toEqual([
      ['+49-221-1495085', '+492211495085'],
      ['06221 158-704', '+496221158704'],
    ]);
  });

  it('leaves a postcode and its town out of a long German number', () => {
    expect(found('Tel 089 123456 80331 München', 'DE')).toEqual([['089 123456', '+4989123456']]);
    expect(found('Tel 030 1234 56789 Fax', 'DE')).toEqual([['030 1234 56789', '+4930123456789']]);
  });

  it('takes serial, part, voucher and bill numbers as identifiers, and "Booking:" alone as a label', () => {
    for (const [text, country] of [
      ['S/N: 7135550123', 'US'],
      ['P/N 0412345678', 'AU'],
      ['NPI: 2345678901', 'US'],
      ['Bestell-Nr. 0301234567', 'DE'],
      ['Código do cliente 11987654321', 'BR'],
      ['Bill no 9876543210 dated 01-04-2024', 'IN'],
      ['Job no. 0398765432', 'AU'],
    ] as const) {
      none(text, country);
    }
    expect(found('P: 0412 345 678', 'AU')).toEqual([['0412 345 678', '+61412345678']]);
    expect(found('Booking: 7012345678 / 7012345679', 'IN')).toEqual([
      ['7012345678', '+917012345678'],
      ['7012345679', '+917012345679'],
    ]);
    expect(found('Atendimento ao cliente: (11) 3333-4444', 'BR')).toEqual([['(11) 3333-4444', '+551133334444']]);
    expect(found('Service client : 0364241476', 'FR')).toEqual([['0364241476', '+33364241476']]);
    none('Code client : 0145678901', 'FR');
    none('Référence client : 0612345678', 'FR');
    expect(found('Call Bill 0412 345 678', 'AU')).toEqual([['0412 345 678', '+61412345678']]);
  });

  it('reads "x.12" and a full-width (内線…) as extensions, and a phone word glued to its number', () => {
    expect(found('415-555-0101 x.12')).toEqual([['415-555-0101 x.12', '+14155550101;ext=12']]);
    expect(found('電話 03-1234-5678（内線204）', 'JP')).toEqual([['03-1234-5678（内線204）', '+81312345678;ext=204']]);
    expect(found('TEL03-1234-5678', 'JP')).toEqual([['03-1234-5678', '+81312345678']]);
    none('M0412345678', 'AU');
    none('AB4155550101');
  });

  it('leaves times written with a dot, round-the-clock hours and distances alone', () => {
    none('Öffnungszeiten Mo–Fr 07.30–16.30 Uhr', 'DE');
    none('Bürozeiten: 08.15 – 16.45', 'DE');
    none('ab 06.12 06.42', 'DE');
    none('Odometer: 132 511 km', 'AU');
    expect(found('Tél. 01.23.45.67.89', 'FR')).toEqual([['01.23.45.67.89', '+33123456789']]);
    expect(found('Call 1300 365 365 24/7', 'AU')).toEqual([['1300 365 365', '+611300365365']]);
    expect(found('Roadside 1300 655 506 24 hours', 'AU')).toEqual([['1300 655 506', '+611300655506']]);
    expect(found('Portable : 06 12 32 24 54 GB61 BARC 0640 0542', 'FR')).toEqual([['06 12 32 24 54', '+33612322454']]);
  });

  it('reads a number after a comma that cannot be a decimal one (CSV rows)', () => {
    expect(found('"Acme",94105,(415) 555-0101')).toEqual([['(415) 555-0101', '+14155550101']]);
    expect(found('Firma,80331,089 1234567', 'DE')).toEqual([['089 1234567', '+49891234567']]);
    expect(found('560001,+91-98765-43210', 'IN')).toEqual([['+91-98765-43210', '+919876543210']]);
    none('1,234.56');
  });

  it('ends a number at a parenthesis that opens hours or a note (Japanese listings)', () => {
    expect(found('TEL：03-1234-5678（9:00〜18:00）', 'JP')).toEqual([['03-1234-5678', '+81312345678']]);
    expect(found('080-1234-5678（24時間受付）', 'JP')).toEqual([['080-1234-5678', '+818012345678']]);
    expect(found('03(1234)5678', 'JP')).toEqual([['03(1234)5678', '+81312345678']]);
    expect(found('Call (415) 555-0161/(415) 555-0162')).toEqual([
      ['(415) 555-0161', '+14155550161'],
      ['(415) 555-0162', '+14155550162'],
    ]);
  });

  it('reads US addresses: a state code is not an id, a row of ZIP codes is not a number', () => {
    expect(found('Houston TX 77002 713-555-0100')).toEqual([['713-555-0100', '+17135550100']]);
    expect(found('Bldg A2 415-555-0101')).toEqual([['415-555-0101', '+14155550101']]);
    none('Service area: 94123 94127 94129');
  });

  it('reads a number after a registration number in groups, when it opens with its trunk 0', () => {
    expect(found('SIREN 552 100 554 01 23 45 67 89', 'FR')).toEqual([['01 23 45 67 89', '+33123456789']]);
    expect(found('ABN 51 824 753 556 02 9876 5432', 'AU')).toEqual([['02 9876 5432', '+61298765432']]);
    expect(found('Steuernummer 215/5807/1234 0221 1234567', 'DE')).toEqual([['0221 1234567', '+492211234567']]);
    none('SIRET 807 068 978 02128', 'IN');
    none('Paket 0034 0434 1612 3456 7890', 'DE');
    none('Carte Vitale 1 85 05 78 006 084', 'FR');
  });

  it('takes more identifier labels', () => {
    for (const [text, country] of [
      ['A/c No. 9876543210', 'IN'],
      ['Electricity Service No. 9876543210', 'IN'],
      ['商品コード 0120123456', 'JP'],
      ['N° de commande 06 12 34 56 78', 'FR'],
      ['Réf. produit 0612345678', 'FR'],
      ['Winning numbers 13 12 51 20 33 41', 'AU'],
    ] as const) {
      none(text, country);
    }
    expect(found('Customer Service: 1800 123 4567', 'IN')).toEqual([['1800 123 4567', '+9118001234567']]);
  });

  it('reads extensions after a dash, a colon with a space, "#", "-" or "No."', () => {
    for (const [text, number, dial, country] of [
      ['01 23 45 67 89 poste : 12', '01 23 45 67 89 poste : 12', '+33123456789;ext=12', 'FR'],
      ['(11) 3333-4444 - ramal 12', '(11) 3333-4444 - ramal 12', '+551133334444;ext=12', 'BR'],
      ['030 1234567, Durchwahl -12', '030 1234567, Durchwahl -12', '+49301234567;ext=12', 'DE'],
      ['415-555-0101 Ext-204', '415-555-0101 Ext-204', '+14155550101;ext=204', 'US'],
      ['415-555-0101 ext# 12', '415-555-0101 ext# 12', '+14155550101;ext=12', 'US'],
      ['415-555-0101 Ext. No. 12', '415-555-0101 Ext. No. 12', '+14155550101;ext=12', 'US'],
      ['03-1234-5678 内線204番', '03-1234-5678 内線204番', '+81312345678;ext=204', 'JP'],
    ] as const) {
      expect(found(text, country)).toEqual([[number, dial]]);
    }
    expect(found('415-555-0101 - 415-555-0102')).toEqual([
      ['415-555-0101', '+14155550101'],
      ['415-555-0102', '+14155550102'],
    ]);
  });

  it('leaves a whole-number parenthesis out of the span', () => {
    expect(found('(9876543210)', 'IN')).toEqual([['9876543210', '+919876543210']]);
  });

  it('reports only valid numbers', () => {
    none('555-555-5555');
    none('123-456-7890');
    none('+1 123 456 7890');
    none('+1 415 555 010');
  });
});

describe('detect: input edge cases', () => {
  it('falls back to US for an unknown default country', () => {
    expect(found('415-555-0101', 'XX' as CountryCode)).toEqual([['415-555-0101', '+14155550101']]);
    expect(found('415-555-0101', 'us' as CountryCode)).toEqual([['415-555-0101', '+14155550101']]);
  });

  it('handles empty and tiny input', () => {
    expect(detect('', { defaultCountry: 'US' })).toEqual([]);
    expect(detect('12', { defaultCountry: 'US' })).toEqual([]);
  });

  it('handles long runs of digits and separators without trouble', () => {
    const text = '7 '.repeat(5000) + '415-555-0101 ' + '9'.repeat(10000) + ' ' + '1.'.repeat(3000);
    // (a quadratic blow-up would hit the test timeout)
    expect(found(text)).toEqual([['415-555-0101', '+14155550101']]);
    expect(found('1 '.repeat(5000) + '415-555-0101').map(([, dial]) => dial)).toEqual(['+14155550101']);
  });

  it('is deterministic and independent of earlier calls (caches)', () => {
    const text = 'Tel 030 1234567 / ts 1700000000';
    const first = found(text, 'DE');
    found('030 1234567', 'US');
    expect(found(text, 'DE')).toEqual(first);
  });
});
