/**
 * Loads libphonenumber-js's metadata into the content script the first time a page needs it
 * (see detect/metadata.ts for why it is not bundled). The file is web-accessible only through
 * the per-session dynamic URL (`use_dynamic_url`), so pages cannot probe for the extension with
 * it, and the fetch does not show in the page's resource timing.
 */
import { hasPhoneMetadata, installPhoneMetadata, looksLikePhoneMetadata } from './detect';

export const PHONE_METADATA_PATH = 'content/phone-metadata.json';

/** A page that keeps needing it gets a few tries, not a fetch per mutation. */
const MAX_ATTEMPTS = 3;
let loading: Promise<boolean> | undefined;
let attempts = 0;

/** Resolves true once the metadata is installed; false if it cannot be (extension gone, bad file). */
export function loadPhoneMetadata(resourceUrl: (path: string) => string, fetchResource: typeof fetch = fetch): Promise<boolean> {
  if (hasPhoneMetadata()) return Promise.resolve(true);
  if (!loading && attempts >= MAX_ATTEMPTS) return Promise.resolve(false);
  loading ??= (async () => {
    attempts++;
    try {
      const response = await fetchResource(resourceUrl(PHONE_METADATA_PATH));
      if (!response.ok) return false;
      const json: unknown = await response.json();
      if (!looksLikePhoneMetadata(json)) return false;
      installPhoneMetadata(json);
      return true;
    } catch {
      return false;
    }
  })();
  const attempt = loading;
  // a failed attempt (e.g. the extension was reloaded mid-fetch) may be retried by a later need
  void attempt.then((ok) => {
    if (!ok && loading === attempt) loading = undefined;
  });
  return attempt;
}
