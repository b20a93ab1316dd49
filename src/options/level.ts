/** The microphone level meter's arithmetic: samples in, a 0…1 level out (a -60…0 dBFS scale). */

export const FLOOR_DB = -60;

/** Root mean square of one block of samples (-1…1). */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index] ?? 0;
    sum += sample * sample;
  }
  return Math.sqrt(sum / samples.length);
}

/** 0 at or below -60 dBFS, 1 at full scale, linear in decibels in between (as level meters show it). */
export function levelFromRms(value: number): number {
  if (!(value > 0)) return 0;
  const db = 20 * Math.log10(value);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}
