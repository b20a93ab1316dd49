import { describe, expect, it } from 'vitest';
import { displayParty, formatDuration } from './format';

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours only when needed', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61_500)).toBe('1:01');
    expect(formatDuration(3_726_000)).toBe('1:02:06');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('displayParty', () => {
  it('prefers the name and strips URI schemes', () => {
    expect(displayParty('sip:bob@kandy.example', 'Bob')).toBe('Bob');
    expect(displayParty('sip:bob@kandy.example')).toBe('bob@kandy.example');
    expect(displayParty('')).toBe('Unknown');
  });
});
