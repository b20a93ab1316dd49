/** First run and updates: the onboarding page on install; on update, no password is left without consent. */
import type { Runtime } from '../shared/extension-api';
import type { HubContext } from './hub';
import { writeSettings } from './storage';

export const ONBOARDING_PAGE = 'onboarding/index.html';

export async function handleInstalled(details: Pick<Runtime.OnInstalledDetailsType, 'reason'>, context: HubContext): Promise<void> {
  if (details.reason === 'install') {
    await context.openExtensionPage(ONBOARDING_PAGE);
  } else if (details.reason === 'update') {
    // Earlier versions stored the password unasked; rewriting the settings drops it unless the user agreed.
    await writeSettings(context.browser, {});
  }
}
