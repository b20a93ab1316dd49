/**
 * The user directory (gateway/users.json or an inline list) and callee routing: turning whatever the
 * caller dialled (user name, SIP/tel URI, phone number in any common notation) into a user.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export const DEFAULT_DOMAIN = 'kandy.example';
export const DEFAULT_CLIENT_IDS = ['kandy-click-to-call-demo'];

const userInputSchema = z.object({
  username: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{0,63}$/i, 'a user name starts with a letter and holds letters, digits, ".", "_" or "-"'),
  password: z.string().min(1),
  number: z.string().min(3),
  displayName: z.string().min(1).optional(),
});

export type UserInput = z.input<typeof userInputSchema>;

const fileSchema = z.object({
  domain: z.string().min(1).optional(),
  domainAliases: z.array(z.string().min(1)).optional(),
  defaultRegion: z.string().length(2).optional(),
  clients: z.array(z.string().min(1)).min(1).optional(),
  users: z.array(userInputSchema).min(1),
});

export interface UserRecord {
  username: string;
  password: string;
  /** E.164, e.g. +14155550100. */
  number: string;
  /** sip:alice@kandy.example */
  sipAddress: string;
  /** alice@kandy.example (the id token's services-identity claim). */
  identity: string;
  displayName: string;
  /** Played by the gateway itself (the echo line): routable, but nobody can sign in as it. */
  service?: boolean;
}

export interface DirectoryConfig {
  domain: string;
  domainAliases: string[];
  defaultRegion: CountryCode;
  clients: string[];
  users: UserRecord[];
}

export interface DirectorySource {
  usersFile?: string;
  users?: UserInput[];
  clientIds?: string[];
  domain?: string;
  defaultRegion?: string;
  /** Users the gateway plays itself (the echo line), added after the file's users. */
  services?: UserInput[];
}

/** What a dialled address means, before looking anyone up. */
export type ParsedAddress =
  | { kind: 'number'; e164: string; raw: string }
  | { kind: 'name'; name: string; domain?: string; raw: string }
  | { kind: 'invalid'; raw: string; reason: string };

export type ResolveResult = { user: UserRecord; parsed: ParsedAddress } | { user?: undefined; parsed: ParsedAddress; reason: string };

const MAX_ADDRESS_LENGTH = 512;
const PHONE_CHARS = /^[+\d\s().\-/]+$/;

function toRegion(value: string | undefined, fallback: CountryCode): CountryCode {
  const upper = value?.toUpperCase();
  if (upper === undefined) return fallback;
  if (!isSupportedCountry(upper)) throw new Error(`Unknown default region "${value}" (expected an ISO 3166 code such as US)`);
  return upper;
}

export function normalizeNumber(text: string, region: CountryCode): string | undefined {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 17) return undefined;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region });
  return parsed?.isPossible() ? parsed.number : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Splits a dialled address into a phone number or a user name (+ domain). Accepted:
 * `bob`, `Bob`, `bob@kandy.example`, `sip:bob@kandy.example;transport=ws`, `"Bob" <sip:bob@kandy.example>`,
 * `tel:+1-415-555-0101`, `+1 415 555 0101`, `(415) 555-0101`, `sip:(415) 555-0101@kandy.example`,
 * `sip:4155550101@kandy.example;user=phone`.
 */
export function parseAddress(input: string, region: CountryCode): ParsedAddress {
  const raw = input;
  let text = input.trim();
  if (text.length === 0) return { kind: 'invalid', raw, reason: 'empty address' };
  if (text.length > MAX_ADDRESS_LENGTH) return { kind: 'invalid', raw, reason: 'address too long' };

  const bracketed = /<([^>]*)>/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1].trim();

  const scheme = /^(sips?|tel|callto):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme) text = text.slice(scheme.length + 1).replace(/^\/\//, '');

  let userPart = text;
  let domain: string | undefined;
  if (scheme === 'tel') {
    userPart = text.split(';')[0] ?? '';
  } else {
    text = text.split('?')[0] ?? '';
    const at = text.lastIndexOf('@');
    if (at >= 0) {
      userPart = text.slice(0, at);
      const hostPart = text.slice(at + 1).split(';')[0] ?? '';
      domain = hostPart.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:\d+$/, '').toLowerCase();
    } else {
      userPart = text.split(';')[0] ?? '';
    }
    userPart = userPart.split(';')[0] ?? '';
  }
  userPart = safeDecode(userPart).trim();
  if (userPart.length === 0) return { kind: 'invalid', raw, reason: 'no user part' };

  if (PHONE_CHARS.test(userPart)) {
    const e164 = normalizeNumber(userPart, region);
    if (e164) return { kind: 'number', e164, raw };
    return { kind: 'invalid', raw, reason: 'not a possible phone number' };
  }
  return domain === undefined ? { kind: 'name', name: userPart.toLowerCase(), raw } : { kind: 'name', name: userPart.toLowerCase(), domain, raw };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class Directory {
  private readonly byName = new Map<string, UserRecord>();
  private readonly byNumber = new Map<string, UserRecord>();
  private readonly domains: Set<string>;

  constructor(readonly config: DirectoryConfig) {
    this.domains = new Set([config.domain, ...config.domainAliases].map((d) => d.toLowerCase()));
    for (const user of config.users) {
      const key = user.username.toLowerCase();
      if (this.byName.has(key)) throw new Error(`Duplicate user name "${user.username}" in the user directory`);
      if (this.byNumber.has(user.number)) throw new Error(`Duplicate number ${user.number} in the user directory`);
      this.byName.set(key, user);
      this.byNumber.set(user.number, user);
    }
  }

  /** Loads users.json (or the inline list). Throws a readable Error on invalid input. */
  static load(source: DirectorySource): Directory {
    let file: z.infer<typeof fileSchema> = { users: source.users ?? [] };
    if (!source.users) {
      if (!source.usersFile) throw new Error('Either usersFile or users must be given');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(source.usersFile, 'utf8'));
      } catch (error) {
        throw new Error(`Cannot read the user directory ${source.usersFile}: ${(error as Error).message}`);
      }
      const result = fileSchema.safeParse(json);
      if (!result.success) throw new Error(`Invalid user directory ${source.usersFile}: ${z.prettifyError(result.error)}`);
      file = result.data;
    } else {
      const result = z.array(userInputSchema).min(1).safeParse(source.users);
      if (!result.success) throw new Error(`Invalid inline users: ${z.prettifyError(result.error)}`);
    }
    const domain = (source.domain ?? file.domain ?? DEFAULT_DOMAIN).toLowerCase();
    const defaultRegion = toRegion(source.defaultRegion ?? file.defaultRegion, 'US');
    const toRecord = (input: UserInput, service: boolean): UserRecord => {
      const number = normalizeNumber(input.number, defaultRegion);
      if (!number) throw new Error(`User ${input.username}: "${input.number}" is not a possible phone number`);
      const username = input.username;
      return {
        username,
        password: input.password,
        number,
        sipAddress: `sip:${username}@${domain}`,
        identity: `${username}@${domain}`,
        displayName: input.displayName ?? username,
        ...(service ? { service: true } : {}),
      };
    };
    const users = [...file.users.map((input) => toRecord(input, false)), ...(source.services ?? []).map((input) => toRecord(input, true))];
    return new Directory({
      domain,
      domainAliases: file.domainAliases ?? ['localhost', '127.0.0.1'],
      defaultRegion,
      clients: source.clientIds ?? file.clients ?? DEFAULT_CLIENT_IDS,
      users,
    });
  }

  get domain(): string {
    return this.config.domain;
  }

  users(): UserRecord[] {
    return [...this.config.users];
  }

  isClientAllowed(clientId: string): boolean {
    return this.config.clients.includes(clientId);
  }

  byUsername(username: string): UserRecord | undefined {
    return this.byName.get(username.toLowerCase());
  }

  /** Checks a password in constant time; unknown users cost the same as wrong passwords. */
  authenticate(username: string, password: string): UserRecord | undefined {
    const user = this.byUsername(username);
    const ok = timingSafeEqual(digest(password), digest(user?.password ?? `\u0000no-such-user\u0000${password}`));
    return user && ok && !user.service ? user : undefined;
  }

  isOurDomain(domain: string): boolean {
    return this.domains.has(domain.toLowerCase());
  }

  /** Routing: a phone number is looked up by E.164, anything else by user name (SIP domain must be ours). */
  resolve(address: string): ResolveResult {
    const parsed = parseAddress(address, this.config.defaultRegion);
    if (parsed.kind === 'invalid') return { parsed, reason: parsed.reason };
    if (parsed.kind === 'number') {
      const user = this.byNumber.get(parsed.e164);
      return user ? { user, parsed } : { parsed, reason: `no user has number ${parsed.e164}` };
    }
    if (parsed.domain !== undefined && !this.isOurDomain(parsed.domain)) {
      return { parsed, reason: `domain ${parsed.domain} is not served by this gateway` };
    }
    const user = this.byName.get(parsed.name);
    return user ? { user, parsed } : { parsed, reason: `no user named ${parsed.name}` };
  }
}
