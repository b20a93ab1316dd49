import { describe, expect, it } from 'vitest';
import { contentEvaluations, type TraceEvent } from './content-evaluation';

const EXT = 'chrome-extension://abc';
const DYNAMIC = 'chrome-extension://d5dc56c2-0000';

function event(name: string, ts: number, dur: number, tdur: number, url?: string, tid = 1, pid = 10): TraceEvent {
  return { name, ph: 'X', pid, tid, ts, dur, tdur, args: url === undefined ? {} : { data: { url } } };
}

describe('contentEvaluations', () => {
  it('adds the loader, the module compile on the main thread and the next module evaluation of each load', () => {
    const events = [
      event('EvaluateScript', 1_000, 2_500, 1_900, `${EXT}/content/index.js`),
      event('v8.parseOnBackground', 1_500, 7_000, 5_300, `${DYNAMIC}/content/page.js`, 7),
      event('v8.compileModule', 9_000, 300, 100, `${EXT}/content/page.js`),
      event('v8.evaluateModule', 9_400, 2_000, 1_400),
      // the phone engine's module: not the content script's
      event('v8.compileModule', 20_000, 200, 200, `${EXT}/content/phone-engine.js`),
      event('v8.evaluateModule', 20_300, 900, 900),
      // a second page load, in another renderer
      event('EvaluateScript', 50_000, 1_000, 800, `${EXT}/content/index.js`, 1, 11),
      event('v8.compileModule', 52_000, 100, 100, `${EXT}/content/page.js`, 1, 11),
      event('v8.evaluateModule', 52_200, 1_000, 700, undefined, 1, 11),
    ];
    const [first, second, ...rest] = contentEvaluations(events);
    expect(rest).toEqual([]);
    expect(first!.wallMs).toBeCloseTo(4.8);
    expect(first!.cpuMs).toBeCloseTo(3.4);
    expect(first!.backgroundCompileCpuMs).toBeCloseTo(5.3);
    expect(first!.moduleEvaluated).toBe(true);
    expect(second!.wallMs).toBeCloseTo(2.1);
    expect(second!.cpuMs).toBeCloseTo(1.6);
    expect(second!.backgroundCompileCpuMs).toBe(0);
  });

  it('marks a load whose module never ran', () => {
    const events = [
      event('EvaluateScript', 1_000, 2_000, 1_000, `${EXT}/content/index.js`),
      event('v8.evaluateModule', 3_000, 900, 900), // no compile of page.js before it: someone else's module
    ];
    const [only] = contentEvaluations(events);
    expect(only!.moduleEvaluated).toBe(false);
    expect(only!.cpuMs).toBeCloseTo(1);
  });

  it('ignores events of other scripts and unfinished (begin/end) events', () => {
    const events = [
      event('EvaluateScript', 1_000, 2_000, 1_000, 'http://127.0.0.1/app.js'),
      { ...event('EvaluateScript', 2_000, 0, 0, `${EXT}/content/index.js`), ph: 'B' },
    ];
    expect(contentEvaluations(events)).toEqual([]);
  });
});
