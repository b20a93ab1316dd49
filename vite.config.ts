import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import webExtension from 'vite-plugin-web-extension';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const here = import.meta.dirname;
const packageVersion = (JSON.parse(readFileSync(resolve(here, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The SDK's bundled webpack helper probes the global object with `Function("return this")()`,
 * which MV3's CSP reports as an eval violation. `globalThis` is the same object without eval.
 */
function sdkGlobalProbeWithoutEval(): Plugin {
  return {
    name: 'kandy-sdk-global-probe',
    transform(code, id) {
      if (!id.includes('@kandy-io/cpaas-sdk')) return null;
      return { code: code.replaceAll('Function("return this")()', 'globalThis'), map: null };
    },
  };
}

/**
 * The content script loads libphonenumber-js's metadata on demand (src/content/phone-metadata.ts):
 * ship it as a minified JSON file next to the script, straight from the pinned package.
 */
function phoneMetadataFile(): Plugin {
  return {
    name: 'phone-metadata-file',
    generateBundle() {
      const json = readFileSync(resolve(here, 'node_modules/libphonenumber-js/metadata.max.json'), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'content/phone-metadata.json', source: JSON.stringify(JSON.parse(json)) });
    },
  };
}

export default defineConfig({
  root: resolve(here, 'src'),
  publicDir: resolve(here, 'src/public'),
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  plugins: [
    sdkGlobalProbeWithoutEval(),
    phoneMetadataFile(),
    svelte({ configFile: resolve(here, 'svelte.config.js') }),
    webExtension({
      manifest: () => {
        const manifest = JSON.parse(readFileSync(resolve(here, 'manifest.json'), 'utf8')) as Record<string, unknown>;
        manifest.version = packageVersion;
        if (process.env.EXTENSION_KEY) manifest.key = process.env.EXTENSION_KEY;
        return manifest;
      },
      additionalInputs: ['offscreen/index.html', 'permission/index.html', 'options/index.html', 'callwindow/index.html', 'onboarding/index.html'],
      browser: 'chrome',
      disableAutoLaunch: true,
      skipManifestValidation: true,
    }),
  ],
});
