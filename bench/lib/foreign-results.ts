/**
 * Reads a benchmark result for the runner's summary. Results in the shared format
 * (bench/lib/results.ts: `{ name, figures: [...] }`) are taken as they are; for the two detection
 * benchmarks' own formats (bench/detect-text.ts, bench/detect-dom.ts, as of their first versions)
 * a few headline figures are picked out. Anything else yields no figures and a note saying so.
 */
import { figure, type Figure } from './results.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- foreign JSON, every access is guarded
type Json = any;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
/** A rate given as a number or as { wall, cpu } (wall preferred). */
const rate = (value: Json): number | null => num(value) ?? num(value?.wall) ?? num(value?.cpu);

function detectText(json: Json): Figure[] {
  const figures: Figure[] = [];
  for (const row of Array.isArray(json?.rows) ? json.rows : []) {
    const ours = rate(row?.oursMBps);
    if (ours === null) continue;
    figures.push(
      figure(`detection throughput, ${row.page ?? '?'} pages`, ours, 'MB/s', {
        baseline: rate(row?.libMBps),
        baselineLabel: 'libphonenumber-js findPhoneNumbersInText',
        target: '≥ 20× libphonenumber-js',
        within: (_value, ratio) => ratio !== null && ratio >= 20,
      }),
    );
    const digits = rate(row?.digitPassMBps);
    if (digits !== null) {
      figures.push(
        figure(`bare digit-counting pass, ${row.page ?? '?'} pages (how many times faster than ours)`, digits, 'MB/s', {
          baseline: ours,
          baselineLabel: 'our engine',
          target: '≤ 20× ours',
          within: (_value, ratio) => ratio !== null && ratio <= 20,
        }),
      );
    }
  }
  const last = Array.isArray(json?.rows) ? json.rows.at(-1) : undefined;
  if (num(last?.ours?.precision) !== null) figures.push(figure(`precision, ${last.page} pages`, last.ours.precision, '', { baseline: num(last?.lib?.precision), target: '≥ 0.99', within: (value) => value >= 0.99 }));
  if (num(last?.ours?.recall) !== null) figures.push(figure(`recall, ${last.page} pages`, last.ours.recall, '', { baseline: num(last?.lib?.recall), target: '≥ 0.99', within: (value) => value >= 0.99 }));
  return figures;
}

function detectDom(json: Json): Figure[] {
  const figures: Figure[] = [];
  const targets = json?.targets ?? {};
  const gzip = num(json?.contentScript?.gzipBytes);
  if (gzip !== null) figures.push(figure('content script, gzip', gzip / 1000, 'kB', { target: '≤ 60 kB', within: (value) => value <= 60 }));
  const evaluation = num(json?.contentScript?.evaluation?.cpu1x?.wallMs);
  if (evaluation !== null) {
    figures.push(figure('content script evaluation per page (main thread, loader and module, new renderer), wall', evaluation, 'ms', { target: '≤ 10 ms', within: (value) => value <= 10 }));
  }
  const engineGzip = num(json?.phoneEngine?.gzipBytes);
  if (engineGzip !== null) figures.push(figure('phone engine module loaded on demand (only pages with a candidate), gzip', engineGzip / 1000, 'kB'));
  const metadataGzip = num(json?.phoneMetadata?.gzipBytes);
  if (metadataGzip !== null) figures.push(figure('phone metadata loaded on demand (only pages with a candidate), gzip', metadataGzip / 1000, 'kB'));
  for (const kind of ['table', 'article']) {
    const run = json?.pages?.[kind]?.cpu1x?.withExtension;
    const scan = run?.firstScan;
    const wall = num(scan?.wallMs);
    const bare = num(run?.bareWalk?.ms);
    const wallTarget = num(targets?.firstScanMs?.[kind]);
    if (wall !== null) {
      figures.push(
        figure(`${kind}: first scan wall time`, wall, 'ms', {
          baseline: bare,
          baselineLabel: 'bare TreeWalker pass',
          ...(wallTarget !== null ? { target: `≤ ${wallTarget} ms`, within: (value: number) => value <= wallTarget } : {}),
        }),
      );
    }
    const perNodes = num(scan?.msPer1000Nodes);
    const perTarget = num(targets?.msPer1000Nodes);
    if (perNodes !== null) figures.push(figure(`${kind}: script ms per 1,000 nodes`, perNodes, 'ms', perTarget !== null ? { target: `≤ ${perTarget} ms`, within: (value) => value <= perTarget } : {}));
    const metadataMs = num(scan?.metadataMs);
    if (metadataMs !== null) figures.push(figure(`${kind}: phone engine load within the first scan (module and metadata)`, metadataMs, 'ms'));
  }
  return figures;
}

export interface ReadResult {
  name: string;
  date?: string;
  figures: Figure[];
  notes: string[];
  format: 'shared' | 'adapted' | 'unknown';
}

export function readResult(fileName: string, json: Json): ReadResult {
  const name = typeof json?.name === 'string' ? json.name : fileName.replace(/\.json$/, '');
  const date = typeof json?.date === 'string' ? json.date : undefined;
  if (Array.isArray(json?.figures)) {
    return { name, date, figures: json.figures as Figure[], notes: Array.isArray(json.notes) ? (json.notes as string[]) : [], format: 'shared' };
  }
  const adapted = name === 'detect-text' ? detectText(json) : name === 'detect-dom' ? detectDom(json) : [];
  if (adapted.length) return { name, date, figures: adapted, notes: [`${fileName} is not in the shared figures format; headline figures picked out by the runner.`], format: 'adapted' };
  return { name, date, figures: [], notes: [`${fileName}: no figures (format not recognised).`], format: 'unknown' };
}
