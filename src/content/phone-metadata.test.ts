import { beforeEach, describe, expect, it, vi } from 'vitest';
import metadata from 'libphonenumber-js/metadata.max.json';

/* The loader keeps its state (the fetch in flight, the attempts) per module: a fresh copy per test. */
async function freshModules() {
  vi.resetModules();
  const loader = await import('./phone-metadata');
  const store = await import('./detect/metadata');
  store.uninstallPhoneMetadataForTests();
  return { ...loader, ...store };
}

const respond = (body: unknown, ok = true) => Promise.resolve({ ok, json: () => Promise.resolve(body) } as Response);

describe('loadPhoneMetadata', () => {
  beforeEach(() => vi.restoreAllMocks());

  it('fetches the file from the extension once and installs it', async () => {
    const { loadPhoneMetadata, hasPhoneMetadata, PHONE_METADATA_PATH } = await freshModules();
    const fetchResource = vi.fn(() => respond(metadata));
    const url = (path: string) => `chrome-extension://session-id/${path}`;
    const results = await Promise.all([loadPhoneMetadata(url, fetchResource), loadPhoneMetadata(url, fetchResource)]);
    expect(results).toEqual([true, true]);
    expect(fetchResource).toHaveBeenCalledTimes(1);
    expect(fetchResource).toHaveBeenCalledWith(`chrome-extension://session-id/${PHONE_METADATA_PATH}`);
    expect(hasPhoneMetadata()).toBe(true);
    expect(await loadPhoneMetadata(url, fetchResource)).toBe(true);
    expect(fetchResource).toHaveBeenCalledTimes(1);
  });

  it('installs nothing from a failed or malformed response, and gives up after three tries', async () => {
    const { loadPhoneMetadata, hasPhoneMetadata } = await freshModules();
    const answers = [respond({}, false), respond({ not: 'metadata' }), Promise.reject(new TypeError('Failed to fetch')), respond(metadata)];
    const fetchResource = vi.fn(() => answers.shift()!);
    for (let i = 0; i < 3; i++) expect(await loadPhoneMetadata((p) => p, fetchResource)).toBe(false);
    expect(await loadPhoneMetadata((p) => p, fetchResource)).toBe(false);
    expect(fetchResource).toHaveBeenCalledTimes(3);
    expect(hasPhoneMetadata()).toBe(false);
  });
});
