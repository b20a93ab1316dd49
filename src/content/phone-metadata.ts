/**
 * Loads the phone engine into the content script the first time a text passes the prefilter:
 * the engine module (detector and libphonenumber-js's code, see phone-engine.ts) and the
 * metadata JSON, in parallel. The detector is installed as soon as the module is in (SIP
 * addresses, dates and prices need no metadata), the engine once the metadata is parsed. Both
 * files are web-accessible only through the per-session dynamic URL (`use_dynamic_url`), so
 * pages cannot probe for the extension with them; they run and load in this isolated world, not
 * the page's, and do not show in the page's resource timing.
 */
import { detector, hasPhoneEngine, installDetector, installPhoneEngine, type Detector, type PhoneEngine } from './detect/engine';
import { looksLikePhoneMetadata } from './detect/metadata';

export const PHONE_METADATA_PATH = 'content/phone-metadata.json';
export const PHONE_ENGINE_PATH = 'content/phone-engine.js';

export interface EngineModule {
  createDetector(): Detector;
  createPhoneEngine(metadata: unknown): PhoneEngine | null;
}

export interface EngineSources {
  resourceUrl(path: string): string;
  fetchResource?: typeof fetch;
  importModule?: (url: string) => Promise<EngineModule>;
}

/** A few tries per step, then the answer is kept: a page never causes a fetch per mutation. */
const MAX_ATTEMPTS = 3;
/** The pause before the second try; doubled before the third. */
const RETRY_PAUSE_MS = 500;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One step of the load, shared by everyone who needs it: up to MAX_ATTEMPTS tries with a pause
 * between them (a fetch can fail while the browser is busy or the extension updates), then the
 * answer, kept. So a false from the loader is final, and the scanner can stop waiting for it.
 */
class Step<T> {
  private outcome: Promise<T | null> | undefined;

  constructor(private readonly run: () => Promise<T | null>) {}

  load(): Promise<T | null> {
    this.outcome ??= this.tryAll();
    return this.outcome;
  }

  private async tryAll(): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      const value = await this.run().catch(() => null);
      if (value !== null || attempt >= MAX_ATTEMPTS) return value;
      await pause(RETRY_PAUSE_MS * 2 ** (attempt - 1));
    }
  }
}

const importEngine = (url: string) => import(/* @vite-ignore */ url) as Promise<EngineModule>;

let steps: { module: Step<EngineModule>; metadata: Step<unknown> } | undefined;

function stepsFor(sources: EngineSources) {
  steps ??= {
    module: new Step(() => (sources.importModule ?? importEngine)(sources.resourceUrl(PHONE_ENGINE_PATH))),
    metadata: new Step(async () => {
      const response = await (sources.fetchResource ?? fetch)(sources.resourceUrl(PHONE_METADATA_PATH));
      if (!response.ok) return null;
      const json = (await response.json()) as unknown;
      return looksLikePhoneMetadata(json) ? json : null; // a bad file counts as a failed attempt
    }),
  };
  return steps;
}

/**
 * Resolves true once the detector is installed; false, for good, when it cannot be (extension
 * gone, bad file) after MAX_ATTEMPTS tries. The metadata is fetched and parsed alongside:
 * waiting for it until a number needs validating (tried: a fetch after the module, or a
 * response kept unread until then) made the article's scan cost 10–15 % more script time in
 * interleaved A/B runs.
 */
export async function loadDetector(sources: EngineSources): Promise<boolean> {
  if (detector()) return true;
  void loadPhoneEngine(sources);
  const loaded = await stepsFor(sources).module.load();
  if (!loaded) return false;
  if (!detector()) installDetector(loaded.createDetector());
  return true;
}

/** Resolves true once the detector and the phone engine (with its metadata) are installed; false for good, as above. */
export async function loadPhoneEngine(sources: EngineSources): Promise<boolean> {
  if (hasPhoneEngine()) return true;
  const { module, metadata } = stepsFor(sources);
  const [loaded, json] = await Promise.all([module.load(), metadata.load()]);
  if (hasPhoneEngine()) return true; // a load that overlapped this one finished first
  if (!loaded) return false;
  if (!detector()) installDetector(loaded.createDetector()); // SIP addresses need no metadata
  const engine = json === null ? null : loaded.createPhoneEngine(json);
  if (!engine) return false;
  installPhoneEngine(engine);
  return true;
}
