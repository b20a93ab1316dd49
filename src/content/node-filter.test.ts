import { describe, expect, it } from 'vitest';
import { isSkipped, mayContainCallable, mayHostShadowRoot, type ElementFacts } from './node-filter';
import { detect } from './detect/with-metadata';
import { LOCALES, generateCorpus, generatePage } from './detect/corpus';

const HTML = 'http://www.w3.org/1999/xhtml';

function element(localName: string, attributes: Record<string, string> = {}, namespaceURI: string | null = HTML): ElementFacts {
  return {
    localName,
    namespaceURI,
    hasAttributes: () => Object.keys(attributes).length > 0,
    getAttribute: (name) => attributes[name] ?? null,
  };
}

describe('node filter', () => {
  it('scans ordinary content elements', () => {
    for (const name of ['p', 'td', 'span', 'div', 'li', 'a', 'address', 'button', 'pre']) expect(isSkipped(element(name)), name).toBe(false);
    expect(isSkipped(element('a', { href: 'https://example.com/contact' }))).toBe(false);
    expect(isSkipped(element('div', { class: 'contact-card', role: 'region', contenteditable: 'false' }))).toBe(false);
  });

  it('skips code, styles, form fields and embedded content', () => {
    for (const name of ['script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'code', 'kbd', 'time', 'iframe', 'canvas']) {
      expect(isSkipped(element(name)), name).toBe(true);
    }
  });

  it('skips SVG and MathML by namespace', () => {
    expect(isSkipped(element('text', {}, 'http://www.w3.org/2000/svg'))).toBe(true);
    expect(isSkipped(element('mi', {}, 'http://www.w3.org/1998/Math/MathML'))).toBe(true);
    // an HTML document's walk leaves the namespace unasked: <svg> and <math> are skipped by name
    expect(isSkipped(element('svg', {}, 'http://www.w3.org/2000/svg'), 'svg', false)).toBe(true);
    expect(isSkipped(element('math', {}, 'http://www.w3.org/1998/Math/MathML'), 'math', false)).toBe(true);
    const noNamespaceCheck = { ...element('text', {}, 'http://www.w3.org/2000/svg'), get namespaceURI(): string { throw new Error('asked'); } };
    expect(isSkipped(noNamespaceCheck, 'text', false)).toBe(false);
  });

  it('skips editable regions and text widgets', () => {
    expect(isSkipped(element('div', { contenteditable: '' }))).toBe(true);
    expect(isSkipped(element('div', { contenteditable: 'true' }))).toBe(true);
    expect(isSkipped(element('div', { contenteditable: 'plaintext-only' }))).toBe(true);
    expect(isSkipped(element('div', { role: 'textbox' }))).toBe(true);
    expect(isSkipped(element('div', { role: ' Combobox ' }))).toBe(true);
  });

  it('skips code editors by class', () => {
    expect(isSkipped(element('div', { class: 'CodeMirror cm-s-default' }))).toBe(true);
    expect(isSkipped(element('div', { class: 'editor monaco-editor vs' }))).toBe(true);
    expect(isSkipped(element('div', { class: 'cm-editor' }))).toBe(true);
    expect(isSkipped(element('div', { class: 'my-CodeMirrorish' }))).toBe(false);
  });

  it('leaves call links to the link mode', () => {
    for (const href of ['tel:+14155550101', 'TEL:555', ' sip:bob@example.com', 'sips:a@b.example', 'callto:+1415']) {
      expect(isSkipped(element('a', { href })), href).toBe(true);
    }
    expect(isSkipped(element('a', { href: 'mailto:bob@example.com' }))).toBe(false);
  });

  it('prefilters text cheaply', () => {
    expect(mayContainCallable('Call (415) 555-0101')).toBe(true);
    expect(mayContainCallable('Ｔｅｌ：０３－１２３４－５６７８')).toBe(true);
    expect(mayContainCallable('sip:bob@example.com')).toBe(true);
    expect(mayContainCallable('SIPS:bob@example.com')).toBe(true);
    expect(mayContainCallable('Hello, world! No numbers here.')).toBe(false);
    expect(mayContainCallable('12')).toBe(false);
    expect(mayContainCallable('ada.lovelace12345@example.com, 2024')).toBe(false); // nine digits, but no six in one run
    expect(mayContainCallable('ada.lovelace123@example.com')).toBe(false);
    expect(mayContainCallable('Dial tel:911')).toBe(true);
    expect(mayContainCallable('Open 9:00–17:00, Sat 10:00–14:00')).toBe(false);
    expect(mayContainCallable('Now $1,299.00, was $1,499.00')).toBe(false);
    expect(mayContainCallable('Updated 12/03/2024')).toBe(true); // a date: the detector tells
    expect(mayContainCallable('+44 (0)20 7946 0958')).toBe(true);
    expect(mayContainCallable('1 - 800 - 55')).toBe(true);
    expect(mayContainCallable('x'.repeat(100_000) + '12345')).toBe(false);
  });

  it('asks for a shadow root only where the DOM standard allows one', () => {
    for (const name of ['div', 'span', 'p', 'article', 'section', 'h3', 'body', 'my-widget', 'x-a']) expect(mayHostShadowRoot(name), name).toBe(true);
    for (const name of ['td', 'tr', 'li', 'a', 'table', 'em', 'button', 'label']) expect(mayHostShadowRoot(name), name).toBe(false);
  });

  it('lets through every text the detector finds a number or address in', () => {
    const missed: string[] = [];
    let found = 0;
    for (const locale of LOCALES) {
      for (const seed of [1, 2, 3]) {
        for (const sample of generateCorpus(locale, { seed })) {
          if (detect(sample.text, { defaultCountry: locale }).length === 0) continue;
          found++;
          if (!mayContainCallable(sample.text)) missed.push(sample.text);
        }
      }
    }
    // and each number found on a page, on its own (a text holding it holds its run)
    for (const section of generatePage(400_000)) {
      for (const detection of detect(section.text, { defaultCountry: section.locale })) {
        found++;
        if (!mayContainCallable(detection.text)) missed.push(detection.text);
      }
    }
    expect(found).toBeGreaterThan(5000);
    expect(missed).toEqual([]);
  }, 60_000);
});
