// @vitest-environment jsdom
import { afterAll, describe, expect, it } from 'vitest';
import { detect, installDetector, installPhoneEngine } from './detect';
import { uninstallPhoneEngineForTests } from './detect/engine';
import { bundledPhoneEngine } from './detect/with-metadata';
import { createDetector } from './phone-engine';
import { MarkStore, type Mark } from './marks';
import { Scanner } from './scanner';

function setUp(html: string) {
  document.body.innerHTML = html;
  const found = new Map<Text, Mark[]>();
  const marks = new MarkStore<Text, Element, AbstractRange>({
    ownerOf: (node) => node.parentElement,
    makeRange: () => ({}) as AbstractRange,
    paint: () => undefined,
    unpaint: () => undefined,
    watch: () => undefined,
    unwatch: () => undefined,
    isConnected: (node) => node.isConnected,
  });
  const record = marks.record.bind(marks);
  marks.record = (node: Text, list: Mark[], text: string) => {
    found.set(node, list);
    record(node, list, text);
  };
  const requests: string[] = [];
  const scanner = new Scanner({
    doc: document,
    country: 'US',
    own: new Set(),
    marks,
    onShadowRoot: () => undefined,
    needEngine: (part) => requests.push(part),
    now: () => performance.now(),
  });
  const dials = () => [...found.values()].flat().map((mark) => mark.dial);
  return { scanner, dials, store: marks, marks: () => [...found.values()].flat(), requests: () => requests.filter((part) => part === 'metadata').length, parts: () => new Set(requests) };
}

/** The detector and the metadata, as the content script has them once both are loaded. */
function installEngine(): void {
  installDetector(createDetector());
  installPhoneEngine(bundledPhoneEngine);
}

describe('Scanner and the lazily loaded phone metadata', () => {
  uninstallPhoneEngineForTests();
  afterAll(() => installEngine());

  it('never asks for any of the engine on a page without candidates', () => {
    const { scanner, parts } = setUp('<p>Opening hours 9:00–17:00</p><p>Since 1998</p><p>Mail <a href="mailto:a@example.com">us</a></p>');
    scanner.enqueueDocument();
    expect(scanner.work(Infinity)).toBe(false);
    expect(parts()).toEqual(new Set());
    expect(scanner.waitingForEngine).toBe(false);
  });

  it('asks only for the detector for dates, prices and SIP addresses', () => {
    const { scanner, parts, marks } = setUp('<p>Updated 12/03/2024 for $1,299.00</p><p>write to sip:desk@example.com</p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    expect(parts()).toEqual(new Set(['detector']));
    expect(scanner.waitingForEngine).toBe(true);
    installDetector(createDetector());
    expect(scanner.waitingForEngine).toBe(false);
    while (scanner.work(Infinity));
    expect(parts()).toEqual(new Set(['detector']));
    expect(marks().map((mark) => [mark.dial, mark.display])).toEqual([['sip:desk@example.com', 'desk@example.com']]);
  });

  it('sets candidates aside and walks on, asks for the detector, then the metadata, then detects them in page order', () => {
    uninstallPhoneEngineForTests();
    const { scanner, dials, parts } = setUp('<p>intro</p><p>Call 415-555-0101</p><ul><li>(415) 555-0102</li></ul><p>and 415 555 0103</p>');
    scanner.enqueueDocument();
    expect(scanner.work(Infinity)).toBe(false);
    expect(scanner.waitingForEngine).toBe(true);
    expect(parts()).toEqual(new Set(['detector']));
    expect(scanner.work(Infinity)).toBe(false); // nothing to do without it
    installDetector(createDetector());
    expect(scanner.waitingForEngine).toBe(false);
    scanner.work(Infinity);
    expect(parts()).toEqual(new Set(['detector', 'metadata']));
    expect(scanner.waitingForEngine).toBe(true);
    expect(dials()).toEqual([]);
    installPhoneEngine(bundledPhoneEngine);
    expect(scanner.waitingForEngine).toBe(false);
    scanner.work(Infinity);
    expect(dials()).toEqual(['+14155550101', '+14155550102', '+14155550103']);
  });

  it('works through the set-aside text in slices when the deadline is short', () => {
    uninstallPhoneEngineForTests();
    const rows = Array.from({ length: 200 }, (_, i) => `<p>Call 415-555-${String(1000 + i)}</p>`).join('');
    const { scanner, dials } = setUp(rows);
    scanner.enqueueDocument();
    scanner.work(Infinity);
    installEngine();
    let slices = 0;
    while (scanner.work(performance.now() - 1)) slices++; // every slice is already past its deadline
    expect(slices).toBeGreaterThan(5);
    expect(dials()).toHaveLength(200);
  });

  it('asks for it when the page has a tel: link, even with no number in the text', () => {
    uninstallPhoneEngineForTests();
    const { scanner, requests } = setUp('<p><a href="tel:+14155550101">Call us</a></p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    expect(requests()).toBeGreaterThan(0);
  });

  it('a paused text node removed meanwhile is skipped, the rest is scanned', () => {
    uninstallPhoneEngineForTests();
    const { scanner, dials } = setUp('<p id="gone">Call 415-555-0101</p><p>or 415-555-0102</p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    document.getElementById('gone')!.remove();
    installEngine();
    scanner.work(Infinity);
    expect(dials()).toEqual(['+14155550102']);
  });

  it('detects set-aside text as it was read; a change meanwhile is scanned again and wins', () => {
    uninstallPhoneEngineForTests();
    const { scanner, dials } = setUp('<p id="p">Call 415-555-0101</p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    const text = document.getElementById('p')!.firstChild as Text;
    text.data = 'Call 415-555-0199'; // what the observer reports: the node is queued again
    scanner.enqueue(text);
    installEngine();
    while (scanner.work(Infinity));
    expect(dials()).toEqual(['+14155550199']);
  });

  it('still detects a long set-aside text in pieces, not in one go', () => {
    uninstallPhoneEngineForTests();
    const filler = 'lorem ipsum dolor sit amet '.repeat(1500); // about 40 kB
    const { scanner, dials } = setUp(`<p>Call 415-555-0101 ${filler} or 415-555-0102</p>`);
    scanner.enqueueDocument();
    scanner.work(Infinity);
    installEngine();
    let slices = 0;
    while (scanner.work(performance.now() - 1)) slices++;
    expect(slices).toBeGreaterThan(1);
    expect(dials()).toEqual(['+14155550101', '+14155550102']);
  });

  it('finishes the scan without the metadata once it cannot be loaded: SIP addresses marked, nothing left waiting', () => {
    uninstallPhoneEngineForTests();
    installDetector(createDetector());
    const { scanner, dials, requests } = setUp('<p>Call 415-555-0101</p><p>write to sip:desk@example.com</p><p><a href="tel:+14155550102">or here</a></p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    expect(scanner.waitingForEngine).toBe(true);
    const asked = requests();
    expect(asked).toBeGreaterThan(0);
    scanner.engineUnavailable('metadata');
    expect(scanner.waitingForEngine).toBe(false);
    while (scanner.work(Infinity));
    expect(dials()).toEqual(['sip:desk@example.com']);
    document.body.insertAdjacentHTML('beforeend', '<p>later 415-555-0103</p><p><a href="tel:+14155550104">link</a></p>');
    scanner.enqueue(document.body.lastChild!.previousSibling!);
    scanner.enqueue(document.body.lastChild!);
    while (scanner.work(Infinity));
    expect(scanner.waitingForEngine).toBe(false);
    expect(requests()).toBe(asked); // a lost cause is not asked for again, text by text
  });

  it('finishes the scan with nothing marked once the detector cannot be loaded', () => {
    uninstallPhoneEngineForTests();
    const { scanner, dials, parts } = setUp('<p>Call 415-555-0101</p><p>write to sip:desk@example.com</p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    expect(parts()).toEqual(new Set(['detector']));
    scanner.engineUnavailable('detector');
    expect(scanner.waitingForEngine).toBe(false);
    while (scanner.work(Infinity));
    document.body.insertAdjacentHTML('beforeend', '<p>later 415-555-0103</p>');
    scanner.enqueue(document.body.lastChild!);
    while (scanner.work(Infinity));
    expect(scanner.waitingForEngine).toBe(false);
    expect(dials()).toEqual([]);
    expect(parts()).toEqual(new Set(['detector']));
  });

  it('skips numbers inside SVG and MathML in an HTML document, in the walk and for added nodes', () => {
    installEngine();
    const { scanner, dials } = setUp(
      '<p>415-555-0101</p><svg><text>415-555-0102</text><foreignObject><p>415-555-0103</p></foreignObject></svg><math><mi>415-555-0104</mi></math>',
    );
    scanner.enqueueDocument();
    while (scanner.work(Infinity));
    expect(dials()).toEqual(['+14155550101']);
    const added = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    added.textContent = '415-555-0105';
    document.querySelector('svg')!.append(added);
    scanner.enqueue(added);
    while (scanner.work(Infinity));
    expect(dials()).toEqual(['+14155550101']);
  });

  it('forgets the number of a text that changed to something short', () => {
    installEngine();
    const { scanner, marks, store } = setUp('<p id="p">415-555-0101</p>');
    scanner.enqueueDocument();
    while (scanner.work(Infinity));
    expect(marks()).toHaveLength(1);
    const text = document.getElementById('p')!.firstChild as Text;
    expect(store.marksOf(text)).toHaveLength(1);
    text.data = 'n/a';
    scanner.enqueue(text);
    while (scanner.work(Infinity));
    expect(store.marksOf(text)).toHaveLength(0);
    expect(store.size).toBe(0);
  });

  it('keeps four fields per number and formats the display only when it is read', () => {
    installEngine();
    const { scanner, marks } = setUp('<p>Call +1 415-555-0101 x 204 or sip:Alice@Example.com;transport=tls</p>');
    scanner.enqueueDocument();
    scanner.work(Infinity);
    const found = marks();
    expect(found.map((mark) => [mark.dial, mark.display])).toEqual([
      ['+14155550101;ext=204', '+1 415 555 0101 ext. 204'],
      ['sip:Alice@example.com;transport=tls', 'Alice@example.com'],
    ]);
    // the same as the detector's own display strings
    const text = document.body.textContent!;
    expect(found.map((mark) => mark.display)).toEqual(detect(text, { defaultCountry: 'US' }).map((detection) => detection.display));
    expect(Object.keys(found[0]!).sort()).toEqual(['dial', 'end', 'kind', 'start']);
  });
});
