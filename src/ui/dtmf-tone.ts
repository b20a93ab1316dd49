/**
 * Local feedback for keypad presses: the key's two DTMF frequencies for a moment, through WebAudio.
 * The tones the other side hears are sent by the phone (RFC 4733 through the SDK); this is only
 * what the user hears in the popup.
 */
const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477, 1633];
const LAYOUT = ['123A', '456B', '789C', '*0#D'];

export function dtmfFrequencies(key: string): [number, number] | undefined {
  const row = LAYOUT.findIndex((keys) => keys.includes(key));
  if (row < 0) return undefined;
  const column = LAYOUT[row]!.indexOf(key);
  return [ROWS[row]!, COLUMNS[column]!];
}

let context: AudioContext | undefined;

/** Plays `key`'s tone for `ms`; returns false where there is no audio (tests, locked-down pages). */
export function playDtmf(key: string, ms = 120): boolean {
  const frequencies = dtmfFrequencies(key);
  if (!frequencies || typeof AudioContext === 'undefined') return false;
  try {
    context ??= new AudioContext();
    void context.resume();
    const start = context.currentTime;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0.08, start);
    gain.gain.setValueAtTime(0, start + ms / 1000);
    gain.connect(context.destination);
    for (const frequency of frequencies) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(start);
      oscillator.stop(start + ms / 1000 + 0.02);
    }
    return true;
  } catch {
    return false;
  }
}
