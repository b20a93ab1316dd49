/** The gateway's self-signed TLS certificate: generated on first start, cached in certDir (gitignored). */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Logger } from './log.ts';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** base64(sha256(SubjectPublicKeyInfo)), for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
  /** SHA-256 fingerprint of the certificate, as browsers show it. */
  fingerprint256: string;
  validTo: Date;
  file: string;
}

/** Key and certificate live in ONE file, so concurrent starts never pair a key with another process's certificate. */
const FILE_NAME = 'tls.pem';
const VALIDITY_DAYS = 365;
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

function spkiHashOf(cert: X509Certificate): string {
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

function pemBlocks(pem: string, label: string): string {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return (pem.match(pattern) ?? []).join('\n');
}

/** Returns material for a usable cached certificate, or a reason why it is not usable. */
function readCached(file: string): TlsMaterial | string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    return 'no cached certificate';
  }
  try {
    const key = pemBlocks(pem, 'PRIVATE KEY');
    const certPem = pemBlocks(pem, 'CERTIFICATE');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(key))) return 'key does not match certificate';
    const validTo = new Date(cert.validTo);
    if (validTo.getTime() - Date.now() < RENEW_BEFORE_MS) return 'certificate expires soon';
    if (!cert.checkIP('127.0.0.1') || !cert.checkHost('localhost')) return 'certificate does not cover 127.0.0.1 and localhost';
    return { key, cert: certPem, spkiHash: spkiHashOf(cert), fingerprint256: cert.fingerprint256, validTo, file };
  } catch (error) {
    return `unreadable certificate (${(error as Error).message})`;
  }
}

async function create(file: string): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'Kandy local gateway (127.0.0.1)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${pems.private.trim()}\n${pems.cert.trim()}\n`, { mode: 0o600 });
  renameSync(temp, file);
  const cert = new X509Certificate(pems.cert);
  return { key: pems.private, cert: pems.cert, spkiHash: spkiHashOf(cert), fingerprint256: cert.fingerprint256, validTo: new Date(cert.validTo), file };
}

export async function loadOrCreateCertificate(certDir: string, log: Logger): Promise<TlsMaterial> {
  mkdirSync(certDir, { recursive: true, mode: 0o700 });
  const file = join(certDir, FILE_NAME);
  const cached = readCached(file);
  if (typeof cached !== 'string') return cached;
  log.info('tls.certificate.generate', { file, reason: cached });
  return create(file);
}
