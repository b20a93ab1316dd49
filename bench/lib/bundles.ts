/**
 * What an extension page or script of dist/ loads: an HTML page's <script src>, <link
 * rel=modulepreload> and stylesheets, followed through the static `import … from "…"` of every
 * chunk (Vite builds the HTML pages together, so their code is split across shared chunks).
 * Dynamic `import()` targets are listed apart: they load only when used; the content script
 * loader's `import(chrome.runtime.getURL(…))` is followed like a static import, as it runs at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFiles {
  entry: string;
  js: string[];
  css: string[];
  lazyJs: string[];
}

export interface BundleSize {
  files: number;
  bytes: number;
  gzipBytes: number;
}

const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w*${}\s,]*?\bfrom\s*)?["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]\s*\)/g;
/** A content script loader's import of an extension file: loaded at once, like a static import. */
const RUNTIME_URL_IMPORT = /\bimport\(\s*chrome\.runtime\.getURL\(\s*["'`]([^"'`]+)["'`]\s*\)\s*\)/g;
const MAP_DEPS = /__vite__mapDeps=.*?\[((?:"[^"]*",?)*)\]/;

function resolveFrom(root: string, from: string, spec: string): string {
  return spec.startsWith('/') ? resolve(root, `.${spec}`) : resolve(dirname(from), spec);
}

/** The files `entry` (an .html or .js path under `root`) loads, as paths relative to `root`. */
export function bundleFiles(root: string, entry: string): BundleFiles {
  const entryPath = resolve(root, entry);
  const js = new Set<string>();
  const css = new Set<string>();
  const lazy = new Set<string>();
  const queue: string[] = [];
  if (entryPath.endsWith('.html')) {
    const html = readFileSync(entryPath, 'utf8');
    for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
      const src = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
      if (!src || /^[a-z]+:/i.test(src)) continue;
      const path = resolveFrom(root, entryPath, src);
      if (tag.startsWith('<script') || /rel="modulepreload"/.test(tag)) queue.push(path);
      else if (/rel="stylesheet"/.test(tag)) css.add(path);
    }
  } else {
    queue.push(entryPath);
  }
  while (queue.length) {
    const file = queue.shift()!;
    if (js.has(file) || !existsSync(file)) continue;
    js.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(STATIC_IMPORT)) {
      const target = resolveFrom(root, file, match[1]!);
      if (target.endsWith('.css')) css.add(target);
      else queue.push(target);
    }
    for (const match of code.matchAll(RUNTIME_URL_IMPORT)) queue.push(resolve(root, match[1]!));
    for (const match of code.matchAll(DYNAMIC_IMPORT)) lazy.add(resolveFrom(root, file, match[1]!));
    const deps = MAP_DEPS.exec(code)?.[1];
    if (deps) for (const dep of deps.split(',')) if (dep) lazy.add(resolve(root, JSON.parse(dep) as string));
  }
  for (const file of js) lazy.delete(file);
  const rel = (paths: Iterable<string>) => [...paths].map((path) => relative(root, path)).sort();
  return { entry, js: rel(js), css: rel(css), lazyJs: rel([...lazy].filter((path) => existsSync(path) && path.endsWith('.js'))) };
}

export function sizeOf(root: string, files: readonly string[]): BundleSize {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = readFileSync(resolve(root, file));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipBytes };
}
