/**
 * A ringtone generated with WebAudio (no bundled file, no licence question): the North American
 * ring cadence, two seconds of 440 + 480 Hz then four seconds of silence, until told to stop.
 */
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

  function context(): AudioContext {
    if (!audio) {
      audio = new AudioContext();
      if (sinkId) void (audio as AudioContext & { setSinkId?: (id: string) => Promise<void> }).setSinkId?.(sinkId).catch(() => undefined);
    }
    return audio;
  }

  return {
    get playing() {
      return sources.length > 0;
    },
    start() {
      if (sources.length > 0) return;
      const ctx = context();
      void ctx.resume();
      gain = ctx.createGain();
      gain.gain.value = 0;
      gain.connect(ctx.destination);
      const begin = ctx.currentTime + 0.05;
      for (let cycle = 0; cycle < CYCLES_SCHEDULED; cycle++) {
        const on = begin + cycle * CYCLE_SECONDS;
        gain.gain.setValueAtTime(0.2, on);
        gain.gain.setValueAtTime(0, on + RING_SECONDS);
      }
      sources = [440, 480].map((frequency) => {
        const oscillator = ctx.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(gain as GainNode);
        oscillator.start(begin);
        oscillator.stop(begin + CYCLES_SCHEDULED * CYCLE_SECONDS);
        oscillator.onended = () => {
          sources = sources.filter((source) => source !== oscillator);
        };
        return oscillator;
      });
    },
    stop() {
      for (const source of sources) {
        source.onended = null;
        source.stop();
        source.disconnect();
      }
      sources = [];
      gain?.disconnect();
      gain = undefined;
    },
    async setOutputDevice(deviceId) {
      sinkId = deviceId;
      const ctx = audio as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | undefined;
      await ctx?.setSinkId?.(deviceId);
    },
  };
}

/** Ring while any incoming call waits for an answer, and only if the user wants a ringtone. */
export function shouldRing(calls: { direction: string; phase: string; answeredAt?: number }[], enabled: boolean): boolean {
  return enabled && calls.some((call) => call.direction === 'incoming' && call.phase !== 'ended' && call.answeredAt === undefined);
}
