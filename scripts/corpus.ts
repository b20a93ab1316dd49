/**
 * `npm run corpus -- <file.jsonl> [...]`: scores the page detector (src/content/detect) on a corpus
 * of your own, per country, with the same precision and recall the unit tests hold the generated
 * corpus to. `npm run corpus -- --detect --country GB < page.txt` prints what it finds in a text.
 *
 * One sample per line:
 *   {"text": "Call 020 7946 0958, order 12345678", "country": "GB", "numbers": ["020 7946 0958"]}
 * - `country` (or `locale`): the default country the user has set, ISO 3166 alpha-2.
 * - `numbers`: every number or SIP address in `text` a perfect detector finds, in any notation
 *   the dialer reads (national for `country`, +international, tel:, sip:, with an extension);
 *   each is compared by its dial string (E.164, `;ext=` for an extension). A number written twice
 *   is listed twice.
 * - or `spans`: [{"start": 5, "end": 18, "dial": "+442079460958"}]: UTF-16 offsets into `text`; a
 *   detection overlapping a span matches it (and must have its dial, when one is given).
 * - neither: the text holds nothing callable (a hard negative).
 *
 * Options: --ignore-extensions (compare dial strings without `;ext=…`), --failures N (how many
 * misses and false positives to print, 20), --min 0.99 (exit 1 when a country's precision or
 * recall is below it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { detect, parseDialable, type CountryCode, type Detection } from '../src/content/detect/with-metadata';
import { precision, recall, scoreBy, type Score } from '../src/content/detect/corpus';

interface Span {
  start: number;
  end: number;
  dial?: string;
}

export interface CorpusSample {
  /** Where it came from, for messages: "file.jsonl:12". */
  where: string;
  text: string;
  country: CountryCode;
  /** Dial strings, or spans; an empty list of numbers for a hard negative. */
  expected: { numbers: string[] } | { spans: Span[] };
}

export interface Tally {
  samples: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface CorpusScore {
  byCountry: Map<string, Tally>;
  failures: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One JSON line as a sample; throws an Error that says where and what is wrong. */
export function parseSample(line: string, where: string): CorpusSample {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new Error(`${where}: a sample is a JSON object`);
  const { text, numbers, spans } = value;
  if (typeof text !== 'string') throw new Error(`${where}: "text" must be a string`);
  const rawCountry = value.country ?? value.locale;
  if (typeof rawCountry !== 'string' || !/^[A-Za-z]{2}$/.test(rawCountry)) throw new Error(`${where}: "country" must be a two-letter country code such as "GB"`);
  const country = rawCountry.toUpperCase() as CountryCode;
  if (numbers !== undefined && spans !== undefined) throw new Error(`${where}: give "numbers" or "spans", not both`);
  if (spans !== undefined) {
    if (!Array.isArray(spans)) throw new Error(`${where}: "spans" must be an array`);
    return { where, text, country, expected: { spans: spans.map((span, k) => readSpan(span, text, `${where}: spans[${k}]`)) } };
  }
  if (numbers === undefined) return { where, text, country, expected: { numbers: [] } };
  if (!Array.isArray(numbers)) throw new Error(`${where}: "numbers" must be an array of strings`);
  const dials = numbers.map((number, k) => {
    if (typeof number !== 'string') throw new Error(`${where}: numbers[${k}] must be a string`);
    const parsed = parseDialable(number, country);
    if (!parsed.ok) throw new Error(`${where}: numbers[${k}] ${JSON.stringify(number)} is not a number one can dial from ${country}: ${parsed.reason}`);
    return parsed.dial;
  });
  return { where, text, country, expected: { numbers: dials } };
}

function readSpan(span: unknown, text: string, where: string): Span {
  if (!isRecord(span)) throw new Error(`${where} must be an object with start and end`);
  const { start, end, dial } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (end as number) <= (start as number) || (end as number) > text.length) {
    throw new Error(`${where}: start and end must be offsets into the text with start < end`);
  }
  if (dial !== undefined && typeof dial !== 'string') throw new Error(`${where}: "dial" must be a string`);
  return { start: start as number, end: end as number, ...(dial === undefined ? {} : { dial }) };
}

/** Parses every non-blank line; the first bad one stops it, with its file and line. */
export function parseCorpus(content: string, name: string): CorpusSample[] {
  const samples: CorpusSample[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (line.trim()) samples.push(parseSample(line, `${name}:${index + 1}`));
  });
  return samples;
}

/** Compares what the detector finds with what each sample expects, per country. */
export function scoreCorpus(samples: readonly CorpusSample[], options: { ignoreExtensions?: boolean } = {}): CorpusScore {
  const dialOf = (dial: string) => (options.ignoreExtensions ? dial.split(';ext=')[0]! : dial);
  const byCountry = new Map<string, Tally>();
  const failures: string[] = [];
  for (const sample of samples) {
    const tally = byCountry.get(sample.country) ?? { samples: 0, tp: 0, fp: 0, fn: 0 };
    byCountry.set(sample.country, tally);
    tally.samples++;
    const found = detect(sample.text, { defaultCountry: sample.country });
    const { expected } = sample;
    const result: Score<Detection, string | Span> =
      'numbers' in expected
        ? scoreBy(found, expected.numbers, (detection, dial) => dialOf(dial) === dialOf(detection.dial))
        : scoreBy(found, expected.spans, (detection, span) => overlaps(span, detection) && (span.dial === undefined || dialOf(span.dial) === dialOf(detection.dial)));
    tally.tp += result.tp;
    tally.fp += result.fp;
    tally.fn += result.fn;
    for (const detection of result.falsePositives) {
      failures.push(`${sample.where} false positive ${JSON.stringify(detection.text)} (${detection.dial}) in ${JSON.stringify(sample.text)}`);
    }
    for (const want of result.misses) {
      const what = typeof want === 'string' ? want : `${JSON.stringify(sample.text.slice(want.start, want.end))}${want.dial ? ` (${want.dial})` : ''}`;
      failures.push(`${sample.where} missed ${what} in ${JSON.stringify(sample.text)}`);
    }
  }
  return { byCountry, failures };
}

const overlaps = (span: Span, detection: Detection) => span.start < detection.end && detection.start < span.end;

/** A table per country and in total, then the first `failures` failures. */
export function formatScore(score: CorpusScore, failures = 20): string {
  const rows = [...score.byCountry].sort(([a], [b]) => a.localeCompare(b));
  const total: Tally = { samples: 0, tp: 0, fp: 0, fn: 0 };
  for (const [, tally] of rows) for (const key of ['samples', 'tp', 'fp', 'fn'] as const) total[key] += tally[key];
  const line = (name: string, t: Tally) =>
    [name.padEnd(8), String(t.samples).padStart(8), String(t.tp).padStart(6), String(t.fp).padStart(6), String(t.fn).padStart(6), precision(t).toFixed(4).padStart(10), recall(t).toFixed(4).padStart(8)].join(' ');
  const out = [['country', ' samples', '    tp', '    fp', '    fn', ' precision', '  recall'].join(' '), ...rows.map(([name, t]) => line(name, t)), line('total', total)];
  if (score.failures.length > 0 && failures > 0) {
    out.push('', `First ${Math.min(failures, score.failures.length)} of ${score.failures.length} failures:`, ...score.failures.slice(0, failures));
  }
  return `${out.join('\n')}\n`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      detect: { type: 'boolean' },
      country: { type: 'string' },
      'ignore-extensions': { type: 'boolean' },
      failures: { type: 'string' },
      min: { type: 'string' },
    },
  });
  if (values.detect) {
    const country = (values.country ?? 'US').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw new Error('--country must be a two-letter country code such as GB');
    const text = readFileSync(0, 'utf8');
    for (const { start, end, kind, text: written, dial, display } of detect(text, { defaultCountry: country as CountryCode })) {
      process.stdout.write(`${JSON.stringify({ start, end, kind, text: written, dial, display })}\n`);
    }
    return;
  }
  if (positionals.length === 0) throw new Error('usage: npm run corpus -- <file.jsonl> [...] [--ignore-extensions] [--failures N] [--min 0.99]\n   or: npm run corpus -- --detect [--country GB] < text');
  const samples = positionals.flatMap((file) => parseCorpus(readFileSync(resolve(file), 'utf8'), file));
  const score = scoreCorpus(samples, { ignoreExtensions: values['ignore-extensions'] });
  process.stdout.write(formatScore(score, Number(values.failures ?? 20)));
  if (values.min !== undefined) {
    const min = Number(values.min);
    const below = [...score.byCountry].filter(([, t]) => precision(t) < min || recall(t) < min).map(([name]) => name);
    if (below.length > 0) {
      process.stderr.write(`Below ${min}: ${below.join(', ')}\n`);
      process.exitCode = 1;
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`corpus: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
