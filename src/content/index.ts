/**
 * The content script Chrome injects into every frame: only a loader. The click-to-call code is
 * the ES module content/page.js (src/content/page.ts), which the build marks for eager
 * compilation, so Chrome compiles it on a background thread while it loads. Injected as a
 * classic script, the same code was compiled on the page's main thread in every frame, and each
 * function again, lazily, inside the first scan's slices.
 *
 * The module is web-accessible through the per-session dynamic URL only, and starts nothing
 * outside an extension context (see page.ts).
 */
try {
  if (typeof chrome === 'object' && chrome?.runtime?.id) {
    import(/* @vite-ignore */ chrome.runtime.getURL('content/page.js')).catch(() => {
      // the extension was updated or removed since this frame loaded: nothing to do here
    });
  }
} catch {
  // Never let an exception escape into the page.
}
