import { describe, expect, it } from 'vitest';
import { deviceChoices } from './devices';
import { levelFromRms, rms } from './level';
import { normalizeSite, withSite } from './sites';

describe('normalizeSite', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM ', 'example.com'],
    ['https://www.example.com/contact?x=1', 'www.example.com'],
    ['*.example.com', 'example.com'],
    ['example.com.', 'example.com'],
    ['localhost:8080', 'localhost'],
    ['bücher.de', 'xn--bcher-kva.de'],
  ])('%s → %s', (input, expected) => expect(normalizeSite(input)).toBe(expected));

  it.each(['', '   ', 'not a site', 'http://', 'a_b.example'])('refuses %j', (input) => expect(normalizeSite(input)).toBeUndefined());

  it('adds a site once, sorted', () => {
    expect(withSite(['b.example'], 'a.example')).toEqual(['a.example', 'b.example']);
    expect(withSite(['a.example'], 'a.example')).toEqual(['a.example']);
  });
});

describe('level meter', () => {
  it('is 0 for silence and 1 at full scale, linear in dB', () => {
    expect(levelFromRms(rms(new Float32Array(128)))).toBe(0);
    expect(levelFromRms(rms(new Float32Array(128).fill(1)))).toBe(1);
    expect(levelFromRms(0.001)).toBeCloseTo(0, 5); // -60 dBFS
    expect(levelFromRms(0.0316)).toBeCloseTo(0.5, 2); // -30 dBFS
    expect(rms([])).toBe(0);
  });
});

describe('deviceChoices', () => {
  const devices = [
    { deviceId: 'default', kind: 'audioinput', label: 'Default - Mic A' },
    { deviceId: 'communications', kind: 'audioinput', label: 'Communications - Mic A' },
    { deviceId: 'a', kind: 'audioinput', label: 'Mic A' },
    { deviceId: 'b', kind: 'audioinput', label: '' },
    { deviceId: 'x', kind: 'audiooutput', label: 'Speakers' },
  ];
  const name = (n: number) => `Microphone ${n}`;

  it('lists the real devices of a kind and names unlabelled ones', () => {
    expect(deviceChoices(devices, 'audioinput', '', name, 'missing')).toEqual([
      { deviceId: 'a', label: 'Mic A' },
      { deviceId: 'b', label: 'Microphone 2' },
    ]);
    expect(deviceChoices(devices, 'audiooutput', 'x', name, 'missing')).toEqual([{ deviceId: 'x', label: 'Speakers' }]);
  });

  it('keeps a chosen device that is not connected', () => {
    expect(deviceChoices(devices, 'audiooutput', 'gone', name, 'Not connected')).toContainEqual({ deviceId: 'gone', label: 'Not connected' });
  });
});
