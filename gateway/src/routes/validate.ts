/** Small body validators that throw the CPaaS 400 error naming the offending message part. */
import { errors } from '../errors.ts';

export type JsonObject = Record<string, unknown>;

export function objectAt(value: unknown, part: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw errors.invalidInput(part, value === undefined ? 'missing' : 'expected a JSON object');
  }
  return value as JsonObject;
}

/** The top-level wrapper object, e.g. body.wrtcsSession. */
export function wrapper(body: unknown, key: string): JsonObject {
  if (body === undefined) throw errors.invalidInput(key, 'the request body is empty');
  return objectAt(objectAt(body, 'body')[key], key);
}

export function requiredString(object: JsonObject, key: string, part: string, maxLength = 256 * 1024): string {
  const value = object[key];
  if (typeof value !== 'string' || value.trim() === '') throw errors.invalidInput(part, value === undefined ? 'missing' : 'expected a non-empty string');
  if (value.length > maxLength) throw errors.invalidInput(part, `longer than ${maxLength} characters`);
  return value;
}

export function optionalString(object: JsonObject, key: string, part: string, maxLength = 256): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidInput(part, 'expected a string');
  if (value.length > maxLength) throw errors.invalidInput(part, `longer than ${maxLength} characters`);
  return value;
}

export function optionalInteger(object: JsonObject, key: string, part: string, min: number, max: number): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw errors.invalidInput(part, `expected an integer from ${min} to ${max}`);
  }
  return number;
}

/** An SDP must at least look like one. */
export function sdpAt(object: JsonObject, key: string, part: string): string {
  const sdp = requiredString(object, key, part);
  if (!sdp.startsWith('v=0')) throw errors.invalidInput(part, 'not an SDP (must start with "v=0")');
  return sdp;
}
