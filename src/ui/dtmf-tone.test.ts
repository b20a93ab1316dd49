import { describe, expect, it } from 'vitest';
import { dtmfFrequencies, playDtmf } from './dtmf-tone';

describe('DTMF feedback', () => {
  it('uses the standard row and column frequencies', () => {
    expect(dtmfFrequencies('1')).toEqual([697, 1209]);
    expect(dtmfFrequencies('5')).toEqual([770, 1336]);
    expect(dtmfFrequencies('#')).toEqual([941, 1477]);
    expect(dtmfFrequencies('D')).toEqual([941, 1633]);
    expect(dtmfFrequencies('x')).toBeUndefined();
  });

  it('does nothing where there is no WebAudio', () => {
    expect(playDtmf('1')).toBe(false);
  });
});
