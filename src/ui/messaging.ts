/** How extension pages (popup, options, permission page) talk to the background hub. */
import { browser } from '../shared/extension-api';
import type { CallIntent, Reply, UiToBackground } from '../shared/messages';

type Request = UiToBackground extends infer M ? (M extends { target: 'background' } ? Omit<M, 'target'> : never) : never;

const ATTEMPTS = 3;

/** Retries when the worker was stopped mid-delivery; intents carry an id so a retry never acts twice. */
export async function ask<T = unknown>(request: Request): Promise<Reply<T>> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const reply = (await browser.runtime.sendMessage({ target: 'background', ...request })) as Reply<T> | undefined;
      if (reply) return reply;
      lastError = new Error('No answer from the extension.');
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 150 * (attempt + 1)));
  }
  return { ok: false, error: lastError instanceof Error ? lastError.message : String(lastError) };
}

export function sendIntent(intent: CallIntent): Promise<Reply<unknown>> {
  return ask({ type: 'ui/intent', intentId: crypto.randomUUID(), intent });
}
