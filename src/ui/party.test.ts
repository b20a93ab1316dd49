import { describe, expect, it, vi } from 'vitest';
import { partyLabel, partyText, readableAddress } from './party';

vi.mock('./i18n', () => import('../test/english-i18n'));

const format = (number: string) => (number === '+14155550101' ? '(415) 555-0101' : undefined);

describe('party labels', () => {
  it('reads numbers and addresses out of SIP and tel URIs', () => {
    expect(readableAddress('sip:+14155550101@kandy.example')).toEqual({ number: '+14155550101', text: '+14155550101' });
    expect(readableAddress('sip:bob@kandy.example')).toEqual({ text: 'bob@kandy.example' });
    expect(readableAddress('tel:+1-415-555-0101;ext=2')).toEqual({ number: '+14155550101', text: '+1-415-555-0101' });
  });

  it('shows the name first and the formatted number under it', () => {
    expect(partyLabel('sip:+14155550101@kandy.example', 'Bob Demo', format)).toEqual({ primary: 'Bob Demo', secondary: '(415) 555-0101' });
    expect(partyLabel('sip:+14155550101@kandy.example', undefined, format)).toEqual({ primary: '(415) 555-0101' });
    expect(partyLabel('sip:+14155550101@kandy.example')).toEqual({ primary: '+14155550101' });
    expect(partyText('sip:alice@kandy.example', 'Alice Demo')).toBe('Alice Demo, alice@kandy.example');
    expect(partyLabel('', undefined)).toEqual({ primary: 'Unknown' });
  });
});
