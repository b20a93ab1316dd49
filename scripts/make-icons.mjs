// Draws the toolbar icons (a white handset on a blue disc) as PNGs, so no image tool is needed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y, size);
      const at = y * (size * 4 + 1) + 1 + x * 4;
      raw[at] = r; raw[at + 1] = g; raw[at + 2] = b; raw[at + 3] = a;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; header[9] = 6; header[10] = 0; header[11] = 0; header[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
/** Coverage of a handset: two rounded ear/mouth pieces joined by a diagonal bar. */
function handset(u, v) {
  const d = (x1, y1, x2, y2) => {
    const dx = x2 - x1, dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((u - x1) * dx + (v - y1) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(u - (x1 + t * dx), v - (y1 + t * dy));
  };
  return d(0.3, 0.28, 0.72, 0.7) < 0.07 || d(0.22, 0.3, 0.36, 0.2) < 0.09 || d(0.64, 0.78, 0.8, 0.64) < 0.09;
}
function pixel(x, y, size) {
  const samples = 4;
  let disc = 0, phone = 0;
  for (let i = 0; i < samples; i++) for (let j = 0; j < samples; j++) {
    const u = (x + (i + 0.5) / samples) / size, v = (y + (j + 0.5) / samples) / size;
    if (Math.hypot(u - 0.5, v - 0.5) <= 0.48) { disc++; if (handset(u, v)) phone++; }
  }
  const n = samples * samples;
  const alpha = Math.round((disc / n) * 255);
  const white = phone / Math.max(1, disc);
  const mix = (from, to) => Math.round(from + (to - from) * white);
  return [mix(11, 255), mix(107, 255), mix(203, 255), alpha];
}
const out = process.argv[2] ?? 'src/public/icons';
mkdirSync(out, { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`${out}/icon-${size}.png`, png(size, pixel));
console.log(`icons written to ${out}`);
