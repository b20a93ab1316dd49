import { beforeEach, describe, expect, it, vi } from 'vitest';
import metadata from 'libphonenumber-js/metadata.max.json';
import type { EngineModule } from './phone-metadata';

/* The loader keeps its state (the loads in flight, the attempts) per module: a fresh copy per test. */
async function freshModules() {
  vi.resetModules();
  const loader = await import('./phone-metadata');
  const engine = await import('./detect/engine');
  engine.uninstallPhoneEngineForTests();
  const engineModule: EngineModule = await import('./phone-engine');
  return { ...loader, ...engine, engineModule };
}

const respond = (body: unknown, ok = true) => Promise.resolve({ ok, json: () => Promise.resolve(body) } as Response);
const resourceUrl = (path: string) => `chrome-extension://session-id/${path}`;

describe('loading the phone engine', () => {
  beforeEach(() => vi.restoreAllMocks());

  it('installs the detector as soon as the module is in, and fetches the metadata alongside, once', async () => {
    const { loadDetector, loadPhoneEngine, detector, hasPhoneEngine, engineModule, PHONE_ENGINE_PATH, PHONE_METADATA_PATH } = await freshModules();
    let answer!: (response: Response) => void;
    const fetchResource = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    const importModule = vi.fn(() => Promise.resolve(engineModule));
    const sources = { resourceUrl, fetchResource, importModule };
    expect(await Promise.all([loadDetector(sources), loadDetector(sources)])).toEqual([true, true]);
    expect(importModule).toHaveBeenCalledTimes(1);
    expect(importModule).toHaveBeenCalledWith(resourceUrl(PHONE_ENGINE_PATH));
    expect(fetchResource).toHaveBeenCalledTimes(1);
    expect(fetchResource).toHaveBeenCalledWith(resourceUrl(PHONE_METADATA_PATH));
    expect(hasPhoneEngine()).toBe(false);
    // before the metadata: SIP addresses and shapes, but a phone candidate waits (null)
    expect(detector()!.detect('write to sip:bob@example.com', 'US')!.map((found) => found.dial)).toEqual(['sip:bob@example.com']);
    expect(detector()!.detect('on 12/03/2024 for $1,299.00', 'US')).toEqual([]);
    expect(detector()!.detect('Call 415-555-0101', 'US')).toBeNull();
    expect(detector()!.sipDisplay('sip:Bob@Example.com;transport=tls')).toBe('Bob@example.com');
    const engine = loadPhoneEngine(sources);
    answer(await respond(metadata));
    expect(await engine).toBe(true);
    expect(fetchResource).toHaveBeenCalledTimes(1);
    expect(detector()!.detect('Call 415-555-0101', 'US')!.map((found) => found.dial)).toEqual(['+14155550101']);
  });

  it('fetches the metadata and imports the module in parallel when both are needed, then installs both', async () => {
    const { loadPhoneEngine, loadDetector, hasPhoneEngine, detector, phoneEngine, engineModule, PHONE_METADATA_PATH } = await freshModules();
    const fetchResource = vi.fn(() => respond(metadata));
    const importModule = vi.fn(() => Promise.resolve(engineModule));
    const sources = { resourceUrl, fetchResource, importModule };
    expect(await Promise.all([loadPhoneEngine(sources), loadPhoneEngine(sources), loadDetector(sources)])).toEqual([true, true, true]);
    expect(fetchResource).toHaveBeenCalledTimes(1);
    expect(fetchResource).toHaveBeenCalledWith(resourceUrl(PHONE_METADATA_PATH));
    expect(importModule).toHaveBeenCalledTimes(1);
    expect(hasPhoneEngine()).toBe(true);
    expect(phoneEngine().validateDigits('4155550101', false, 'US')?.number).toBe('+14155550101');
    expect(detector()!.detect('Call 415-555-0101', 'US')!.map((found) => found.dial)).toEqual(['+14155550101']);
    expect(await loadPhoneEngine(sources)).toBe(true);
    expect(fetchResource).toHaveBeenCalledTimes(1);
  });

  it('tries a failed or malformed metadata response again after a pause, and installs the good one', async () => {
    vi.useFakeTimers();
    try {
      const { loadPhoneEngine, hasPhoneEngine, engineModule } = await freshModules();
      const answers = [respond({ not: 'metadata' }), Promise.reject(new TypeError('Failed to fetch')), respond(metadata)];
      answers.forEach((answer) => answer.catch(() => undefined));
      const fetchResource = vi.fn(() => answers.shift()!);
      const sources = { resourceUrl, fetchResource, importModule: vi.fn(() => Promise.resolve(engineModule)) };
      let outcome: boolean | undefined;
      void loadPhoneEngine(sources).then((loaded) => (outcome = loaded));
      await vi.advanceTimersByTimeAsync(499);
      expect(fetchResource).toHaveBeenCalledTimes(1); // no hammering: the second try waits
      await vi.advanceTimersByTimeAsync(1);
      expect(fetchResource).toHaveBeenCalledTimes(2);
      expect(outcome).toBeUndefined(); // one answer, at the end, not one per failed try
      await vi.advanceTimersByTimeAsync(1000);
      expect(fetchResource).toHaveBeenCalledTimes(3);
      expect(outcome).toBe(true);
      expect(hasPhoneEngine()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers false for good after three failed metadata tries, and keeps the detector from the module', async () => {
    vi.useFakeTimers();
    try {
      const { loadPhoneEngine, hasPhoneEngine, detector, engineModule } = await freshModules();
      const answers = [respond({}, false), respond({ not: 'metadata' }), Promise.reject(new TypeError('Failed to fetch')), respond(metadata)];
      answers.forEach((answer) => answer.catch(() => undefined));
      const fetchResource = vi.fn(() => answers.shift()!);
      const sources = { resourceUrl, fetchResource, importModule: vi.fn(() => Promise.resolve(engineModule)) };
      const first = loadPhoneEngine(sources);
      await vi.advanceTimersByTimeAsync(1500);
      expect(await first).toBe(false);
      expect(await loadPhoneEngine(sources)).toBe(false);
      await vi.advanceTimersByTimeAsync(5000);
      expect(fetchResource).toHaveBeenCalledTimes(3);
      expect(hasPhoneEngine()).toBe(false);
      expect(detector()).not.toBeNull(); // the module came: SIP addresses need no metadata
    } finally {
      vi.useRealTimers();
    }
  });

  it('installs nothing after three failed imports, and answers false for good to both loads', async () => {
    vi.useFakeTimers();
    try {
      const { loadDetector, loadPhoneEngine, detector, hasPhoneEngine, engineModule } = await freshModules();
      const imports = [Promise.reject(new TypeError('Failed to fetch dynamically imported module')), Promise.reject(new TypeError('again')), Promise.reject(new TypeError('again')), Promise.resolve(engineModule)];
      imports.forEach((attempt) => attempt.catch(() => undefined));
      const importModule = vi.fn(() => imports.shift()!);
      const sources = { resourceUrl, fetchResource: vi.fn(() => respond(metadata)), importModule };
      const loads = Promise.all([loadDetector(sources), loadPhoneEngine(sources)]);
      await vi.advanceTimersByTimeAsync(1500);
      expect(await loads).toEqual([false, false]);
      expect(await loadDetector(sources)).toBe(false);
      await vi.advanceTimersByTimeAsync(5000);
      expect(importModule).toHaveBeenCalledTimes(3);
      expect(detector()).toBeNull();
      expect(hasPhoneEngine()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
