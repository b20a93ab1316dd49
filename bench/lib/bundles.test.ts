import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFiles } from './bundles';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'bundles-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('bundleFiles', () => {
  it('follows a content script loader into the module it imports from the extension at once', () => {
    const dir = tree({
      'content/index.js': '(function(){try{chrome?.runtime?.id&&import(chrome.runtime.getURL(`content/page.js`)).catch(()=>{})}catch{}})();',
      'content/page.js': 'import{a}from"./shared.js";const later=()=>import("./lazy.js");',
      'content/shared.js': 'export const a=1;',
      'content/lazy.js': 'export default 2;',
    });
    const files = bundleFiles(dir, 'content/index.js');
    expect(files.js).toEqual(['content/index.js', 'content/page.js', 'content/shared.js']);
    expect(files.lazyJs).toEqual(['content/lazy.js']);
  });

  it('keeps other dynamic imports lazy', () => {
    const dir = tree({ 'a.js': 'import("./b.js");', 'b.js': '' });
    expect(bundleFiles(dir, 'a.js')).toMatchObject({ js: ['a.js'], lazyJs: ['b.js'] });
  });
});
