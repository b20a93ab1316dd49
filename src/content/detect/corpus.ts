/**
 * Synthetic, seeded test corpus for the detector: per locale, snippets of realistic text with
 * phone numbers (positives, with ground-truth spans and dial strings) and hard negatives
 * (dates, prices, ids, postal codes, IPs, cards, IBANs, ISBNs, versions, timestamps, URLs,
 * e-mail addresses, SKUs, tracking numbers, coordinates, national id numbers).
 *
 * Valid numbers come from libphonenumber-js itself: its example mobile numbers and per-locale
 * number-range templates, with the subscriber digits randomised and kept only when `isValid()`
 * (max metadata). They are written in each country's usual national notations and in
 * international notation, with and without extensions.
 *
 * Test and benchmark code only: nothing in the content script imports this module.
 */
import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadata from 'libphonenumber-js/metadata.max.json';

export const LOCALES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Truth {
  start: number;
  end: number;
  kind: 'phone' | 'sip';
  /** Expected `Detection.dial`. */
  dial: string;
}

export interface Sample {
  locale: Locale;
  text: string;
  truths: Truth[];
  /** Number of hard negatives written into the text. */
  negatives: number;
  /** What the negative is (for failure reports), e.g. 'date', 'iban'. */
  labels: string[];
}

/** Mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  pad(v: number, n: number): string {
    return String(v).padStart(n, '0');
  }
}

/* ------------------------------------------------------------------ valid numbers */

interface NumberSource {
  calling: string;
  /** National significant number templates: x = random digit. */
  templates: string[];
}

const SOURCES: Record<Locale, NumberSource> = {
  US: { calling: '1', templates: ['212xxxxxxx', '415xxxxxxx', '312xxxxxxx', '617xxxxxxx', '202xxxxxxx', '305xxxxxxx', '713xxxxxxx', '206xxxxxxx', '646xxxxxxx', '503xxxxxxx', '800xxxxxxx', '888xxxxxxx'] },
  GB: { calling: '44', templates: ['20xxxxxxxx', '161xxxxxxx', '121xxxxxxx', '131xxxxxxx', '113xxxxxxx', '1632xxxxxx', '7400xxxxxx', '77xxxxxxxx', '79xxxxxxxx', '800xxxxxxx', '345xxxxxxx'] },
  DE: { calling: '49', templates: ['30xxxxxxx', '30xxxxxxxx', '89xxxxxxx', '40xxxxxxxx', '69xxxxxxxx', '221xxxxxxx', '711xxxxxxx', '6221xxxxxx', '151xxxxxxxx', '160xxxxxxx', '170xxxxxxx', '176xxxxxxxx', '800xxxxxxx'] },
  FR: { calling: '33', templates: ['1xxxxxxxx', '2xxxxxxxx', '3xxxxxxxx', '4xxxxxxxx', '5xxxxxxxx', '6xxxxxxxx', '7xxxxxxxx', '9xxxxxxxx', '800xxxxxx'] },
  IN: { calling: '91', templates: ['9xxxxxxxxx', '8xxxxxxxxx', '7xxxxxxxxx', '6xxxxxxxxx', '22xxxxxxxx', '11xxxxxxxx', '80xxxxxxxx', '44xxxxxxxx', '33xxxxxxxx', '1800xxxxxxx'] },
  BR: { calling: '55', templates: ['119xxxxxxxx', '219xxxxxxxx', '319xxxxxxxx', '11xxxxxxxx', '21xxxxxxxx', '31xxxxxxxx', '61xxxxxxxx', '51xxxxxxxx', '800xxxxxxx'] },
  JP: { calling: '81', templates: ['3xxxxxxxx', '6xxxxxxxx', '45xxxxxxx', '52xxxxxxx', '90xxxxxxxx', '80xxxxxxxx', '70xxxxxxxx', '120xxxxxx', '50xxxxxxxx'] },
  AU: { calling: '61', templates: ['2xxxxxxxx', '3xxxxxxxx', '7xxxxxxxx', '8xxxxxxxx', '4xxxxxxxx', '1300xxxxxx', '1800xxxxxx', '13xxxx'] },
};

function parseE164(e164: string): PhoneNumber | undefined {
  return parsePhoneNumberFromString(e164, metadata);
}

/** A valid number of `locale`: a template or the example mobile number, digits randomised. */
export function validNumber(rng: Rng, locale: Locale): PhoneNumber {
  const source = SOURCES[locale];
  for (let attempt = 0; attempt < 500; attempt++) {
    let nsn: string;
    if (rng.chance(0.25)) {
      const example = getExampleNumber(locale as CountryCode, examples, metadata);
      if (!example) throw new Error(`no example number for ${locale}`);
      const base = example.nationalNumber;
      const keep = base.length - rng.int(3, Math.min(6, base.length - 2));
      nsn = base.slice(0, keep) + rng.digits(base.length - keep);
    } else {
      nsn = rng.pick(source.templates).replace(/x/g, () => String(rng.int(0, 9)));
    }
    const pn = parseE164(`+${source.calling}${nsn}`);
    if (pn?.isValid() && pn.country === locale) return pn;
  }
  throw new Error(`could not make a valid ${locale} number`);
}

/* ------------------------------------------------------------------ notations */

function groups(formatted: string): string[] {
  return formatted.match(/[0-9]+/g) ?? [];
}

const FULLWIDTH: Record<string, string> = { '-': '－', '(': '（', ')': '）', '+': '＋', ' ': ' ' };
function fullwidth(s: string): string {
  return s.replace(/[0-9\-()+]/g, (c) => (c >= '0' && c <= '9' ? String.fromCharCode(c.charCodeAt(0) - 48 + 0xff10) : (FULLWIDTH[c] ?? c)));
}

/** International call prefixes as written from each locale (Brazil's need a carrier code). */
const IDD: Record<Locale, string> = { US: '011', GB: '00', DE: '00', FR: '00', IN: '00', BR: '', JP: '010', AU: '0011' };

/** Ways people write this number in text, for a reader in `locale`. */
export function notations(pn: PhoneNumber, locale: Locale, rng: Rng): string {
  const nat = pn.formatNational();
  const natGroups = groups(nat);
  const intl = pn.formatInternational();
  const cc = pn.countryCallingCode;
  const intlGroups = groups(intl).slice(1);
  const home = pn.country === locale;
  const trunk = natGroups.join('').length > pn.nationalNumber.length; // national format has the trunk 0
  const options: (() => string)[] = [
    () => intl,
    () => intl,
    () => `+${cc} ${intlGroups.join('-')}`,
    () => `+${cc}-${intlGroups.join('-')}`,
    () => pn.number,
    () => `+${cc}.${intlGroups.join('.')}`,
  ];
  const idd = IDD[locale];
  if (!home && idd) {
    // the international call prefix of the reader's country
    options.push(
      () => `${idd} ${cc} ${intlGroups.join(' ')}`,
      () => `${idd}${cc} ${intlGroups.join(' ')}`,
    );
  }
  if (trunk) options.push(() => `+${cc} (0)${intlGroups.join(' ')}`, () => `+${cc} (0) ${intlGroups.join(' ')}`);
  if (!home) return rng.pick(options)();

  const n = pn.nationalNumber;
  const national: (() => string)[] = [() => nat, () => nat, () => nat, () => natGroups.join(' ')];
  switch (locale) {
    case 'US':
      national.push(
        () => natGroups.join('-'),
        () => natGroups.join('-'),
        () => natGroups.join('.'),
        () => n,
        () => `1-${natGroups.join('-')}`,
        () => `1 (${natGroups[0]}) ${natGroups[1]}-${natGroups[2]}`,
        () => `+1 (${natGroups[0]}) ${natGroups[1]}-${natGroups[2]}`,
        () => `+1 ${natGroups.join('-')}`,
        () => `(${natGroups[0]})${natGroups[1]}-${natGroups[2]}`,
      );
      break;
    case 'GB':
      national.push(() => natGroups.join(''), () => `(${natGroups[0]}) ${natGroups.slice(1).join(' ')}`, () => natGroups.join('-'));
      break;
    case 'DE':
      national.push(
        () => `${natGroups[0]}/${natGroups.slice(1).join('')}`,
        () => `${natGroups[0]}-${natGroups.slice(1).join('')}`,
        () => `(${natGroups[0]}) ${natGroups.slice(1).join('')}`,
        () => natGroups.join(''),
        () => `${natGroups[0]} ${natGroups.slice(1).join('').replace(/(\d\d)(?=\d{2,}$)/g, '$1 ')}`,
        // DIN 5008 with a direct-dial suffix: 030 12345-678
        () => {
          const rest = natGroups.slice(1).join('');
          return rest.length >= 6 ? `${natGroups[0]} ${rest.slice(0, -3)}-${rest.slice(-3)}` : nat;
        },
      );
      break;
    case 'FR':
      national.push(() => natGroups.join('.'), () => natGroups.join(''), () => natGroups.join('-'), () => natGroups.join('\u00a0'));
      break;
    case 'IN':
      national.push(
        () => (n.length === 10 && /^[6-9]/.test(n) ? `${n.slice(0, 5)} ${n.slice(5)}` : nat),
        () => (n.length === 10 && /^[6-9]/.test(n) ? n : natGroups.join('-')),
        () => `0${n}`,
        () => natGroups.join('-'),
        () => `+91-${n}`,
        () => `+91 ${n}`,
        () => `91-${n}`,
      );
      break;
    case 'BR':
      national.push(
        () => `${natGroups[0]} ${natGroups.slice(1).join('-')}`,
        () => `(${natGroups[0]})${natGroups.slice(1).join('-')}`,
        () => `${natGroups[0]} ${natGroups.slice(1).join('')}`,
        () => `+55 (${natGroups[0]}) ${natGroups.slice(1).join('-')}`,
        () => `+55 ${natGroups[0]} ${natGroups.slice(1).join('-')}`,
      );
      break;
    case 'JP':
      national.push(
        () => natGroups.join(''),
        () => (natGroups.length === 3 ? `${natGroups[0]}(${natGroups[1]})${natGroups[2]}` : nat),
        () => (natGroups.length === 3 ? `(${natGroups[0]}) ${natGroups[1]}-${natGroups[2]}` : nat),
        () => fullwidth(nat),
        () => natGroups.join(' '),
      );
      break;
    case 'AU':
      national.push(
        () => natGroups.join(''),
        () => (natGroups[0]?.startsWith('0') && natGroups[0].length === 2 ? `(${natGroups[0]}) ${natGroups.slice(1).join(' ')}` : nat),
        () => natGroups.join('-'),
      );
      break;
  }
  return rng.chance(0.7) ? rng.pick(national)() : rng.pick(options)();
}

/* ------------------------------------------------------------------ text building */

class Doc {
  text = '';
  truths: Truth[] = [];
  add(s: string): void {
    this.text += s;
  }
  phone(s: string, dial: string): void {
    this.truths.push({ start: this.text.length, end: this.text.length + s.length, kind: 'phone', dial });
    this.text += s;
  }
  sip(s: string, dial: string): void {
    this.truths.push({ start: this.text.length, end: this.text.length + s.length, kind: 'sip', dial });
    this.text += s;
  }
}

const EXTENSIONS: ((e: string) => string)[] = [
  (e) => ` x${e}`,
  (e) => ` x ${e}`,
  (e) => ` ext. ${e}`,
  (e) => ` ext ${e}`,
  (e) => `, ext. ${e}`,
  (e) => ` Ext: ${e}`,
  (e) => ` extension ${e}`,
  (e) => ` #${e}`,
  (e) => ` (ext. ${e})`,
];

/** Labels and sentences around a phone number: {} is the number. */
const POSITIVE_CONTEXTS: Record<Locale | 'any', string[]> = {
  any: [
    '{}',
    'Tel: {}',
    'Tel. {}',
    'Phone: {}',
    'Fax: {}',
    'Call {} today.',
    '({})',
    '{} (main office)',
    '| Support | {} | 9–17 |',
    'Contact: {}\n',
    '☎ {}',
    'Ph {} / Fax {}',
    'Mobile: {}',
    '{}\nOpening hours 9:00–17:00',
    'Office:\t{}',
    '<{}>',
    '"{}"',
    'Sales — {} — Support',
    'T: {}  E: info@example.com',
    'Hotline {}; fax {}.',
  ],
  US: ['Call us at {} for a free quote.', 'Questions? Give us a call: {}', 'Reach Jane Doe at {} or by email.', 'Customer service ({}) is open 24/7.', 'Text STOP to {}.', 'Phone #: {}', 'Main: {} • Toll-free: {}', 'Reservations: {}, walk-ins welcome.'],
  GB: ['Ring us on {} for a free quote.', 'Call our team on {} (Mon–Fri).', 'Switchboard: {}', 'Freephone {} from a UK landline.', 'Tel {} | Fax {}'],
  DE: ['Telefon: {}', 'Tel.: {}', 'Rufen Sie uns an: {}', 'Telefax {}', 'Mobil: {}', 'Tel. {} (Zentrale), Fax {}', 'Erreichbar unter {} (Mo–Fr 8–18 Uhr).'],
  FR: ['Tél. : {}', 'Téléphone : {}', 'Service client : {}', 'Appelez-nous au {} !', 'Portable : {}', 'Standard {} — Fax {}', 'Contact : {} (du lundi au vendredi)'],
  IN: ['Mob: {}', 'Mob:-{}', 'Mobile No. {}', 'Call/WhatsApp {}', 'Ph: {}, {}', 'For bookings call {} (10am–7pm).', 'फ़ोन: {}', 'Customer care: {}'],
  BR: ['Tel.: {}', 'Telefone: {}', 'WhatsApp: {}', 'Ligue {} e agende.', 'Contato: {} / {}', 'Fone {}', 'Celular: {}'],
  JP: ['電話：{}', 'TEL {}', 'TEL：{}（代表）', 'お問い合わせ {}', '携帯 {}', 'FAX：{}', '電話番号 {}（平日9時〜18時）'],
  AU: ['Call us on {} today.', 'Ph: {}', 'Phone {} | Fax {}', 'Mobile: {}', 'Bookings: {} (9am–5pm AEST)'],
};

/* ------------------------------------------------------------------ hard negatives */

type NegativeMaker = (rng: Rng, locale: Locale) => string;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function date(rng: Rng): { y: number; m: string; d: string; H: string; M: string; S: string } {
  return {
    y: rng.int(1995, 2030),
    m: rng.pad(rng.int(1, 12), 2),
    d: rng.pad(rng.int(1, 28), 2),
    H: rng.pad(rng.int(0, 23), 2),
    M: rng.pad(rng.int(0, 59), 2),
    S: rng.pad(rng.int(0, 59), 2),
  };
}

function thousands(v: string, sep: string): string {
  return v.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function luhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const NEGATIVES: Record<string, NegativeMaker> = {
  date: (rng) => {
    const t = date(rng);
    return rng.pick([
      `${t.d}.${t.m}.${t.y}`,
      `${t.m}/${t.d}/${t.y}`,
      `${t.d}/${t.m}/${t.y}`,
      `${t.y}-${t.m}-${t.d}`,
      `${t.y}/${t.m}/${t.d}`,
      `${t.y}.${t.m}.${t.d}`,
      `${t.d}-${t.m}-${t.y}`,
      `${t.y}${t.m}${t.d}`,
      `${t.d}.${t.m}.${String(t.y).slice(2)}`,
      `${Number(t.d)} ${rng.pick(MONTHS)} ${t.y}`,
      `${t.y}年${Number(t.m)}月${Number(t.d)}日`,
    ]);
  },
  datetime: (rng) => {
    const t = date(rng);
    return rng.pick([
      `${t.y}-${t.m}-${t.d}T${t.H}:${t.M}:${t.S}Z`,
      `${t.y}-${t.m}-${t.d}T${t.H}:${t.M}:${t.S}.${rng.digits(3)}+02:00`,
      `${t.y}/${t.m}/${t.d} ${t.H}:${t.M}:${t.S}`,
      `${t.d}.${t.m}.${t.y} ${t.H}:${t.M}`,
      `${t.m}/${t.d}/${t.y} ${t.H}:${t.M} PM`,
      `${t.y}-${t.m}-${t.d} ${t.H}:${t.M}:${t.S}`,
      `${t.y}${t.m}${t.d}${t.H}${t.M}${t.S}`,
      `${t.H}:${t.M}:${t.S}`,
      `${t.y}-${t.m}-${t.d} ${t.H}:${t.M}`,
    ]);
  },
  price: (rng) => {
    const v = String(rng.int(100000, 99999999));
    const c = rng.pad(rng.int(0, 99), 2);
    return rng.pick([
      `$${thousands(v, ',')}.${c}`,
      `${thousands(v, '.')},${c} €`,
      `€ ${thousands(v, '.')},${c}`,
      `£${thousands(v, ',')}.${c}`,
      `R$ ${thousands(v, '.')},${c}`,
      `₹${v.replace(/\B(?=(\d{2})*\d{3}$)/g, ',')}`,
      `¥${thousands(v, ',')}`,
      `${thousands(v, '\u00a0')},${c} €`,
      `${thousands(v, ' ')} €`,
      `USD ${thousands(v, ',')}`,
      `${thousands(v, ',')}円`,
      `A$${thousands(v, ',')}.${c}`,
      `${v} EUR`,
      `${thousands(v, ',')}.${c}`,
    ]);
  },
  orderId: (rng) =>
    rng.pick([
      `Order #${rng.int(1, 9)}${rng.digits(9)}`,
      `Order No. ${rng.int(2, 9)}${rng.digits(9)}`,
      `INV-${rng.int(2019, 2026)}-${rng.digits(7)}`,
      `Invoice ${rng.int(2019, 2026)}${rng.digits(6)}`,
      `Ref: ${rng.digits(10)}`,
      `Bestellnummer ${rng.digits(10)}`,
      `Rechnung Nr. ${rng.int(2019, 2026)}-${rng.digits(5)}`,
      `Commande n° ${rng.digits(10)}`,
      `Pedido ${rng.digits(10)}`,
      `注文番号 ${rng.digits(10)}`,
      `Ticket #${rng.digits(8)}`,
      `Account: ${rng.digits(10)}`,
      `Customer ID ${rng.digits(11)}`,
      `PO-${rng.digits(8)}`,
    ]),
  postal: (rng) =>
    rng.pick([
      `CA ${rng.int(90001, 96162)}-${rng.digits(4)}`,
      `NY ${rng.int(10001, 14925)}-${rng.digits(4)}`,
      `São Paulo - SP, ${rng.pad(rng.int(1000, 19999), 5)}-${rng.digits(3)}`,
      `〒${rng.int(100, 999)}-${rng.digits(4)}`,
      `PIN ${rng.int(110001, 855999)}`,
      `${rng.int(10115, 99998)} Berlin`,
      `${rng.pad(rng.int(1000, 95999), 5)} Paris`,
      `NSW ${rng.int(2000, 2999)}`,
      `ZIP ${rng.pad(rng.int(1001, 99950), 5)}-${rng.digits(4)}`,
    ]),
  ip: (rng) =>
    rng.pick([
      `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      `${rng.int(10, 192)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}:${rng.int(1024, 65535)}`,
      `2001:0db8:${rng.digits(4)}:0000:0000:8a2e:0370:${rng.digits(4)}`,
      `fe80::${rng.digits(4)}:${rng.digits(4)}:${rng.digits(4)}:${rng.digits(4)}`,
      `::ffff:192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}/24`,
    ]),
  card: (rng) => {
    const prefix = rng.pick(['4', '51', '52', '53', '54', '55', '6011', '35']);
    const num = luhn(prefix + rng.digits(15 - prefix.length));
    const amex = luhn('37' + rng.digits(12));
    return rng.pick([
      num.replace(/(\d{4})(?=\d)/g, '$1 '),
      num.replace(/(\d{4})(?=\d)/g, '$1-'),
      num,
      '4111 1111 1111 1111',
      `${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`,
      `**** **** **** ${rng.digits(4)}`,
    ]);
  },
  iban: (rng) =>
    rng.pick([
      'DE89 3704 0044 0532 0130 00',
      'GB29 NWBK 6016 1331 9268 19',
      `DE${rng.digits(2)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`,
      `GB${rng.digits(2)} BARC ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`,
      `FR76 ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(3)}`,
      `DE${rng.digits(20)}`,
      `BR15 ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(3)} P1`,
    ]),
  isbn: (rng) =>
    rng.pick([
      '978-3-16-148410-0',
      `ISBN 978-${rng.int(0, 4)}-${rng.digits(3)}-${rng.digits(5)}-${rng.digits(1)}`,
      `ISBN-13: 978${rng.digits(10)}`,
      `ISBN 0-${rng.digits(3)}-${rng.digits(5)}-${rng.digits(1)}`,
      `978 ${rng.int(1, 4)} ${rng.digits(2)} ${rng.digits(6)} ${rng.digits(1)}`,
      `ISSN ${rng.digits(4)}-${rng.digits(4)}`,
    ]),
  version: (rng) =>
    rng.pick([
      `v${rng.int(1, 20)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.digits(4)}`,
      `${rng.int(1, 20)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.digits(4)}`,
      `version ${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}.${rng.int(2019, 2026)}${rng.digits(4)}`,
      `Build ${rng.int(10, 12)}.0.${rng.digits(5)}.${rng.digits(4)}`,
      `Chrome/${rng.int(100, 130)}.0.${rng.digits(4)}.${rng.digits(3)}`,
      `release-${rng.int(2019, 2026)}.${rng.pad(rng.int(1, 12), 2)}.${rng.digits(6)}`,
    ]),
  timestamp: (rng) =>
    rng.pick([
      String(rng.int(1500000000, 1999999999)),
      `${rng.int(1500000000, 1999999999)}${rng.digits(3)}`,
      `ts=${rng.int(1500000000, 1999999999)}`,
      `"created_at": ${rng.int(1500000000, 1999999999)}`,
      `updated ${rng.int(1500000000, 1999999999)}`,
      `epoch ${rng.int(1500000000, 1999999999)}${rng.digits(3)}`,
    ]),
  url: (rng, locale) => {
    const n = notations(validNumber(rng, locale), locale, rng).replace(/[^0-9]/g, '');
    return rng.pick([
      `https://x.com/${n}`,
      `https://example.com/item/${rng.digits(10)}?ref=${n}`,
      `www.example.de/kontakt/${n}`,
      `http://192.168.1.1:8080/cgi-bin/${n}`,
      `https://maps.example.com/@${rng.int(10, 60)}.${rng.digits(7)},${rng.int(-120, 150)}.${rng.digits(7)},15z`,
      `example.com/p/${n}`,
      `https://shop.example/${n}-widget`,
    ]);
  },
  email: (rng, locale) => {
    const n = notations(validNumber(rng, locale), locale, rng).replace(/[^0-9]/g, '');
    return rng.pick([`${n}@example.com`, `john.${n}@mail.example`, `${n}.sales@example.co.uk`, `user+${n}@example.org`]);
  },
  sku: (rng) =>
    rng.pick([
      `SKU: ${rng.digits(2)}-${rng.digits(4)}-${rng.digits(4)}`,
      `Art.-Nr. 400${rng.digits(10)}`,
      `Model XJ-${rng.digits(4)}-${rng.digits(4)}`,
      `EAN ${rng.int(3, 9)}${rng.digits(12)}`,
      `UPC ${rng.digits(12)}`,
      `Item ${rng.digits(3)}-${rng.digits(3)}-${rng.digits(4)}`,
      `ASIN B0${rng.digits(8)}`,
      `Part no. ${rng.digits(10)}`,
      `SKU-${rng.digits(6)}-XL`,
    ]),
  tracking: (rng) =>
    rng.pick([
      `1Z${rng.digits(3)}AA1${rng.digits(10)}`,
      `Tracking: 9400 ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`,
      `FedEx ${rng.digits(4)} ${rng.digits(4)} ${rng.digits(4)}`,
      `DHL JD0${rng.digits(17)}`,
      `Sendungsnummer ${rng.digits(20)}`,
      `AWB ${rng.digits(3)}-${rng.digits(8)}`,
      `Tracking number ${rng.digits(12)}`,
    ]),
  coordinates: (rng) => {
    const lat = `${rng.int(-60, 60)}.${rng.digits(rng.int(4, 7))}`;
    const lon = `${rng.int(-170, 170)}.${rng.digits(rng.int(4, 7))}`;
    return rng.pick([`${lat}, ${lon}`, `${lat.replace('-', '')}° N, ${lon.replace('-', '')}° E`, `lat=${lat}&lng=${lon}`, `(${lat}, ${lon})`, `${lat} ${lon}`]);
  },
  nationalId: (rng) =>
    rng.pick([
      `SSN ${rng.int(100, 899)}-${rng.digits(2)}-${rng.digits(4)}`,
      `CPF ${rng.digits(3)}.${rng.digits(3)}.${rng.digits(3)}-${rng.digits(2)}`,
      `${rng.digits(3)}.${rng.digits(3)}.${rng.digits(3)}-${rng.digits(2)}`,
      `CNPJ ${rng.digits(2)}.${rng.digits(3)}.${rng.digits(3)}/0001-${rng.digits(2)}`,
      `Aadhaar ${rng.int(2, 9)}${rng.digits(3)} ${rng.digits(4)} ${rng.digits(4)}`,
      `${rng.int(2, 9)}${rng.digits(3)} ${rng.digits(4)} ${rng.digits(4)}`,
      `ABN ${rng.int(10, 99)} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}`,
      `TFN ${rng.int(100, 999)} ${rng.digits(3)} ${rng.digits(3)}`,
      `NHS ${rng.int(400, 999)} ${rng.digits(3)} ${rng.digits(4)}`,
      `Steuer-ID ${rng.int(10, 99)} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}`,
      `SIRET ${rng.int(100, 999)} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(5)}`,
      `マイナンバー ${rng.int(1000, 9999)} ${rng.digits(4)} ${rng.digits(4)}`,
    ]),
  quantity: (rng) =>
    rng.pick([
      `${thousands(String(rng.int(1000000, 999999999)), ',')} visitors`,
      `population ${thousands(String(rng.int(1000000, 99999999)), rng.pick([' ', '.', '\u202f']))}`,
      `${rng.int(1280, 3840)}x${rng.int(720, 2160)}`,
      `${rng.int(2000, 2020)}–${rng.int(2021, 2030)}`,
      `pages ${rng.int(100, 999)}-${rng.int(1000, 1999)}`,
      `ISO ${rng.int(9000, 27001)}:${rng.int(2005, 2024)}`,
      `RFC ${rng.int(1000, 9999)}`,
      `${rng.int(10, 99)}.${rng.digits(6)}%`,
      `${rng.digits(8)}円`,
      `MAC 00:1A:${rng.digits(2)}:3C:4D:${rng.digits(2)}`,
      `${rng.digits(8)}-e89b-12d3-a456-${rng.digits(12)}`,
      `№ ${rng.digits(10)}`,
      `#${rng.digits(10)}`,
      `${rng.digits(10)}th`,
      `-${rng.digits(10)}`,
      `${rng.int(1, 9)},${rng.digits(3)},${rng.digits(3)},${rng.digits(3)}`,
      `score ${rng.int(0, 9)}-${rng.int(0, 9)}`,
      `${rng.int(1, 9)}.${rng.digits(9)}`,
    ]),
  glued: (rng, locale) => {
    const n = notations(validNumber(rng, locale), locale, rng).replace(/[^0-9]/g, '');
    return rng.pick([`ABC${n}`, `${n}XYZ`, `id_${n}`, `ref-${n}`, `v${n}`, `${n}ms`, `x=${n}`, `${n}%`, `$${n}`, `${n}€`]);
  },
};

const NEGATIVE_KINDS = Object.keys(NEGATIVES);

/** Neutral sentences for negatives: {} is the negative. No phone words. */
const NEGATIVE_CONTEXTS = [
  '{}',
  'Updated {} by admin.',
  'See {} for details.',
  'Value: {}',
  '| {} | {} |',
  '{}\n',
  'Last sync {}',
  '({})',
  'Item {} shipped.',
  'Total {}',
  'Nota: {}',
  'Stand: {}',
  'Date : {}',
  '更新日 {}',
  'From {} to {}',
];

/* ------------------------------------------------------------------ corpus */

function fill(doc: Doc, template: string, slot: () => void): void {
  const parts = template.split('{}');
  parts.forEach((part, i) => {
    doc.add(part);
    if (i < parts.length - 1) slot();
  });
}

function phoneInto(doc: Doc, rng: Rng, locale: Locale): void {
  const foreign = rng.chance(0.12);
  const country = foreign ? rng.pick(LOCALES.filter((l) => l !== locale)) : locale;
  const pn = validNumber(rng, country);
  let written = notations(pn, locale, rng);
  let dial = pn.number;
  // A bare 10-digit run starting with 1 looks like a Unix timestamp and needs a phone word;
  // the corpus writes those with separators (the context rule is tested in detect.test.ts).
  if (/^1[0-9]{9}$/.test(written)) written = pn.formatNational();
  if (rng.chance(0.12)) {
    const ext = String(rng.int(1, 9999));
    written += rng.pick(EXTENSIONS)(ext);
    dial += `;ext=${ext}`;
  }
  doc.phone(written, dial);
}

function sipInto(doc: Doc, rng: Rng): void {
  const user = rng.pick(['alice', 'bob', 'support', 'sales.team', '+14155550101', '1001', 'j.doe']);
  const host = rng.pick(['example.com', 'voip.example.org', 'pbx.example.de', '10.0.0.1', 'sip.example.co.uk']);
  const tail = rng.pick(['', '', ':5061', ';transport=tls', ':5060;transport=udp', ';user=phone']);
  const scheme = rng.pick(['sip', 'sip', 'sips']);
  const uri = `${scheme}:${user}@${host}${tail}`;
  doc.sip(uri, uri);
}

export interface CorpusOptions {
  seed?: number;
  positives?: number;
  negatives?: number;
}

export const DEFAULT_SEED = 20240312;

/** Snippets for one locale: `positives` snippets with numbers, `negatives` with look-alikes. */
export function generateCorpus(locale: Locale, options: CorpusOptions = {}): Sample[] {
  const seed = (options.seed ?? DEFAULT_SEED) + LOCALES.indexOf(locale) * 7919;
  const rng = new Rng(prng(seed));
  const samples: Sample[] = [];
  const contexts = [...POSITIVE_CONTEXTS.any, ...POSITIVE_CONTEXTS[locale], ...POSITIVE_CONTEXTS[locale]];
  for (let i = 0; i < (options.positives ?? 400); i++) {
    const doc = new Doc();
    const labels: string[] = [];
    let negatives = 0;
    if (rng.chance(0.15)) {
      // a negative in the same line
      const kind = rng.pick(NEGATIVE_KINDS);
      doc.add(NEGATIVES[kind]!(rng, locale) + rng.pick([' — ', ' | ', '; ', '\n', '  ']));
      labels.push(kind);
      negatives++;
    }
    if (rng.chance(0.04)) fill(doc, rng.pick(['SIP: {}', 'Video call {}', '<{}>']), () => sipInto(doc, rng));
    else fill(doc, rng.pick(contexts), () => phoneInto(doc, rng, locale));
    samples.push({ locale, text: doc.text, truths: doc.truths, negatives, labels });
  }
  for (let i = 0; i < (options.negatives ?? 400); i++) {
    const doc = new Doc();
    const labels: string[] = [];
    fill(doc, rng.pick(NEGATIVE_CONTEXTS), () => {
      const kind = rng.pick(NEGATIVE_KINDS);
      labels.push(kind);
      doc.add(NEGATIVES[kind]!(rng, locale));
    });
    samples.push({ locale, text: doc.text, truths: doc.truths, negatives: labels.length, labels });
  }
  return samples;
}

export interface Section {
  locale: Locale;
  text: string;
  truths: Truth[];
}

/**
 * A benchmark page of about `size` characters: sections of about 16 kB, each in one locale
 * (round robin), made of corpus snippets separated by newlines; dense with hard negatives
 * (`negativeShare` of the snippets) and some positives.
 */
export function generatePage(size: number, seed = DEFAULT_SEED, negativeShare = 0.9): Section[] {
  const rng = new Rng(prng(seed));
  const sections: Section[] = [];
  let total = 0;
  let li = 0;
  while (total < size) {
    const locale = LOCALES[li++ % LOCALES.length]!;
    const pool = generateCorpus(locale, { seed: rng.int(1, 1e9), positives: 40, negatives: 120 });
    const positives = pool.filter((s) => s.truths.length > 0);
    const negatives = pool.filter((s) => s.truths.length === 0);
    let text = '';
    const truths: Truth[] = [];
    const target = Math.min(16384, size - total);
    while (text.length < target) {
      const sample = rng.chance(negativeShare) ? rng.pick(negatives) : rng.pick(positives);
      const offset = text.length;
      text += sample.text + rng.pick(['\n', ' ', '. ', '\n\n', '\t']);
      for (const t of sample.truths) truths.push({ ...t, start: t.start + offset, end: t.end + offset });
    }
    sections.push({ locale, text, truths });
    total += text.length;
  }
  return sections;
}

/* ------------------------------------------------------------------ scoring */

export interface Found {
  start: number;
  end: number;
  dial: string;
}

export interface Score<F = Found, T = Truth> {
  tp: number;
  fp: number;
  fn: number;
  falsePositives: F[];
  misses: T[];
}

/** Pairs each detection with the first unused expected item it `matches`; the rest are false positives and misses. */
export function scoreBy<F, T>(found: readonly F[], expected: readonly T[], matches: (found: F, expected: T) => boolean): Score<F, T> {
  const used = new Set<number>();
  const result: Score<F, T> = { tp: 0, fp: 0, fn: 0, falsePositives: [], misses: [] };
  for (const f of found) {
    const i = expected.findIndex((t, k) => !used.has(k) && matches(f, t));
    if (i >= 0) {
      used.add(i);
      result.tp++;
    } else {
      result.fp++;
      result.falsePositives.push(f);
    }
  }
  expected.forEach((t, k) => {
    if (!used.has(k)) {
      result.fn++;
      result.misses.push(t);
    }
  });
  return result;
}

/** A detection matches a truth when their spans overlap and the dial strings are equal. */
export function score(found: readonly Found[], truths: readonly Truth[]): Score {
  return scoreBy(found, truths, (f, t) => t.start < f.end && f.start < t.end && t.dial === f.dial);
}

export function precision(s: Pick<Score, 'tp' | 'fp'>): number {
  return s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
}

export function recall(s: Pick<Score, 'tp' | 'fn'>): number {
  return s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
}
