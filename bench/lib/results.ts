/**
 * The one result format every benchmark writes (bench/results/<name>.json) and the runner
 * (scripts/bench.ts) reads:
 *
 *   { name, date, machine, figures: [{ metric, value, unit, baseline?, ratio?, target?, met? }], notes: [...] }
 *
 * `baseline` is a reference measured in the same run (same machine, same moment), so `ratio`
 * (value / baseline) stays meaningful on a shared, noisy machine where absolute figures drift.
 * `target` is a human-readable bound such as "≤ 2×" or "≤ 100 ms"; `met` says whether this run
 * was within it. Benchmarks print and record figures; they never assert or fail on timings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';

export const RESULTS_DIR = resolve(import.meta.dirname, '..', 'results');

export interface Figure {
  metric: string;
  value: number | null;
  unit: string;
  /** The same quantity for a reference measured in the same run. */
  baseline?: number | null;
  /** What the baseline is, e.g. "raw RTCPeerConnection". */
  baselineLabel?: string;
  /** value / baseline. */
  ratio?: number | null;
  /** e.g. "≤ 2×", "≤ 100 ms", "≤ 60 kB". */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  name: string;
  date: string;
  machine: { cpus: number; loadAverage: number[]; node: string };
  durationSeconds?: number;
  figures: Figure[];
  notes: string[];
  /** Anything else worth keeping (raw samples, per-step tables). */
  details?: unknown;
}

/** Rounds to a sensible number of significant digits for display and JSON. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const places = magnitude >= 100 ? Math.max(0, digits - 2) : magnitude >= 10 ? Math.max(1, digits - 1) : digits;
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

export function ratioOf(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value === null || value === undefined || baseline === null || baseline === undefined || baseline === 0) return null;
  return round(value / baseline, 2);
}

/** A figure with its ratio filled in and `met` decided by `within` (when given). */
export function figure(
  metric: string,
  value: number | null,
  unit: string,
  extra: { baseline?: number | null; baselineLabel?: string; target?: string; within?: (value: number, ratio: number | null) => boolean } = {},
): Figure {
  const out: Figure = { metric, value: value === null ? null : round(value, 3), unit };
  if (extra.baseline !== undefined) {
    out.baseline = extra.baseline === null ? null : round(extra.baseline, 3);
    out.ratio = ratioOf(value, extra.baseline);
  }
  if (extra.baselineLabel) out.baselineLabel = extra.baselineLabel;
  if (extra.target) out.target = extra.target;
  if (extra.within && value !== null) out.met = extra.within(value, out.ratio ?? null);
  return out;
}

function cell(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function figureRows(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    f.metric,
    `${cell(f.value)} ${f.value === null ? '' : f.unit}`.trim(),
    f.baseline === undefined ? '' : `${cell(f.baseline)} ${f.baseline === null ? '' : f.unit}`.trim(),
    f.ratio === undefined || f.ratio === null ? '' : `${f.ratio}×`,
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'yes' : 'NO',
  ]);
}

/** A plain-text table (first row = header). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines: string[] = [];
  rows.forEach((row, index) => {
    lines.push(widths.map((width, column) => (row[column] ?? '').padEnd(width)).join('  ').trimEnd());
    if (index === 0) lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  });
  return lines.join('\n');
}

export const FIGURE_HEADER = ['metric', 'value', 'baseline', 'ratio', 'target', 'met?'];

export function printFigures(title: string, figures: readonly Figure[]): void {
  console.log(`\n${title}\n${formatTable([FIGURE_HEADER, ...figureRows(figures)])}`);
}

export function machine(): BenchResult['machine'] {
  return { cpus: os.cpus().length, loadAverage: os.loadavg().map((load) => round(load, 2)), node: process.version };
}

/** Prints the figures and notes and writes bench/results/<name>.json. Returns the file path. */
export function writeResult(result: Omit<BenchResult, 'date' | 'machine'> & Partial<Pick<BenchResult, 'date' | 'machine'>>): string {
  const full: BenchResult = {
    name: result.name,
    date: result.date ?? new Date().toISOString(),
    machine: result.machine ?? machine(),
    durationSeconds: result.durationSeconds,
    figures: result.figures,
    notes: result.notes,
    details: result.details,
  };
  printFigures(`${full.name}`, full.figures);
  if (full.notes.length) console.log(`\nNotes:\n${full.notes.map((note) => `- ${note}`).join('\n')}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${full.name}.json`);
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`\nJSON: ${file}`);
  return file;
}
