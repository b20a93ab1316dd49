/**
 * The store zip (`npm run zip`, scripts/zip.ts): two runs give identical bytes, and the zip, unpacked
 * into a temporary directory, is a working extension: alice loads it from there and calls bob (who runs
 * the ordinary dist/ build) through the local gateway; both connect.
 *
 * Run: npm run build && node --import tsx --test e2e/zip.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { startGateway, type Gateway } from '../gateway/src/server.ts';
import { launchProfile } from './support/browser.ts';
import { assertBuilt, launchExtensionUser, waitFor, type AppStateLike, type ExtensionUser } from './support/extension.ts';
import { demoUser } from './support/demo-users.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TEST_TIMEOUT = { timeout: 240_000 };
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

const scratch = mkdtempSync(join(tmpdir(), 'kandy-zip-'));
let gateway: Gateway | undefined;
let bob: ExtensionUser | undefined;
let aliceContext: BrowserContext | undefined;

/** A snapshot of dist/, so a rebuild elsewhere during the test cannot change the input between runs. */
const snapshot = join(scratch, 'dist');

async function zipInto(dir: string): Promise<{ file: string; stdout: string }> {
  const { stdout } = await run('npx', ['tsx', 'scripts/zip.ts', '--dist', snapshot, '--out', dir], { cwd: ROOT, timeout: 120_000 });
  return { file: join(dir, `${pkg.name}-${pkg.version}.zip`), stdout };
}

/** Unpacks a zip (stored or deflated entries) with its own reader: central directory, then local headers. */
function unzip(zip: Buffer, into: string): string[] {
  const endAt = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  assert.ok(endAt >= 0, 'end of central directory');
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    assert.ok(!name.startsWith('/') && !name.split('/').includes('..'), `safe name ${name}`);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const body = zip.subarray(dataAt, dataAt + size);
    const data = method === 8 ? inflateRawSync(body) : method === 0 ? body : assert.fail(`unsupported method ${method}`);
    const target = join(into, ...name.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    names.push(name);
    at += 46 + nameLength + skip;
  }
  return names;
}

before(() => {
  assertBuilt();
  cpSync(resolve(ROOT, 'dist'), snapshot, { recursive: true });
});

after(async () => {
  await aliceContext?.close().catch(() => undefined);
  await bob?.close().catch(() => undefined);
  await gateway?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('store zip', () => {
  let zipFile = '';

  test('two runs give identical bytes, named after the version, with the licence note', TEST_TIMEOUT, async () => {
    const first = await zipInto(join(scratch, 'one'));
    const second = await zipInto(join(scratch, 'two'));
    const a = readFileSync(first.file);
    const b = readFileSync(second.file);
    assert.ok(a.length > 10_000, 'the zip holds the extension');
    assert.ok(a.equals(b), 'identical bytes');
    assert.match(first.stdout, new RegExp(`${pkg.name}-${pkg.version.replaceAll('.', '\\.')}\\.zip`));
    assert.match(first.stdout, /proprietary/);
    assert.match(first.stdout, /Ribbon's permission/);
    zipFile = first.file;
  });

  test('the unpacked zip loads in Chromium and alice calls bob with it', TEST_TIMEOUT, async () => {
    assert.ok(zipFile, 'the first test made the zip');
    const unpacked = join(scratch, 'unpacked');
    const names = unzip(readFileSync(zipFile), unpacked);
    assert.ok(names.includes('manifest.json'), 'manifest.json at the root');
    assert.ok(names.includes('offscreen/index.html'), 'the offscreen document');
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as { version: string; key?: string };
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.key, undefined, 'no test key in a store build');

    gateway = await startGateway({ port: 0, log: 'silent' });
    const port = gateway.port;
    aliceContext = await launchProfile({ extensionDir: unpacked });
    const worker =
      aliceContext.serviceWorkers().find((candidate) => candidate.url().startsWith('chrome-extension://')) ??
      (await aliceContext.waitForEvent('serviceworker', { timeout: 30_000 }));
    const extensionId = new URL(worker.url()).host;
    const popup: Page = await aliceContext.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup/index.html`);
    const send = <T>(message: Record<string, unknown>) => popup.evaluate((body) => chrome.runtime.sendMessage({ target: 'background', ...body }), message) as Promise<T>;
    const aliceState = () => popup.evaluate(async () => (await chrome.storage.session.get('appState')).appState ?? null) as Promise<AppStateLike | null>;
    const alice = demoUser('alice');
    const saved = await send<{ ok: boolean; error?: string }>({
      type: 'ui/save-settings',
      settings: { server: { host: '127.0.0.1', port }, clientId: alice.clientId, username: alice.username, password: alice.password },
    });
    assert.ok(saved.ok, `alice signs in: ${saved.error}`);
    await waitFor(async () => (await aliceState())?.connection.status === 'online', 'alice (unpacked zip) online', 60_000);

    bob = await launchExtensionUser({ ...demoUser('bob'), port });
    await bob.waitForState((state) => state.connection.status === 'online', 'bob online', 60_000);

    await popup.getByLabel('Number or address').fill('bob');
    await popup.getByRole('button', { name: 'Call', exact: true }).click();
    const bobPopup = await bob.openPopup();
    const incoming = bobPopup.getByRole('region', { name: 'Incoming call' });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).and(bobPopup.locator(':enabled')).waitFor({ timeout: 30_000 });
    await incoming.getByRole('button', { name: 'Answer', exact: true }).click();

    await popup.getByRole('region', { name: 'Current call' }).getByText('Connected').waitFor({ timeout: 30_000 });
    await bobPopup.getByRole('region', { name: 'Current call' }).getByText('Connected').waitFor({ timeout: 30_000 });
    const media = await waitFor(async () => {
      const reply = await send<{ ok: boolean; value?: { media: { bytesSent: number; bytesReceived: number }[] } }>({ type: 'ui/diagnostics' });
      const stats = reply.value?.media[0];
      return stats && stats.bytesSent > 1000 && stats.bytesReceived > 1000 ? stats : undefined;
    }, 'audio both ways at alice (unpacked zip)', 30_000);
    assert.ok(media.bytesReceived > 1000);

    await popup.getByRole('region', { name: 'Current call' }).getByRole('button', { name: 'End' }).click();
    await bob.waitForState((state) => !state.calls.some((call) => call.phase !== 'ended'), 'bob’s call ended', 20_000);
  });
});
