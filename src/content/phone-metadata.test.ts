import { beforeEach, describe, expect, it, vi } from 'vitest';
import metadata from 'libphonenumber-js/metadata.max.json';
import { createPhoneEngine } from './phone-engine';
import type { EngineModule } from './phone-metadata';

/* The loader keeps its state (the load in flight, the attempts) per module: a fresh copy per test. */
async function freshModules() {
  vi.resetModules();
  const loader = await import('./phone-metadata');
  const engine = await import('./detect/engine');
  engine.uninstallPhoneEngineForTests();
  return { ...loader, ...engine };
}

const respond = (body: unknown, ok = true) => Promise.resolve({ ok, json: () => Promise.resolve(body) } as Response);
const engineModule: EngineModule = { createPhoneEngine };

describe('loadPhoneEngine', () => {
  beforeEach(() => vi.restoreAllMocks());

  it('fetches the metadata and imports the engine from the extension once, then installs it', async () => {
    const { loadPhoneEngine, hasPhoneEngine, phoneEngine, PHONE_METADATA_PATH, PHONE_ENGINE_PATH } = await freshModules();
    const fetchResource = vi.fn(() => respond(metadata));
    const importModule = vi.fn(() => Promise.resolve(engineModule));
    const resourceUrl = (path: string) => `chrome-extension://session-id/${path}`;
    const sources = { resourceUrl, fetchResource, importModule };
    expect(await Promise.all([loadPhoneEngine(sources), loadPhoneEngine(sources)])).toEqual([true, true]);
    expect(fetchResource).toHaveBeenCalledTimes(1);
    expect(fetchResource).toHaveBeenCalledWith(`chrome-extension://session-id/${PHONE_METADATA_PATH}`);
    expect(importModule).toHaveBeenCalledWith(`chrome-extension://session-id/${PHONE_ENGINE_PATH}`);
    expect(hasPhoneEngine()).toBe(true);
    expect(phoneEngine().validateDigits('4155550101', false, 'US')?.number).toBe('+14155550101');
    expect(await loadPhoneEngine(sources)).toBe(true);
    expect(fetchResource).toHaveBeenCalledTimes(1);
  });

  it('installs nothing from a failed or malformed response or a failed import, and gives up after three tries', async () => {
    const { loadPhoneEngine, hasPhoneEngine } = await freshModules();
    const answers = [respond({}, false), respond({ not: 'metadata' }), respond(metadata), respond(metadata)];
    const imports = [Promise.resolve(engineModule), Promise.resolve(engineModule), Promise.reject(new TypeError('Failed to fetch dynamically imported module')), Promise.resolve(engineModule)];
    const fetchResource = vi.fn(() => answers.shift()!);
    const importModule = vi.fn(() => imports.shift()!);
    const sources = { resourceUrl: (path: string) => path, fetchResource, importModule };
    for (let i = 0; i < 3; i++) expect(await loadPhoneEngine(sources)).toBe(false);
    expect(await loadPhoneEngine(sources)).toBe(false);
    expect(fetchResource).toHaveBeenCalledTimes(3);
    expect(hasPhoneEngine()).toBe(false);
  });
});
