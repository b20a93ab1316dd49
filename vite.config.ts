import { build, defineConfig, type BuildEnvironmentOptions, type InlineConfig, type Plugin, type PluginOption } from 'vite';
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

const POPUP_PAGE = 'popup/index.html';

/** `NO_MINIFY=1 npm run build` keeps names and lines, so a CPU profile of the content script reads like the source. */
const minify = !process.env.NO_MINIFY;

/**
 * The popup is built on its own, into one script and one stylesheet. In the shared multi-page
 * build its code is split over eight small chunks it shares with the other pages, and every
 * chrome-extension:// request costs the browser process a round trip before the popup can start:
 * one file each is what lets an active call show within 100 ms of the click (bench/popup.ts).
 * The price is a second copy of the lazily loaded dial tools in dist/popup/.
 */
/** A build of its own into dist/, run after the extension's (see afterTheExtension). */
function separateBuild(options: BuildEnvironmentOptions, plugins: PluginOption[] = []): InlineConfig {
  return {
    configFile: false,
    root: resolve(here, 'src'),
    publicDir: false,
    logLevel: 'warn',
    build: { outDir: resolve(here, 'dist'), emptyOutDir: false, target: 'chrome120', sourcemap: false, minify, ...options },
    plugins,
  };
}

const popupBuild = separateBuild(
  {
    // Every Chrome the manifest allows supports <link rel=modulepreload>.
    modulePreload: { polyfill: false },
    rollupOptions: {
      // early-state.ts is loaded by the page as a classic script of its own (see there).
      input: { popup: resolve(here, 'src', POPUP_PAGE), 'early-state': resolve(here, 'src/popup/early-state.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'early-state' ? 'popup/early-state.js' : 'popup/index.js'),
        chunkFileNames: 'popup/[name].js',
        assetFileNames: 'popup/[name][extname]',
      },
    },
  },
  [svelte({ configFile: resolve(here, 'svelte.config.js') })],
);

/**
 * V8's explicit compile hint (Chrome 136+): every function of a file that starts with this
 * comment is compiled eagerly, and for a module Chrome streams that compile onto a background
 * thread while the file loads. Without it each detector function was compiled on the page's
 * main thread, inside the scan's slices, the first time it ran.
 */
const COMPILE_EAGERLY = '//# allFunctionsCalledOnLoad';

function compileEagerly(): Plugin {
  return {
    name: 'compile-eagerly',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) if (file.type === 'chunk') file.code = `${COMPILE_EAGERLY}\n${file.code}`;
    },
  };
}

/**
 * An ES module of the content script's, built on its own and marked for eager compilation, so
 * Chrome compiles it on a background thread while it loads instead of on the page's main thread:
 *  - content/page.js, the content script's real code, which the injected loader
 *    (src/content/index.ts) imports in every frame;
 *  - content/phone-engine.js, the detector and libphonenumber-js's code, which page.js imports on
 *    demand (src/content/phone-engine.ts), so they are not loaded in frames without a candidate.
 */
function eagerModuleBuild(entry: string, fileName: string): InlineConfig {
  return separateBuild(
    {
      lib: { entry: resolve(here, entry), formats: ['es'], fileName: () => fileName },
      // Vite leaves an ES library's white space for its consumers' bundlers; these files are shipped as they are
      rollupOptions: { output: { minify } },
    },
    [compileEagerly()],
  );
}

const contentPageBuild = eagerModuleBuild('src/content/page.ts', 'content/page.js');
const phoneEngineBuild = eagerModuleBuild('src/content/phone-engine.ts', 'content/phone-engine.js');

/**
 * Runs the popup's and the content modules' builds after the extension's. vite-plugin-web-extension
 * loads this config again for each of its own child builds (and marks them with this variable);
 * only the outer build may start them.
 */
function afterTheExtension(): Plugin {
  let failed = false;
  return {
    name: 'kandy-popup-on-its-own',
    apply: () => process.env.VITE_PLUGIN_WEB_EXTENSION_CHILD_BUILD !== 'true',
    buildEnd(error) {
      failed = error != null;
    },
    async closeBundle() {
      if (failed) return;
      await build(popupBuild);
      await build(contentPageBuild);
      await build(phoneEngineBuild);
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
    minify,
  },
  plugins: [
    sdkGlobalProbeWithoutEval(),
    phoneMetadataFile(),
    svelte({ configFile: resolve(here, 'svelte.config.js') }),
    webExtension({
      manifest: () => {
        const manifest = JSON.parse(readFileSync(resolve(here, 'manifest.json'), 'utf8')) as { action: Record<string, unknown> } & Record<string, unknown>;
        manifest.version = packageVersion;
        if (process.env.EXTENSION_KEY) manifest.key = process.env.EXTENSION_KEY;
        // Kept out of the shared multi-page build (see afterTheExtension) and put back below.
        delete manifest.action.default_popup;
        return manifest;
      },
      transformManifest: (manifest) => ({ ...manifest, action: { ...(manifest.action as object), default_popup: POPUP_PAGE } }),
      additionalInputs: ['offscreen/index.html', 'permission/index.html', 'options/index.html', 'callwindow/index.html', 'onboarding/index.html'],
      browser: 'chrome',
      disableAutoLaunch: true,
      skipManifestValidation: true,
    }),
    afterTheExtension(),
  ],
});
