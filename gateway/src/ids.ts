import { randomBytes } from 'node:crypto';

/** A random URL-safe identifier (base64url of `bytes` random bytes). */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

let counter = 0;

/** A process-unique, roughly ordered identifier, e.g. for notification ids. */
export function uniqueId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${randomBytes(3).toString('hex')}`;
}
