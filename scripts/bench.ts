/**
 * `npm run bench` (node --import tsx scripts/bench.ts): builds the extension, runs every benchmark in bench/ as
 * its own child process (`npx tsx bench/<name>.ts`) with a time limit, then reads every
 * bench/results/*.json and prints one summary table (figure, value, baseline, ratio, target, met?),
 * and writes bench/results/summary.json and bench/results/summary.md (a markdown table for the README).
 *
 *   npx tsx scripts/bench.ts [--no-build] [--only a,b] [--skip a,b]
 *   BENCH_LIMIT_SCALE=2 …   multiplies every time limit (slow machines)
 *
 * Benchmarks print figures and ratios to a baseline measured in the same run; nothing here fails
 * on a timing. The exit code is non-zero only when a benchmark crashed, timed out or wrote nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { readResult } from '../bench/lib/foreign-results.ts';
import { FIGURE_HEADER, figureRows, formatTable, RESULTS_DIR, type Figure } from '../bench/lib/results.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * In run order; limits in seconds (they add up to 14⅔ minutes, leaving a little room for the build). Each
 * benchmark is told its limit less a margin (BENCH_TIME_LIMIT_SECONDS); ours shrink their sample
 * counts to fit and say so. A benchmark still running at its limit is stopped.
 */
const BENCHES: { name: string; limitSeconds: number; env?: Record<string, string> }[] = [
  { name: 'detect-text', limitSeconds: 45 },
  // detect-dom loads each page 3× per profile and CPU rate by default (BENCH_REPEATS); at 3 it needs
  // over 4 minutes on a busy 2-core machine, so the runner asks for 2 (an explicit BENCH_REPEATS wins).
  { name: 'detect-dom', limitSeconds: 330, env: { BENCH_REPEATS: process.env.BENCH_REPEATS ?? '2' } },
  { name: 'call-setup', limitSeconds: 120 },
  { name: 'popup', limitSeconds: 90 },
  { name: 'memory', limitSeconds: 130 },
  { name: 'gateway-capacity', limitSeconds: 110 },
  // Two rounds of both storm modes in both profiles take about 45 s.
  { name: 'hostile-mutations', limitSeconds: 55, env: { BENCH_REPEATS: process.env.BENCH_REPEATS ?? '2' } },
];
/** Start-up (npx, tsx) and shut-down time the runner keeps out of what it tells a benchmark. */
const MARGIN_SECONDS = 10;
const GRACE_MS = 8000;

interface Run {
  name: string;
  status: 'ok' | 'failed' | 'timed out' | 'skipped' | 'missing';
  seconds: number;
  exitCode: number | null;
  log?: string;
}

function parseArgs(argv: string[]): { build: boolean; only: string[] | undefined; skip: string[] } {
  const list = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 && argv[index + 1] ? argv[index + 1]!.split(',').map((name) => name.trim()) : undefined;
  };
  return { build: !argv.includes('--no-build'), only: list('--only'), skip: list('--skip') ?? [] };
}

/** Every process below `pid` (children, grandchildren…), from /proc; empty where /proc is missing. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const children = parents.get(ppid) ?? [];
      children.push(Number(entry));
      parents.set(ppid, children);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

async function runBench(name: string, limitSeconds: number, extraEnv: Record<string, string> = {}): Promise<Run> {
  const file = resolve(ROOT, 'bench', `${name}.ts`);
  if (!existsSync(file)) return { name, status: 'missing', seconds: 0, exitCode: null };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = resolve(RESULTS_DIR, `${name}.log`);
  const log = createWriteStream(logFile);
  const envText = Object.entries(extraEnv).map(([key, value]) => `${key}=${value}`).join(' ');
  console.log(`\n━━ ${name} (limit ${limitSeconds} s${envText ? `; ${envText}` : ''}) ━━`);
  const started = Date.now();
  const child = spawn('npx', ['tsx', file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...extraEnv, FORCE_COLOR: '0', BENCH_TIME_LIMIT_SECONDS: String(Math.max(10, limitSeconds - MARGIN_SECONDS)) },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    log.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (!/Unknown user config "nodedir"/.test(text)) process.stderr.write(chunk);
    log.write(chunk);
  });
  let timedOut = false;
  let tree: number[] = [];
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    tree = [child.pid!, ...descendants(child.pid!)];
    console.error(`\n${name}: over its ${limitSeconds} s limit; stopping it (${tree.length} processes).`);
    signal(tree, 'SIGTERM');
    killer = setTimeout(() => signal([...tree, ...descendants(child.pid!)], 'SIGKILL'), GRACE_MS);
  }, limitSeconds * 1000);
  const exitCode = await new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  clearTimeout(timer);
  if (timedOut) {
    // give the processes that were told to stop their grace period, then end the rest (by id)
    await new Promise((done) => setTimeout(done, 2000));
    clearTimeout(killer);
    signal(tree.filter((pid) => existsSync(`/proc/${pid}`)), 'SIGKILL');
  }
  // a benchmark that crashed may leave its browsers behind: end them (by id)
  const leftovers = descendants(child.pid!);
  if (leftovers.length) signal(leftovers, 'SIGKILL');
  await new Promise<void>((done) => log.end(() => done()));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const status = timedOut ? 'timed out' : exitCode === 0 ? 'ok' : 'failed';
  console.log(`━━ ${name}: ${status} in ${seconds} s ━━`);
  return { name, status, seconds, exitCode, log: logFile };
}

function markdownTable(rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const [header, ...body] = rows;
  return [`| ${header!.map(escape).join(' | ')} |`, `| ${header!.map(() => '---').join(' | ')} |`, ...body.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scale = Number(process.env.BENCH_LIMIT_SCALE ?? 1) || 1;
  const started = Date.now();
  const notes: string[] = [];

  if (args.build) {
    console.log('━━ npm run build ━━');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      const manifest = resolve(ROOT, 'dist/manifest.json');
      const note = existsSync(manifest)
        ? `The build FAILED; the browser benchmarks ran against the existing dist/ (built ${statSync(manifest).mtime.toISOString()}).`
        : 'The build FAILED and there is no dist/: the browser benchmarks cannot run.';
      console.error(note);
      notes.push(note);
    }
  } else {
    notes.push('Run with --no-build: the browser benchmarks used dist/ as it was.');
  }

  const runs: Run[] = [];
  for (const bench of BENCHES) {
    if ((args.only && !args.only.includes(bench.name)) || args.skip.includes(bench.name)) {
      runs.push({ name: bench.name, status: 'skipped', seconds: 0, exitCode: null });
      continue;
    }
    runs.push(await runBench(bench.name, Math.round(bench.limitSeconds * scale), bench.env));
    if (bench.env) notes.push(`${bench.name} ran with ${Object.entries(bench.env).map(([key, value]) => `${key}=${value}`).join(' ')}.`);
  }

  // ---- summary ----
  const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((file) => file.endsWith('.json') && file !== 'summary.json') : [];
  const summaryFigures: (Figure & { bench: string })[] = [];
  const benchNotes: Record<string, string[]> = {};
  let problems = runs.filter((run) => run.status === 'failed' || run.status === 'timed out').length;
  for (const file of files.sort()) {
    const path = resolve(RESULTS_DIR, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      notes.push(`${file}: unreadable (${error instanceof Error ? error.message : String(error)}).`);
      continue;
    }
    const result = readResult(file, json);
    const run = runs.find((candidate) => candidate.name === result.name || `${candidate.name}.json` === file);
    // written during this run by the benchmark this run started (not by one that failed, nor by someone else's run before)
    const fresh = statSync(path).mtimeMs >= started && (!run || run.status === 'ok');
    const label = fresh ? result.name : `${result.name} (stale: ${result.date ?? statSync(path).mtime.toISOString()})`;
    if (!fresh) notes.push(`${file} was not written by this run${run ? ` (${run.name}: ${run.status})` : ''}; its figures are from ${result.date ?? 'an earlier run'}.`);
    for (const figure of result.figures) summaryFigures.push({ bench: label, ...figure });
    benchNotes[result.name] = result.notes;
    if (result.format !== 'shared') notes.push(...result.notes);
  }
  for (const run of runs) {
    if (run.status === 'ok' && !files.some((file) => file === `${run.name}.json` && statSync(resolve(RESULTS_DIR, file)).mtimeMs >= started)) {
      notes.push(`${run.name} exited cleanly but wrote no bench/results/${run.name}.json.`);
      problems++;
    }
  }

  const rows = [['benchmark', ...FIGURE_HEADER], ...figureRows(summaryFigures).map((row, index) => [summaryFigures[index]!.bench, ...row])];
  const runRows = [['benchmark', 'status', 'seconds'], ...runs.map((run) => [run.name, run.status, String(run.seconds)])];
  const totalSeconds = Math.round((Date.now() - started) / 1000);
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');

  console.log(`\n━━ Summary ━━\n${formatTable(rows)}\n\n${formatTable(runRows)}\n\nTotal ${totalSeconds} s; load average now ${load} on ${os.cpus().length} CPUs.`);
  if (notes.length) console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

  const summary = {
    date: new Date(started).toISOString(),
    durationSeconds: totalSeconds,
    machine: { cpus: os.cpus().length, loadAverageAtEnd: os.loadavg(), node: process.version },
    runs,
    figures: summaryFigures,
    notes,
    benchNotes,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resolve(RESULTS_DIR, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const markdown = [
    `<!-- generated by npm run bench on ${summary.date} -->`,
    markdownTable(rows),
    '',
    `Run on ${os.cpus().length} CPUs (load average at the end ${load}), ${totalSeconds} s in all. Ratios compare with a baseline measured in the same run; absolute times on a shared machine are noisy.`,
    '',
    markdownTable(runRows),
    ...(notes.length ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
  writeFileSync(resolve(RESULTS_DIR, 'summary.md'), markdown);
  console.log(`\nWrote ${resolve(RESULTS_DIR, 'summary.json')} and ${resolve(RESULTS_DIR, 'summary.md')}`);
  process.exitCode = problems ? 1 : 0;
}

await main();
