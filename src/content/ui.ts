/**
 * The extension's only visible parts on a page: one floating call button and, on the keyboard
 * shortcut, a small list of the page's numbers. Each lives in a *closed* shadow root on its own
 * host element, so page scripts cannot reach the buttons, read the numbers or restyle them.
 * Every handler ignores events the page made up (`isTrusted`), and no page text is ever parsed
 * as HTML: labels are set with textContent.
 */
import type { CallTarget } from './links';

/** Host ids: a stable hook for tests and for users' own style blockers; they carry no data. */
export const BUTTON_HOST_ID = 'kandy-click-to-call';
export const LIST_HOST_ID = 'kandy-click-to-call-list';

export const BUTTON_SIZE = 28;
/** A click on a button that appeared less than this long ago is ignored (no click-jacking by popping it under the cursor). */
export const MIN_VISIBLE_MS = 350;
const HIDE_DELAY_MS = 400;
const GAP = 4;

/** Returns undefined when the call was accepted, else a short reason to show. */
export type StartCall = (target: CallTarget) => Promise<string | undefined>;

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where the button goes: right after the number, else before it; always inside the viewport. */
export function placeButton(anchor: Rect, viewport: { width: number; height: number }, size = BUTTON_SIZE): { left: number; top: number } {
  let left = anchor.right + GAP;
  if (left + size > viewport.width) left = anchor.left - GAP - size;
  left = Math.max(0, Math.min(left, viewport.width - size));
  let top = (anchor.top + anchor.bottom) / 2 - size / 2;
  top = Math.max(0, Math.min(top, viewport.height - size));
  return { left: Math.round(left), top: Math.round(top) };
}

const HOST_STYLE =
  'all: initial !important; position: fixed !important; z-index: 2147483647 !important; margin: 0 !important; padding: 0 !important;' +
  ' border: 0 !important; background: transparent !important; overflow: visible !important; inset: auto !important;' +
  ' pointer-events: none !important; contain: layout style !important; color-scheme: light dark !important;';

function setBox(host: HTMLElement, left: number, top: number, width: number, height: number): void {
  host.style.setProperty('left', `${left}px`, 'important');
  host.style.setProperty('top', `${top}px`, 'important');
  host.style.setProperty('width', `${width}px`, 'important');
  host.style.setProperty('height', `${height}px`, 'important');
}

function createHost(doc: Document, id: string): { host: HTMLDivElement; root: ShadowRoot } {
  const host = doc.createElement('div');
  host.id = id;
  host.setAttribute('style', HOST_STYLE);
  // The top layer keeps the UI above page content whatever its z-indexes or transforms.
  if (typeof host.showPopover === 'function') host.setAttribute('popover', 'manual');
  const root = host.attachShadow({ mode: 'closed' });
  return { host, root };
}

function attach(doc: Document, host: HTMLElement): void {
  const parent = doc.documentElement;
  if (host.parentNode !== parent) parent.appendChild(host);
  host.style.setProperty('display', 'block', 'important');
  if (host.hasAttribute('popover')) {
    try {
      if (host.matches(':popover-open')) host.hidePopover();
      host.showPopover(); // re-entering the top layer puts it above anything opened since
    } catch {
      // a page that broke popovers still gets the fixed-position fallback
    }
  }
}

function detach(host: HTMLElement): void {
  if (host.hasAttribute('popover')) {
    try {
      if (host.matches(':popover-open')) host.hidePopover();
    } catch {
      // ignore
    }
  }
  host.style.setProperty('display', 'none', 'important');
}

function phoneIcon(doc: Document): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = doc.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
  );
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

const BUTTON_CSS = `
:host { all: initial; }
button {
  all: initial; box-sizing: border-box; pointer-events: auto; cursor: pointer;
  width: ${BUTTON_SIZE}px; height: ${BUTTON_SIZE}px; border-radius: 50%;
  display: flex; align-items: center; justify-content: center;
  background: #137333; color: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.35);
  transition: transform .08s ease-out;
}
button:hover { background: #0d652d; transform: scale(1.06); }
button:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
button[aria-busy="true"] { cursor: progress; opacity: .8; }
svg { width: 16px; height: 16px; }
.tip {
  position: absolute; left: 0; top: ${BUTTON_SIZE + 6}px; white-space: nowrap; pointer-events: none;
  font: 500 12px/1.3 system-ui, sans-serif; color: #fff; background: #202124; border-radius: 4px;
  padding: 4px 8px; box-shadow: 0 1px 3px rgba(0,0,0,.3); visibility: hidden;
}
.tip.shown, button:hover + .tip, button:focus-visible + .tip { visibility: visible; }
.tip.error { background: #a50e0e; }
@media (prefers-reduced-motion: reduce) { button { transition: none; } }
`;

export class FloatingButton {
  private host: HTMLDivElement | undefined;
  private button: HTMLButtonElement | undefined;
  private tip: HTMLSpanElement | undefined;
  private target: CallTarget | undefined;
  private shownAt = 0;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  private pointerInside = false;
  private busy = false;
  private listeners = new AbortController();

  constructor(
    private readonly doc: Document,
    private readonly startCall: StartCall,
    private readonly own: Set<Element>,
  ) {}

  get visible(): boolean {
    return this.target !== undefined;
  }

  /** True while the pointer is over the button itself. */
  get hovered(): boolean {
    return this.pointerInside;
  }

  /** Shows the button next to `anchor` (viewport coordinates) for `target`. */
  show(target: CallTarget, anchor: Rect): void {
    this.cancelHide();
    if (this.busy) return;
    const { host, button, tip } = this.ensure();
    const view = this.doc.defaultView;
    const { left, top } = placeButton(anchor, { width: view?.innerWidth ?? 1024, height: view?.innerHeight ?? 768 });
    setBox(host, left, top, BUTTON_SIZE, BUTTON_SIZE);
    const hidden = !this.target || !host.isConnected || host.style.getPropertyValue('display') === 'none';
    if (hidden || this.target?.dial !== target.dial) {
      this.shownAt = performance.now();
      button.setAttribute('aria-label', `Call ${target.display}`);
      tip.textContent = `Call ${target.display}`;
      tip.className = 'tip';
      tip.setAttribute('role', 'tooltip');
    }
    this.target = target;
    if (hidden) attach(this.doc, host); // only when it was off screen: re-showing on every move would flicker
  }

  hideSoon(delayMs = HIDE_DELAY_MS): void {
    if (!this.target || this.hideTimer !== undefined || this.pointerInside || this.busy) return;
    this.hideTimer = setTimeout(() => {
      this.hideTimer = undefined;
      if (!this.pointerInside && !this.busy) this.hide();
    }, delayMs);
  }

  hide(): void {
    this.cancelHide();
    this.target = undefined;
    this.pointerInside = false;
    if (this.host) detach(this.host);
  }

  destroy(): void {
    this.hide();
    this.listeners.abort();
    if (this.host) {
      this.own.delete(this.host);
      this.host.remove();
    }
    this.host = undefined;
  }

  private cancelHide(): void {
    if (this.hideTimer !== undefined) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
  }

  private ensure(): { host: HTMLDivElement; button: HTMLButtonElement; tip: HTMLSpanElement } {
    if (this.host && this.button && this.tip) return { host: this.host, button: this.button, tip: this.tip };
    const { host, root } = createHost(this.doc, BUTTON_HOST_ID);
    const style = this.doc.createElement('style');
    style.textContent = BUTTON_CSS;
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.append(phoneIcon(this.doc));
    const tip = this.doc.createElement('span');
    tip.className = 'tip';
    tip.setAttribute('aria-live', 'polite');
    root.append(style, button, tip);
    const signal = this.listeners.signal;
    button.addEventListener('pointerenter', (event) => {
      if (!event.isTrusted) return;
      this.pointerInside = true;
      this.cancelHide();
    }, { signal });
    button.addEventListener('pointerleave', (event) => {
      if (!event.isTrusted) return;
      this.pointerInside = false;
      this.hideSoon();
    }, { signal });
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (!event.isTrusted) return;
      void this.activate();
    }, { signal });
    // Clicks on our button are ours: the page does not see them as clicks on its content.
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick', 'contextmenu'] as const) {
      button.addEventListener(type, (event) => event.stopPropagation(), { signal });
    }
    this.host = host;
    this.button = button;
    this.tip = tip;
    this.own.add(host);
    return { host, button, tip };
  }

  private async activate(): Promise<void> {
    const target = this.target;
    const button = this.button;
    const tip = this.tip;
    if (!target || !button || !tip || this.busy) return;
    if (performance.now() - this.shownAt < MIN_VISIBLE_MS) return;
    this.busy = true;
    button.setAttribute('aria-busy', 'true');
    tip.className = 'tip shown';
    tip.textContent = `Calling ${target.display}…`;
    let error: string | undefined;
    try {
      error = await this.startCall(target);
    } catch {
      error = 'The call could not be started.';
    }
    this.busy = false;
    button.removeAttribute('aria-busy');
    tip.className = error ? 'tip shown error' : 'tip shown';
    tip.textContent = error ?? `Calling ${target.display}`;
    this.hideSoon(error ? 3000 : 1500);
  }
}

const LIST_CSS = `
:host { all: initial; }
.panel {
  pointer-events: auto; box-sizing: border-box; width: 100%; max-height: 70vh; overflow: auto;
  font: 14px/1.4 system-ui, sans-serif; color: #202124; background: #fff; border-radius: 8px;
  box-shadow: 0 4px 16px rgba(0,0,0,.3); padding: 12px;
}
h2 { font: 600 14px/1.4 system-ui, sans-serif; margin: 0 0 8px; }
ul { list-style: none; margin: 0; padding: 0; }
li { margin: 0; }
button {
  all: initial; box-sizing: border-box; display: flex; gap: 8px; justify-content: space-between; width: 100%;
  font: 14px/1.4 system-ui, sans-serif; color: inherit; padding: 6px 8px; border-radius: 4px; cursor: pointer;
}
button:hover, button:focus-visible { background: #e8f0fe; }
button:focus-visible { outline: 2px solid #1a73e8; outline-offset: -2px; }
.kind { color: #5f6368; font-size: 12px; }
.empty { color: #5f6368; margin: 0 0 8px; }
.close { justify-content: center; margin-top: 8px; color: #1a73e8; }
.status { color: #a50e0e; font-size: 12px; min-height: 1em; margin: 6px 0 0; }
@media (prefers-color-scheme: dark) {
  .panel { background: #292a2d; color: #e8eaed; }
  button:hover, button:focus-visible { background: #3c4043; }
  .kind, .empty { color: #9aa0a6; }
}
`;

export interface ListEntry extends CallTarget {
  kind: 'phone' | 'sip' | 'link';
}

/** The keyboard way in: a dialog listing the page's numbers, each a button (Enter calls, Esc closes). */
export class NumberList {
  private host: HTMLDivElement | undefined;
  private root: ShadowRoot | undefined;
  private returnFocus: Element | null = null;
  private listeners = new AbortController();
  private openNow = false;

  constructor(
    private readonly doc: Document,
    private readonly startCall: StartCall,
    private readonly own: Set<Element>,
  ) {}

  get isOpen(): boolean {
    return this.openNow;
  }

  open(entries: readonly ListEntry[]): void {
    const { host, root } = this.ensure();
    this.returnFocus = this.doc.activeElement;
    root.replaceChildren();
    const style = this.doc.createElement('style');
    style.textContent = LIST_CSS;
    const panel = this.doc.createElement('div');
    panel.className = 'panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-labelledby', 'title');
    const title = this.doc.createElement('h2');
    title.id = 'title';
    title.textContent = entries.length ? 'Call a number on this page' : 'No numbers on this page';
    panel.append(title);
    const buttons: HTMLButtonElement[] = [];
    if (entries.length) {
      const list = this.doc.createElement('ul');
      list.setAttribute('aria-label', 'Numbers on this page');
      for (const entry of entries) {
        const item = this.doc.createElement('li');
        const button = this.doc.createElement('button');
        button.type = 'button';
        const label = this.doc.createElement('span');
        label.textContent = entry.display;
        const kind = this.doc.createElement('span');
        kind.className = 'kind';
        kind.textContent = entry.kind === 'sip' ? 'SIP' : entry.kind === 'link' ? 'link' : 'phone';
        button.append(label, kind);
        button.setAttribute('aria-label', `Call ${entry.display}`);
        button.addEventListener('click', (event) => {
          event.preventDefault();
          if (!event.isTrusted) return;
          void this.call(entry, status);
        }, { signal: this.listeners.signal });
        item.append(button);
        list.append(item);
        buttons.push(button);
      }
      panel.append(list);
    } else {
      const empty = this.doc.createElement('p');
      empty.className = 'empty';
      empty.textContent = 'No phone numbers or SIP addresses were found here.';
      panel.append(empty);
    }
    const status = this.doc.createElement('p');
    status.className = 'status';
    status.setAttribute('role', 'status');
    const close = this.doc.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.textContent = 'Close (Esc)';
    close.addEventListener('click', (event) => {
      if (event.isTrusted) this.close();
    }, { signal: this.listeners.signal });
    buttons.push(close);
    panel.append(status, close);
    root.append(style, panel);

    const view = this.doc.defaultView;
    const width = Math.min(360, (view?.innerWidth ?? 400) - 32);
    setBox(host, Math.max(0, (view?.innerWidth ?? 400) - width - 16), 16, width, 0);
    host.style.setProperty('height', 'auto', 'important');
    attach(this.doc, host);
    this.openNow = true;
    buttons[0]?.focus();
  }

  /** Closes the list; focus goes back where it was unless the user already moved it elsewhere. */
  close(restoreFocus = true): void {
    if (!this.openNow) return;
    this.openNow = false;
    if (this.host) detach(this.host);
    this.root?.replaceChildren();
    const back = this.returnFocus as HTMLElement | null;
    this.returnFocus = null;
    if (restoreFocus && back && back.isConnected && typeof back.focus === 'function') back.focus({ preventScroll: true });
  }

  destroy(): void {
    this.close();
    this.listeners.abort();
    if (this.host) {
      this.own.delete(this.host);
      this.host.remove();
    }
    this.host = undefined;
  }

  private async call(entry: ListEntry, status: HTMLElement): Promise<void> {
    status.textContent = `Calling ${entry.display}…`;
    let error: string | undefined;
    try {
      error = await this.startCall(entry);
    } catch {
      error = 'The call could not be started.';
    }
    if (error) status.textContent = error;
    else this.close();
  }

  private ensure(): { host: HTMLDivElement; root: ShadowRoot } {
    if (this.host && this.root) return { host: this.host, root: this.root };
    const { host, root } = createHost(this.doc, LIST_HOST_ID);
    const signal = this.listeners.signal;
    root.addEventListener('keydown', (event) => {
      const key = event as KeyboardEvent;
      if (!key.isTrusted) return;
      key.stopPropagation(); // the page's shortcuts do not fire while the user is in our list
      if (key.key === 'Escape') {
        key.preventDefault();
        this.close();
        return;
      }
      if (key.key === 'ArrowDown' || key.key === 'ArrowUp' || key.key === 'Home' || key.key === 'End') {
        const buttons = [...root.querySelectorAll('button')];
        if (!buttons.length) return;
        key.preventDefault();
        const index = buttons.indexOf(root.activeElement as HTMLButtonElement);
        let next = 0;
        if (key.key === 'ArrowDown') next = index < 0 ? 0 : (index + 1) % buttons.length;
        else if (key.key === 'ArrowUp') next = index <= 0 ? buttons.length - 1 : index - 1;
        else if (key.key === 'End') next = buttons.length - 1;
        buttons[next]?.focus();
      }
    }, { signal });
    root.addEventListener('focusout', (event) => {
      const focus = event as FocusEvent;
      if (!focus.isTrusted) return;
      // Leaving the list for the page closes it; moving between its buttons does not.
      const next = focus.relatedTarget as Node | null;
      if (next && root.contains(next)) return;
      setTimeout(() => {
        if (this.openNow && !root.activeElement) this.close(false);
      }, 0);
    }, { signal });
    this.host = host;
    this.root = root;
    this.own.add(host);
    return { host, root };
  }
}
