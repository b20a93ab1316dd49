/**
 * `npm run zip`: a reproducible, store-ready zip of the built extension (dist/).
 *
 * Same dist/ → same bytes: entries sorted by path, every timestamp fixed (1980-01-01 00:00, the
 * earliest a zip can hold, or SOURCE_DATE_EPOCH if set), fixed Unix permissions (0644 files; no
 * directory entries), no extra fields or data descriptors, and raw deflate at level 9 from node:zlib
 * (a file that deflate does not shrink is stored). The bytes can only change with the input or with
 * Node's bundled zlib.
 *
 * Named kandy-click-to-call-<version>.zip after the version the build copied from package.json into
 * dist/manifest.json; refuses a dist/ whose version differs from package.json (a stale build) or whose
 * manifest has a "key" (a test build: the Chrome Web Store rejects it).
 *
 * Usage: npm run zip [-- --out <dir>] [--dist <dir>]   (default: release/ from dist/)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { constants, deflateRawSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');

export const LICENCE_NOTE =
  'Licence note: this zip bundles the Kandy.js SDK (@kandy-io/cpaas-sdk), which is proprietary software of Ribbon Communications ' +
  '("may not be copied, reproduced or distributed ... without the prior written permission of Ribbon"). ' +
  'Distributing it, for example on the Chrome Web Store, needs Ribbon\'s permission. The rest of the extension is MIT-licensed.';

// ---- CRC-32 (IEEE 802.3, the zip one) ---------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---- zip writer ---------------------------------------------------------------------------------

export interface ZipInput {
  /** Forward slashes, no leading slash. */
  name: string;
  data: Buffer;
}

export interface ZipOptions {
  /** Seconds since 1970 for every entry (SOURCE_DATE_EPOCH); default 1980-01-01 00:00. */
  epochSeconds?: number;
}

/** MS-DOS date and time fields of a UTC instant; clamped to 1980…2107, 2-second resolution. */
export function dosDateTime(epochSeconds: number | undefined): { date: number; time: number } {
  if (epochSeconds === undefined) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
  const when = new Date(Math.min(Math.max(epochSeconds * 1000, Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58)));
  return {
    date: ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
  };
}

const VERSION_MADE_BY = (3 << 8) | 20; // Unix, zip 2.0
const VERSION_NEEDED = 20; // deflate
const FILE_MODE = 0o100644; // regular file, rw-r--r--
const FLAG_UTF8 = 1 << 11;

/** Builds the zip in memory. Entries are written in byte order of their names, whatever the input order. */
export function buildZip(inputs: ZipInput[], options: ZipOptions = {}): Buffer {
  const entries = [...inputs].sort((a, b) => Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8')));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]?.name === entries[i - 1]?.name) throw new Error(`duplicate zip entry ${entries[i]?.name}`);
  }
  if (entries.length > 0xffff) throw new Error('too many files for a zip without zip64');
  const { date, time } = dosDateTime(options.epochSeconds);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    if (entry.name.startsWith('/') || entry.name.includes('\\') || entry.name.split('/').includes('..')) throw new Error(`unsafe zip entry name ${entry.name}`);
    const name = Buffer.from(entry.name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : FLAG_UTF8;
    const crc = crc32(entry.data);
    const deflated = deflateRawSync(entry.data, { level: 9, memLevel: 9, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const method = stored ? 0 : 8;
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) throw new Error('the zip would need zip64');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }

  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, ...centrals, end]);
}

// ---- dist/ → zip ---------------------------------------------------------------------------------

/** Files (not directories) under `dir`, as forward-slash paths relative to it. Symbolic links and junk files are refused or skipped. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.name === '.DS_Store' || entry.name === 'Thumbs.db') continue;
      if (entry.isSymbolicLink()) throw new Error(`refusing to zip a symbolic link: ${path}`);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export interface PackResult {
  file: string;
  version: string;
  entries: number;
  bytes: number;
}

/** Checks dist/ and writes <outDir>/kandy-click-to-call-<version>.zip. */
export function packExtension(distDir: string, outDir: string, packageJson = resolve(ROOT, 'package.json')): PackResult {
  const manifestFile = join(distDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`No built extension in ${distDir}: run "npm run build" first.`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version?: string; key?: string; manifest_version?: number };
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { name: string; version: string };
  if (manifest.manifest_version !== 3) throw new Error(`${manifestFile} is not a Manifest V3 manifest.`);
  if (manifest.version !== pkg.version) {
    throw new Error(`${manifestFile} says version ${manifest.version ?? '(none)'} but package.json says ${pkg.version}: the build is stale, run "npm run build".`);
  }
  if (manifest.key !== undefined) throw new Error(`${manifestFile} has a "key" (a test build, EXTENSION_KEY was set): the Chrome Web Store refuses it. Rebuild without EXTENSION_KEY.`);
  // Source maps stay out of the store package (they would only show the bundled SDK's sources).
  const files = listFiles(distDir).filter((file) => !file.endsWith('.map'));
  const epoch = process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) : undefined;
  if (epoch !== undefined && !Number.isFinite(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be a number of seconds, got "${process.env.SOURCE_DATE_EPOCH}"`);
  const zip = buildZip(
    files.map((name) => {
      const path = join(distDir, ...name.split('/'));
      if (statSync(path).size > 256 * 1024 * 1024) throw new Error(`${path} is too large`);
      return { name, data: readFileSync(path) };
    }),
    { epochSeconds: epoch },
  );
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${pkg.name}-${pkg.version}.zip`);
  writeFileSync(file, zip, { mode: 0o644 });
  return { file, version: pkg.version, entries: files.length, bytes: zip.length };
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' }, dist: { type: 'string' } }, strict: true });
  const distDir = resolve(ROOT, values.dist ?? 'dist');
  const outDir = resolve(ROOT, values.out ?? 'release');
  try {
    const result = packExtension(distDir, outDir);
    const sha = createHash('sha256').update(readFileSync(result.file)).digest('hex');
    process.stdout.write(`Wrote ${relative(process.cwd(), result.file) || result.file} (version ${result.version}, ${result.entries} files, ${result.bytes} bytes, sha256 ${sha}).\n`);
    process.stdout.write(`${LICENCE_NOTE}\n`);
  } catch (error) {
    process.stderr.write(`zip: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
