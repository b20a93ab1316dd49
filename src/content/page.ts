/**
 * Click to call on web pages: the ES module the content script (index.ts) imports in every frame.
 *
 * It asks the background for this page's config, and while enabled runs a Session (scan, mark,
 * offer a call button). The page can never start a call by itself, read what was found, or learn
 * anything about calls: the only message this script sends is `content/call` with a number the
 * user clicked, and it receives nothing but config and "what is selected?".
 *
 * `chrome.*` is used directly rather than through webextension-polyfill: Chrome's MV3 API returns
 * promises, and every byte here is loaded in every frame of every page.
 *
 * It starts only with an extension's runtime at hand: a page that imported this file itself
 * (it would need the per-session URL) has no `chrome.runtime.id` in its own world.
 */
import type { ContentConfig, Reply } from '../shared/messages';
import { isContentConfig, MAX_SELECTION_CHARS, readBackgroundMessage, type SelectionReply } from './protocol';
import { Session } from './session';
import type { CallTarget } from './links';
import { loadDetector, loadPhoneEngine } from './phone-metadata';

const CONFIG_ATTEMPTS = 3;
/** A frame without focus answers "what is selected?" a little later, so the focused frame wins. */
const UNFOCUSED_SELECTION_DELAY_MS = 150;

type Runtime = typeof chrome.runtime;
type MessageListener = Parameters<Runtime['onMessage']['addListener']>[0];

class ClickToCall {
  private session: Session | undefined;
  /** Bumped by each config push, so a slow get-config reply cannot override a newer push. */
  private configVersion = 0;
  private dead = false;
  private readonly listener: MessageListener;

  constructor(
    private readonly runtime: Runtime,
    private readonly doc: Document,
  ) {
    this.listener = (message, sender, sendResponse) => this.onMessage(message, sender, sendResponse);
  }

  start(): void {
    if (!this.alive()) return;
    this.runtime.onMessage.addListener(this.listener);
    void this.requestConfig();
  }

  alive(): boolean {
    if (this.dead) return false;
    try {
      return typeof this.runtime.id === 'string' && this.runtime.id.length > 0;
    } catch {
      return false;
    }
  }

  /** The extension was updated or removed: leave the page as we found it. */
  teardown(): void {
    if (this.dead) return;
    this.dead = true;
    this.session?.destroy();
    this.session = undefined;
    try {
      this.runtime.onMessage.removeListener(this.listener);
    } catch {
      // the API itself may be gone with the old extension context
    }
  }

  private async requestConfig(): Promise<void> {
    const version = this.configVersion;
    for (let attempt = 1; attempt <= CONFIG_ATTEMPTS && this.alive(); attempt++) {
      try {
        const reply = (await this.runtime.sendMessage({ target: 'background', type: 'content/get-config' })) as Reply<unknown> | undefined;
        if (version !== this.configVersion) return;
        if (reply?.ok && isContentConfig(reply.value)) this.apply(reply.value);
        return;
      } catch {
        if (!this.alive()) {
          this.teardown();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  private apply(config: ContentConfig): void {
    if (this.dead) return;
    if (!config.enabled) {
      this.session?.destroy();
      this.session = undefined;
      return;
    }
    if (this.session && this.session.country === config.defaultCountry) {
      this.session.setLinkMode(config.linkMode);
      return;
    }
    this.session?.destroy();
    this.session = new Session(this.doc, config, {
      startCall: (target) => this.startCall(target),
      alive: () => this.alive(),
      onDead: () => this.teardown(),
      loadEngine: (part) => {
        const sources = { resourceUrl: (path: string) => this.runtime.getURL(path) };
        return part === 'detector' ? loadDetector(sources) : loadPhoneEngine(sources);
      },
    });
    this.session.start();
  }

  private async startCall(target: CallTarget): Promise<string | undefined> {
    if (!this.alive()) {
      this.teardown();
      return 'Click to call was updated or removed: reload the page.';
    }
    try {
      const reply = (await this.runtime.sendMessage({ target: 'background', type: 'content/call', destination: target.dial })) as Reply<unknown> | undefined;
      if (reply?.ok) return undefined;
      return reply && !reply.ok ? reply.error : 'The extension did not answer.';
    } catch {
      if (!this.alive()) this.teardown();
      return 'The extension did not answer.';
    }
  }

  private onMessage(message: unknown, sender: chrome.runtime.MessageSender, sendResponse: (response: SelectionReply) => void): boolean {
    try {
      const request = readBackgroundMessage(message, sender, this.alive() ? this.runtime.id : undefined);
      if (!request) return false;
      if (request.type === 'bg/content-config') {
        this.configVersion++;
        if (!request.config.enabled || request.siteChecked) this.apply(request.config);
        else void this.requestConfig(); // on globally; whether this site is on only the background can say
        return false;
      }
      const selection = this.selectedText();
      if (!selection) return false; // another frame may have it
      if (this.doc.hasFocus()) {
        sendResponse({ selection });
        return false;
      }
      setTimeout(() => sendResponse({ selection }), UNFOCUSED_SELECTION_DELAY_MS);
      return true;
    } catch {
      return false;
    }
  }

  /** The user's selection in this frame, including inside a text field. */
  private selectedText(): string {
    const active = this.doc.activeElement;
    let text = '';
    if (active && (active.localName === 'input' || active.localName === 'textarea')) {
      const field = active as HTMLInputElement | HTMLTextAreaElement;
      try {
        if (field.type !== 'password' && field.selectionStart !== null && field.selectionEnd !== null) {
          text = field.value.slice(field.selectionStart, field.selectionEnd);
        }
      } catch {
        text = '';
      }
    }
    if (!text) text = this.doc.defaultView?.getSelection()?.toString() ?? '';
    text = text.trim();
    return text.length > MAX_SELECTION_CHARS ? '' : text;
  }
}

try {
  if (typeof chrome === 'object' && chrome?.runtime?.id) new ClickToCall(chrome.runtime, document).start();
} catch {
  // Never let an exception escape into the page.
}
