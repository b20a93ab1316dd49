import { describe, expect, it } from 'vitest';
import { formatAsYouType, formatNumber, isPhoneLike, reformat } from './dial-tools';
import { parseDialable } from '../content/detect/with-metadata';

describe('as-you-type formatting', () => {
  it('formats national and international numbers as they grow', () => {
    const steps = ['4', '41', '415', '4155', '415555', '4155550101'].map((digits) => formatAsYouType(digits, 'US'));
    expect(steps).toEqual(['4', '41', '(415)', '(415) 5', '(415) 555', '(415) 555-0101']);
    expect(formatAsYouType('+442079460958', 'US')).toBe('+44 20 7946 0958');
    expect(formatAsYouType('030 1234567', 'DE')).toBe('030 1234567');
  });

  it('leaves addresses, names, URIs and extensions alone', () => {
    for (const text of ['bob', 'sip:bob@kandy.example', 'tel:+14155550101', '+1 415 555 0101 ext 12', '1-800-FLOWERS', '']) {
      expect(formatAsYouType(text, 'US')).toBe(text);
    }
    expect(isPhoneLike('(415) 555-0101')).toBe(true);
    expect(isPhoneLike('bob7')).toBe(false);
  });

  it('keeps the caret after the same digit when the formatting moves characters', () => {
    expect(reformat('4155550101', 10, 'US')).toEqual({ value: '(415) 555-0101', caret: 14 });
    // Typing a digit in the middle: "(415) 5|55" + "9".
    expect(reformat('(415) 5955', 8, 'US')).toEqual({ value: '(415) 595-5', caret: 8 });
    // A pasted number in another notation is reformatted whole.
    expect(reformat('+1-415-555-0101', 15, 'US').value).toBe('+1 415 555 0101');
  });

  it('deletes the digit before a formatting character instead of fighting the formatter', () => {
    // "(415) |" backspace removes the space → the digits are the same → the 5 goes.
    expect(reformat('(415)', 5, 'US', '(415) ', 'backward')).toEqual({ value: '41', caret: 2 });
    expect(reformat('(415', 4, 'US', '(415)', 'backward')).toEqual({ value: '41', caret: 2 });
    // An ordinary digit deletion just reformats.
    expect(reformat('(415) 555-010', 13, 'US', '(415) 555-0101', 'backward').value).toBe('(415) 555-010');
  });

  it('formats known numbers the way the country writes them', () => {
    expect(formatNumber('+14155550101', 'US')).toBe('(415) 555-0101');
    expect(formatNumber('+442079460958', 'US')).toBe('+44 20 7946 0958');
    expect(formatNumber('+1415', 'US')).toBeUndefined();
  });

  it('validates with the phone’s own rules', () => {
    expect(parseDialable('(415) 555-0101', 'US')).toMatchObject({ ok: true, dial: '+14155550101' });
    expect(parseDialable('12', 'US')).toMatchObject({ ok: false });
  });
});
