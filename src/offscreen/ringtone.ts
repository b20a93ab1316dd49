/**
 * A ringtone generated with WebAudio (no bundled file, no licence question): the North American
 * ring cadence, two seconds of 440 + 480 Hz then four seconds of silence, until told to stop.
 */
import { isRingingIncoming, type CallView } from '../shared/state';
export interface Ringtone {
  start(): void;
  stop(): void;
  readonly playing: boolean;
  /** Plays on the chosen output device where the browser supports AudioContext.setSinkId. */
  setOutputDevice(deviceId: string): Promise<void>;
}

const RING_SECONDS = 2;
const CYCLE_SECONDS = 6;
const CYCLES_SCHEDULED = 20;

export function createRingtone(): Ringtone {
  let audio: AudioContext | undefined;
  let gain: GainNode | undefined;
  let sources: OscillatorNode[] = [];
  let sinkId = '';
  /** Set between start() and stop(): the cadence is scheduled again when a batch of cycles runs out. */
  let wanted = false;

  function context(): AudioContext {
    if (!audio) {
      audio = new AudioContext();
      if (sinkId) void (audio as AudioContext & { setSinkId?: (id: string) => Promise<void> }).setSinkId?.(sinkId).catch(() => undefined);
    }
    return audio;
  }

  function silence(): void {
    for (const source of sources) {
      source.onended = null;
      source.stop();
      source.disconnect();
    }
    sources = [];
    gain?.disconnect();
    gain = undefined;
  }

  function schedule(): void {
    const ctx = context();
    void ctx.resume();
    const output = ctx.createGain();
    gain = output;
    output.gain.value = 0;
    output.connect(ctx.destination);
    const begin = ctx.currentTime + 0.05;
    for (let cycle = 0; cycle < CYCLES_SCHEDULED; cycle++) {
      const on = begin + cycle * CYCLE_SECONDS;
      output.gain.setValueAtTime(0.2, on);
      output.gain.setValueAtTime(0, on + RING_SECONDS);
    }
    sources = [440, 480].map((frequency) => {
      const oscillator = ctx.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(output);
      oscillator.start(begin);
      oscillator.stop(begin + CYCLES_SCHEDULED * CYCLE_SECONDS);
      oscillator.onended = () => {
        sources = sources.filter((source) => source !== oscillator);
        // A call may ring longer than the scheduled cycles: keep ringing until stop().
        if (sources.length === 0 && wanted) {
          silence();
          schedule();
        }
      };
      return oscillator;
    });
  }

  return {
    /** True only while the cadence is scheduled on a running AudioContext, i.e. the user can hear it. */
    get playing() {
      return sources.length > 0 && audio?.state === 'running';
    },
    start() {
      wanted = true;
      if (sources.length > 0) return;
      schedule();
    },
    stop() {
      wanted = false;
      silence();
    },
    async setOutputDevice(deviceId) {
      sinkId = deviceId;
      const ctx = audio as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | undefined;
      await ctx?.setSinkId?.(deviceId);
    },
  };
}

/** Ring while any incoming call waits for an answer, and only if the user wants a ringtone. */
export function shouldRing(calls: CallView[], enabled: boolean): boolean {
  return enabled && calls.some(isRingingIncoming);
}
