/** The per-site exclusion list: what a user types becomes a bare host name (as the content handler compares them). */

/** `https://www.Example.com/contact` → `www.example.com`; `*.example.com` → `example.com`; nonsense → undefined. */
export function normalizeSite(input: string): string | undefined {
  let text = input.trim().toLowerCase();
  if (!text) return undefined;
  text = text.replace(/^\*\./, '');
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return undefined;
  }
  host = host.replace(/\.$/, '');
  if (host.startsWith('[')) return host; // an IPv6 literal
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) || host.length > 253) return undefined;
  return host;
}

/** Adds a site once, keeping the list sorted. */
export function withSite(sites: readonly string[], site: string): string[] {
  return sites.includes(site) ? [...sites] : [...sites, site].sort();
}
