import { describe, expect, it } from 'vitest';
import { inflateRawSync } from 'node:zlib';
import { buildZip, crc32, dosDateTime } from './zip.ts';

/** A minimal reader (central directory → local headers), independent of the writer's code paths. */
function readZip(zip: Buffer): { name: string; data: Buffer; mode: number; date: number; time: number; method: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const time = zip.readUInt16LE(at + 12);
    const date = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    out.push({ name, data, mode, date, time, method });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

describe('reproducible zip', () => {
  it('computes the zip CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('writes the same bytes for the same files in any order, sorted, with fixed dates and modes', () => {
    const files = [
      { name: 'popup/index.html', data: Buffer.from('<!doctype html><title>x</title>'.repeat(20)) },
      { name: 'manifest.json', data: Buffer.from('{"manifest_version":3}') },
      { name: '_locales/en/messages.json', data: Buffer.from('{}') },
      { name: 'icons/ä.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    ];
    const first = buildZip(files);
    const second = buildZip([...files].reverse());
    expect(first.equals(second)).toBe(true);
    const entries = readZip(first);
    expect(entries.map((entry) => entry.name)).toEqual(['_locales/en/messages.json', 'icons/ä.png', 'manifest.json', 'popup/index.html']);
    for (const entry of entries) {
      expect(entry.mode).toBe(0o100644);
      expect(entry).toMatchObject({ date: (1 << 5) | 1, time: 0 });
      expect(entry.data.equals(files.find((file) => file.name === entry.name)?.data ?? Buffer.alloc(0))).toBe(true);
    }
    expect(entries.find((entry) => entry.name === 'popup/index.html')?.method).toBe(8);
    expect(entries.find((entry) => entry.name === 'icons/ä.png')?.method).toBe(0); // deflate would not shrink it
  });

  it('honours SOURCE_DATE_EPOCH-style timestamps and refuses unsafe names', () => {
    expect(dosDateTime(Date.UTC(2025, 10, 24, 13, 45, 31) / 1000)).toEqual({ date: (45 << 9) | (11 << 5) | 24, time: (13 << 11) | (45 << 5) | 15 });
    expect(dosDateTime(0)).toEqual(dosDateTime(undefined));
    expect(() => buildZip([{ name: '../evil', data: Buffer.alloc(1) }])).toThrow(/unsafe/);
    expect(() => buildZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }])).toThrow(/duplicate/);
  });
});
