/**
 * Messages the background sends to content scripts (with tabs.sendMessage). Defined here rather
 * than in shared/messages.ts because only the content script and background/content-config.ts,
 * context-menu.ts and commands.ts use them. A content script accepts them only from the
 * extension itself (`sender.id` is ours and there is no `sender.tab`: not another content script).
 */
import type { ContentConfig } from '../shared/messages';

export type BackgroundToContent =
  /**
   * Settings changed. With `siteChecked` the config is final for this tab; without it the
   * background could not see the tab's URL, so `enabled: true` only means "on globally" and
   * the content script asks for its own config (content/get-config) before it scans again.
   */
  | { target: 'content'; type: 'bg/content-config'; config: ContentConfig; siteChecked: boolean }
  /** The "call selection" shortcut: which text is selected in this frame? */
  | { target: 'content'; type: 'bg/get-selection' };

/** Reply to bg/get-selection, from the frame that has focus (or any frame with a selection). */
export interface SelectionReply {
  selection: string;
}

export const MAX_SELECTION_CHARS = 300;

const LINK_MODES = new Set(['off', 'offer', 'take-over']);

export function isContentConfig(value: unknown): value is ContentConfig {
  if (typeof value !== 'object' || value === null) return false;
  const config = value as Partial<Record<keyof ContentConfig, unknown>>;
  return (
    typeof config.enabled === 'boolean' &&
    typeof config.defaultCountry === 'string' &&
    /^[A-Z]{2}$/.test(config.defaultCountry) &&
    typeof config.linkMode === 'string' &&
    LINK_MODES.has(config.linkMode)
  );
}

/** Validates a message that claims to come from the background. */
export function readBackgroundMessage(message: unknown, sender: { id?: string; tab?: unknown }, extensionId: string | undefined): BackgroundToContent | undefined {
  if (!extensionId || sender.id !== extensionId || sender.tab !== undefined) return undefined;
  if (typeof message !== 'object' || message === null) return undefined;
  const candidate = message as { target?: unknown; type?: unknown; config?: unknown; siteChecked?: unknown };
  if (candidate.target !== 'content') return undefined;
  if (candidate.type === 'bg/get-selection') return { target: 'content', type: 'bg/get-selection' };
  if (candidate.type === 'bg/content-config' && isContentConfig(candidate.config)) {
    const { enabled, defaultCountry, linkMode } = candidate.config;
    return { target: 'content', type: 'bg/content-config', config: { enabled, defaultCountry, linkMode }, siteChecked: candidate.siteChecked === true };
  }
  return undefined;
}
