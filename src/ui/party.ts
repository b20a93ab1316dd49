/** How a call's other party is shown: the name when there is one, else a readable number or address. */
import { t } from './i18n';

export type NumberFormatter = (number: string) => string | undefined;

export interface PartyLabel {
  /** The main line: a name, a formatted number or user@host. */
  primary: string;
  /** The number or address under a name, when it adds something. */
  secondary?: string;
}

/** `sip:+14155550101@kandy.example` → `+14155550101`; `sip:bob@kandy.example` → `bob@kandy.example`. */
export function readableAddress(address: string): { number?: string; text: string } {
  const bare = address.trim().replace(/^(sips?|tel):/i, '').replace(/;.*$/, '');
  const [user = '', host] = bare.split('@');
  if (/^\+?\d[\d\-.() ]{2,}$/.test(user)) return { number: user.replace(/[^\d+]/g, ''), text: user };
  return { text: host ? `${user}@${host}` : user };
}

export function partyLabel(address: string, name?: string, formatNumber?: NumberFormatter): PartyLabel {
  const readable = readableAddress(address);
  const shown = (readable.number && formatNumber?.(readable.number)) || readable.text;
  if (name && name !== shown) return shown ? { primary: name, secondary: shown } : { primary: name };
  return { primary: shown || t('partyUnknown') };
}

/** One line for places with little room (and for screen readers): "Bob Demo, (415) 555-0101". */
export function partyText(address: string, name?: string, formatNumber?: NumberFormatter): string {
  const label = partyLabel(address, name, formatNumber);
  return label.secondary ? `${label.primary}, ${label.secondary}` : label.primary;
}
