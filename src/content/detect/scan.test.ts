import { describe, expect, it } from 'vitest';
import { LOCALES, prng } from './corpus';
import { detect } from './with-metadata';

/** Pieces that make the scanner's tokens: digits, separators, schemes, URLs, labels, extensions. */
const PIECES = [
  '0', '1', '2', '4', '5', '7', '9', '00', '415', '555', '0101', '2024', '１２３',
  ' ', ' ', ' ', '  ', '\u00a0', '\n', '-', '.', '/', '(', ')', '+', ':', ',', '–', '．',
  'a', 'x', 'Call ', 'Tel: ', 'ext ', 'ext. ', ' ext 204', '#', 'Order ', 'Ref ', 'ISBN ',
  'sip:', 'sips:', 'SIP:', 'tel:', 'tel:+1', 'bob@example.com', '@', 'www.', 'https://', 'mailto:',
  'http://h/', '$', '€', 'EUR', 'am', 'on ', ' bytes', '電話', '内線', 'é', ';ext=', ';transport=tls',
];

function randomText(random: () => number): string {
  let text = '';
  const length = 1 + Math.floor(random() * 40);
  for (let k = 0; k < length; k++) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}

describe('the scanner on token soup', () => {
  it('reports detections in order, never overlapping, each one the text at its offsets', () => {
    const random = prng(20261125);
    let detections = 0;
    for (let k = 0; k < 30_000; k++) {
      const text = randomText(random);
      let end = 0;
      for (const found of detect(text, { defaultCountry: LOCALES[k % LOCALES.length]! })) {
        expect(found.start, JSON.stringify(text)).toBeGreaterThanOrEqual(end);
        expect(found.end).toBeGreaterThan(found.start);
        expect(text.slice(found.start, found.end)).toBe(found.text);
        end = found.end;
        detections++;
      }
    }
    expect(detections).toBeGreaterThan(1_000);
  }, 60_000);

  it('does not read a second scheme back into the SIP address just found', () => {
    expect(detect('write sips:sips:alice now', { defaultCountry: 'US' }).map((found) => [found.text, found.dial])).toEqual([['sips:sips', 'sips:sips']]);
  });
});
