import { describe, expect, it } from 'vitest';
import { detect } from './detect/with-metadata';
import { detectChunk } from './chunks';

function detectAll(text: string, chunk: number, overlap: number) {
  const found = [];
  let from = 0;
  let pieces = 0;
  do {
    const result = detectChunk(text, from, (piece) => detect(piece, { defaultCountry: 'US' }), chunk, overlap);
    found.push(...result.found);
    from = result.next;
    pieces++;
  } while (from >= 0);
  return { found, pieces };
}

describe('chunked detection of long text', () => {
  it('finds the same numbers as one pass, including numbers cut by a piece edge', () => {
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
    let text = '';
    const numbers = ['(415) 555-0101', '+44 20 7946 0958', 'sip:bob@example.com', '415.555.0102'];
    for (let i = 0; i < 60; i++) text += filler.slice(0, (i * 7) % filler.length) + ' Call ' + numbers[i % numbers.length] + ' today. ';
    const whole = detect(text, { defaultCountry: 'US' });
    expect(whole.length).toBe(60);
    for (const chunk of [200, 333, 512, 1000]) {
      const { found, pieces } = detectAll(text, chunk, 64);
      expect(pieces).toBeGreaterThan(1);
      expect(found.map((d) => [d.start, d.end, d.dial])).toEqual(whole.map((d) => [d.start, d.end, d.dial]));
      for (const detection of found) expect(text.slice(detection.start, detection.end)).toBe(detection.text);
    }
  });

  it('does short text in one go', () => {
    const result = detectChunk('Call (415) 555-0101', 0, (piece) => detect(piece, { defaultCountry: 'US' }));
    expect(result.next).toBe(-1);
    expect(result.found).toHaveLength(1);
  });
});
