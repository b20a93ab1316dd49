import { describe, expect, it } from 'vitest';
import { detect } from './with-metadata';
import { LOCALES, generateCorpus, precision, recall, score } from './corpus';

const MIN_PRECISION = 0.99;
const MIN_RECALL = 0.99;

describe.each(LOCALES)('generated corpus, %s', (locale) => {
  const samples = generateCorpus(locale);

  it('has enough positives and hard negatives', () => {
    const positives = samples.reduce((n, s) => n + s.truths.length, 0);
    const negatives = samples.reduce((n, s) => n + s.negatives, 0);
    expect(positives).toBeGreaterThanOrEqual(300);
    expect(negatives).toBeGreaterThanOrEqual(300);
    // every kind of look-alike is represented
    const kinds = new Set(samples.flatMap((s) => s.labels));
    expect([...kinds].sort()).toEqual(
      ['card', 'coordinates', 'date', 'datetime', 'email', 'glued', 'iban', 'ip', 'isbn', 'nationalId', 'orderId', 'postal', 'price', 'quantity', 'sku', 'timestamp', 'tracking', 'url', 'version'].sort(),
    );
  });

  it(`reaches precision ≥ ${MIN_PRECISION} and recall ≥ ${MIN_RECALL}`, () => {
    const total = { tp: 0, fp: 0, fn: 0 };
    const failures: string[] = [];
    for (const sample of samples) {
      const result = score(detect(sample.text, { defaultCountry: locale }), sample.truths);
      total.tp += result.tp;
      total.fp += result.fp;
      total.fn += result.fn;
      for (const f of result.falsePositives) failures.push(`false positive ${JSON.stringify(sample.text.slice(f.start, f.end))} in ${JSON.stringify(sample.text)}`);
      for (const m of result.misses) failures.push(`missed ${JSON.stringify(sample.text.slice(m.start, m.end))} (${m.dial}) in ${JSON.stringify(sample.text)}`);
    }
    const p = precision(total);
    const r = recall(total);
    expect(p, failures.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(MIN_PRECISION);
    expect(r, failures.slice(0, 20).join('\n')).toBeGreaterThanOrEqual(MIN_RECALL);
  }, 30_000);
});

describe('corpus generator', () => {
  it('is deterministic (fixed seed)', () => {
    expect(generateCorpus('DE', { positives: 20, negatives: 20 })).toEqual(generateCorpus('DE', { positives: 20, negatives: 20 }));
  });

  it('records spans that cover the written numbers', () => {
    for (const sample of generateCorpus('US', { positives: 50, negatives: 0 })) {
      for (const t of sample.truths) {
        const written = sample.text.slice(t.start, t.end);
        if (t.kind === 'phone') expect(written).toMatch(/[0-9０-９]/);
        else expect(written).toBe(t.dial);
      }
    }
  });
});
