import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, generateCorpus } from '../src/content/detect/corpus';
import { formatScore, parseCorpus, scoreCorpus } from './corpus';

const ROOT = resolve(import.meta.dirname, '..');
const jsonl = (...samples: unknown[]) => samples.map((sample) => JSON.stringify(sample)).join('\n');

describe('scoring a corpus of your own', () => {
  it('compares by dial string, whatever notation the corpus writes the number in', () => {
    const samples = parseCorpus(
      jsonl(
        { text: 'Call 020 7946 0958 or +44 161 496 0000, order 12345678', country: 'GB', numbers: ['+442079460958', '0161 496 0000'] },
        { text: 'Invoice 2024-0042 dated 12/03/2024, £1,299.00', country: 'gb' },
        { text: 'Desk: (415) 555-0101 x 204, sip:desk@example.com', locale: 'US', numbers: ['415-555-0101 ext. 204', 'sip:desk@example.com'] },
        { text: 'no number here, but the corpus says there is', country: 'US', numbers: ['415 555 0102'] },
      ),
      'mine.jsonl',
    );
    const score = scoreCorpus(samples);
    expect(score.byCountry.get('GB')).toEqual({ samples: 2, tp: 2, fp: 0, fn: 0 });
    expect(score.byCountry.get('US')).toEqual({ samples: 2, tp: 2, fp: 0, fn: 1 });
    expect(score.failures).toEqual(['mine.jsonl:4 missed +14155550102 in "no number here, but the corpus says there is"']);
    const report = formatScore(score);
    expect(report).toMatch(/^GB +2 +2 +0 +0 +1\.0000 +1\.0000$/m);
    expect(report).toMatch(/^total +4 +4 +0 +1 +1\.0000 +0\.8000$/m);
  });

  it('counts an extension the corpus leaves out as a miss and a false positive, unless told to ignore extensions', () => {
    const samples = parseCorpus(jsonl({ text: 'Desk: (415) 555-0101 x 204', country: 'US', numbers: ['4155550101'] }), 'ext.jsonl');
    expect(scoreCorpus(samples).byCountry.get('US')).toEqual({ samples: 1, tp: 0, fp: 1, fn: 1 });
    expect(scoreCorpus(samples, { ignoreExtensions: true }).byCountry.get('US')).toEqual({ samples: 1, tp: 1, fp: 0, fn: 0 });
  });

  it('reads spans, with or without their dial', () => {
    const text = 'Tel 030 901820, Fax 030 9018211';
    const samples = parseCorpus(jsonl({ text, country: 'DE', spans: [{ start: 4, end: 14 }, { start: 20, end: 31, dial: '+49309018299' }] }), 'spans.jsonl');
    const score = scoreCorpus(samples);
    expect(score.byCountry.get('DE')).toEqual({ samples: 1, tp: 1, fp: 1, fn: 1 }); // the second span's dial is not what is written
  });

  it('scores the generated corpus, written out as spans, as the unit tests do', () => {
    const lines = LOCALES.flatMap((locale) => generateCorpus(locale, { seed: 2 }).map((sample) => ({ text: sample.text, country: locale, spans: sample.truths })));
    const score = scoreCorpus(parseCorpus(jsonl(...lines), 'generated.jsonl'));
    for (const locale of LOCALES) {
      const tally = score.byCountry.get(locale)!;
      expect(tally.tp / (tally.tp + tally.fp), locale).toBeGreaterThanOrEqual(0.99);
      expect(tally.tp / (tally.tp + tally.fn), locale).toBeGreaterThanOrEqual(0.99);
    }
  }, 30_000);

  it('stops at a bad line and says which and why', () => {
    const bad = (line: string) => () => parseCorpus(`{"text": "fine", "country": "US"}\n\n${line}`, 'bad.jsonl');
    expect(bad('{"text": "x"')).toThrow(/^bad\.jsonl:3: not JSON/);
    expect(bad('{"text": "x"}')).toThrow('bad.jsonl:3: "country" must be a two-letter country code such as "GB"');
    expect(bad('{"text": "x", "country": "GB", "numbers": ["12345"]}')).toThrow(/^bad\.jsonl:3: numbers\[0\] "12345" is not a number one can dial from GB: /);
    expect(bad('{"text": "x", "country": "GB", "numbers": "020 7946 0958"}')).toThrow('bad.jsonl:3: "numbers" must be an array of strings');
    expect(bad('{"text": "abc", "country": "GB", "spans": [{"start": 2, "end": 9}]}')).toThrow('bad.jsonl:3: spans[0]: start and end must be offsets into the text with start < end');
    expect(bad('{"text": "x", "country": "GB", "numbers": [], "spans": []}')).toThrow('bad.jsonl:3: give "numbers" or "spans", not both');
    expect(bad('[1, 2]')).toThrow('bad.jsonl:3: a sample is a JSON object');
  });

  it('runs from the command line: a report, --min as the exit code, --detect on standard input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    const file = join(dir, 'mine.jsonl');
    writeFileSync(file, jsonl({ text: 'Call 020 7946 0958', country: 'GB', numbers: ['020 7946 0958'] }, { text: 'nothing', country: 'US', numbers: ['415 555 0102'] }));
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const run = spawnSync(tsx, ['scripts/corpus.ts', file, '--min', '0.99'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^US +1 +0 +0 +1 +1\.0000 +0\.0000$/m);
    expect(run.stderr).toBe('Below 0.99: US\n');
    expect(run.status).toBe(1);
    const broken = spawnSync(tsx, ['scripts/corpus.ts', join(dir, 'missing.jsonl')], { cwd: ROOT, encoding: 'utf8' });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^corpus: ENOENT/);
    const found = execFileSync(tsx, ['scripts/corpus.ts', '--detect', '--country', 'gb'], { cwd: ROOT, encoding: 'utf8', input: 'Ring 020 7946 0958 or sip:bob@example.com' });
    expect(found.trim().split('\n').map((line) => JSON.parse(line).dial)).toEqual(['+442079460958', 'sip:bob@example.com']);
  }, 60_000);
});
