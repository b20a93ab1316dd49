/**
 * Loads the phone engine into the content script the first time a page needs it (see
 * detect/engine.ts for why it is not bundled): libphonenumber-js's code as an ES module and its
 * metadata as JSON, fetched in parallel. Both are web-accessible only through the per-session
 * dynamic URL (`use_dynamic_url`), so pages cannot probe for the extension with them; they run and
 * load in this isolated world, not the page's, and do not show in the page's resource timing.
 */
import { hasPhoneEngine, installPhoneEngine, type PhoneEngine } from './detect';

export const PHONE_METADATA_PATH = 'content/phone-metadata.json';
export const PHONE_ENGINE_PATH = 'content/phone-engine.js';

export interface EngineModule {
  createPhoneEngine(metadata: unknown): PhoneEngine | null;
}

export interface EngineSources {
  resourceUrl(path: string): string;
  fetchResource?: typeof fetch;
  importModule?: (url: string) => Promise<EngineModule>;
}

/** A page that keeps needing it gets a few tries, not a fetch per mutation. */
const MAX_ATTEMPTS = 3;
let loading: Promise<boolean> | undefined;
let attempts = 0;

const importEngine = (url: string) => import(/* @vite-ignore */ url) as Promise<EngineModule>;

/** Resolves true once the engine is installed; false if it cannot be (extension gone, bad file). */
export function loadPhoneEngine(sources: EngineSources): Promise<boolean> {
  if (hasPhoneEngine()) return Promise.resolve(true);
  if (!loading && attempts >= MAX_ATTEMPTS) return Promise.resolve(false);
  loading ??= (async () => {
    attempts++;
    const fetchResource = sources.fetchResource ?? fetch;
    const importModule = sources.importModule ?? importEngine;
    try {
      const [metadata, module] = await Promise.all([
        fetchResource(sources.resourceUrl(PHONE_METADATA_PATH)).then((response) => (response.ok ? (response.json() as Promise<unknown>) : null)),
        importModule(sources.resourceUrl(PHONE_ENGINE_PATH)),
      ]);
      const engine = metadata === null ? null : module.createPhoneEngine(metadata);
      if (!engine) return false;
      installPhoneEngine(engine);
      return true;
    } catch {
      return false;
    }
  })();
  const attempt = loading;
  // a failed attempt (e.g. the extension was reloaded mid-fetch) may be retried by a later need
  void attempt.then((ok) => {
    if (!ok && loading === attempt) loading = undefined;
  });
  return attempt;
}
