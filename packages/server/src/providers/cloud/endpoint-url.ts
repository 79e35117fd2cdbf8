/**
 * Builds a vendor endpoint from a configured base URL (`*_BASE_URL`). Bases are written both ways in
 * the wild — `https://api.deepgram.com` and the OpenAI SDK's `https://api.openai.com/v1` — so a
 * trailing `/v1` (and slashes) on the base is dropped before the `/v1/…` path is appended; a path
 * prefix before it (a proxy's `/openai`) is kept.
 */
export function endpointUrl(base: string, path: string, query: Record<string, string | number | boolean | readonly string[] | undefined> = {}): URL {
  const trimmed = base.replace(/\/+$/, '').replace(/\/v1$/, '');
  const url = new URL(trimmed + path);
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) url.searchParams.append(k, item);
    else url.searchParams.set(k, String(v));
  }
  return url;
}

/** The same URL with the WebSocket scheme (`https:` → `wss:`, `http:` → `ws:`). */
export function webSocketUrl(url: URL): string {
  const u = new URL(url);
  if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol === 'http:') u.protocol = 'ws:';
  return u.toString();
}
