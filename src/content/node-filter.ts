/**
 * Which parts of a page are never scanned for numbers: code and styles, form fields, editors
 * (a highlight or a hover button there would get in the way of typing), graphics, and links
 * the link mode already covers. Pure functions over a small element description, so the rules
 * are unit-tested without a DOM; `skipElement` adapts a real element to them.
 */

/** Elements whose whole subtree is skipped, by local name (HTML namespace). */
export const SKIPPED_TAGS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'input',
  'select',
  'option',
  'optgroup',
  'datalist',
  'code',
  'kbd',
  'samp',
  'var',
  'time',
  'iframe',
  'frame',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'head',
  'title',
  'svg',
  'math',
]);

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** ARIA roles of widgets where the user types or picks: a number there is data, not a link. */
const SKIPPED_ROLES: ReadonlySet<string> = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'code', 'math', 'img']);

/** Class names of the common code and rich-text editors (CodeMirror 5/6, Monaco, Ace, Quill, …). */
const EDITOR_CLASS = /(?:^|\s)(?:CodeMirror|cm-editor|cm-content|monaco-editor|ace_editor|ql-editor|ProseMirror|tox-edit-area|mce-content-body|CodeMirror-code)(?:\s|$)/;

/** Links whose number the link mode handles (offer a button, take over, or leave alone). */
export const CALL_LINK_SCHEME = /^\s*(?:tel|sips?|callto):/i;

/** The parts of an Element the rules read (a real Element satisfies it; tests pass plain objects). */
export interface ElementFacts {
  readonly localName: string;
  readonly namespaceURI: string | null;
  hasAttributes(): boolean;
  getAttribute(name: string): string | null;
}

/**
 * True when nothing inside the element may be scanned. `checkNamespace` may be false while
 * walking an HTML document from its body: the parser puts every element there in the HTML
 * namespace except below <svg> and <math>, which are skipped by name, so the walk saves asking
 * each of its elements (a call into the DOM apiece, 70,000 on a 10,000-row table).
 */
export function isSkipped(element: ElementFacts, name = element.localName, checkNamespace = true): boolean {
  if (SKIPPED_TAGS.has(name)) return true;
  if (checkNamespace && element.namespaceURI !== HTML_NS) return true; // SVG, MathML and unknown XML
  return element.hasAttributes() && skippedByAttributes(element, name); // most elements have none
}

function skippedByAttributes(element: ElementFacts, name: string): boolean {
  const editable = element.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  const role = element.getAttribute('role');
  if (role !== null && SKIPPED_ROLES.has(role.trim().toLowerCase())) return true;
  const className = element.getAttribute('class');
  if (className !== null && EDITOR_CLASS.test(className)) return true;
  if (name === 'a') {
    const href = element.getAttribute('href');
    if (href !== null && CALL_LINK_SCHEME.test(href)) return true;
  }
  return false;
}

/**
 * `isSkipped` for a live element, plus `own`, the extension's UI, which is always skipped. The
 * walk calls this for every element of the page: pass `name` when it was already read.
 */
export function skipElement(element: Element, own: ReadonlySet<Element>, name = element.localName, checkNamespace = true): boolean {
  return isSkipped(element, name, checkNamespace) || (own.size > 0 && own.has(element));
}

/**
 * Only custom elements (a hyphen in the name) and these can have a shadow root (DOM standard,
 * attachShadow), so the walk asks the others for none: a table's cells and rows never.
 */
const SHADOW_HOST_TAGS: ReadonlySet<string> = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);

export function mayHostShadowRoot(localName: string): boolean {
  return SHADOW_HOST_TAGS.has(localName) || localName.includes('-');
}

/**
 * Cheap test that a text could hold a phone number or SIP address: six digits (ASCII or
 * full-width) in one run, that is with at most four spaces, dashes, dots, slashes or
 * parentheses between one and the next (the detector reads nothing shorter as a phone number),
 * or a `sip:`, `sips:` or `tel:` scheme. Anything else is never handed to the detector, and a
 * page with nothing else never loads it: times ("9:00–17:00") and amounts ("1,299.00") do not
 * count. The gap class is wider than the detector's (any white space, every dash): a test checks
 * that every text the detector finds something in passes.
 */
const SIX_DIGITS_IN_A_RUN = /[0-9\uff10-\uff19](?:[\s\-./()\u2010-\u2015\u2212\u30fc\uff08\uff09\uff0d-\uff0f]{0,4}[0-9\uff10-\uff19]){5}/;
const URI_SCHEME = /sips?:|tel:/i;

/** Shorter text holds nothing callable: six digits, or a scheme with something after it. */
export const MIN_CALLABLE_LENGTH = 5;

export function mayContainCallable(text: string): boolean {
  // a scheme needs a colon: looking for one is a native scan much faster than the
  // case-insensitive pattern, and most prose has none
  return text.length >= MIN_CALLABLE_LENGTH && (SIX_DIGITS_IN_A_RUN.test(text) || (text.includes(':') && URI_SCHEME.test(text)));
}
