// Following the leader: where the feed lives, which masters to try after the
// socket drops, how long to wait between rounds, and where to go. Pure.

/** The feed's path on every master. */
export const FEED_PATH = '/api/v1/feed';

/** `http://h:p` (or with a path) -> `ws://h:p/api/v1/feed`; https -> wss. */
export function feedUrl(httpBase: string): string {
  const url = new URL(httpBase);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = FEED_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** An HTTP base URL without a trailing slash, or '' when it does not parse. */
export function normalizeBase(url: string): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return u.origin;
  } catch {
    return '';
  }
}

/** The masters to try after a drop: this page's origin first, then the others once each. */
export function probeCandidates(origin: string, masters: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of [origin, ...masters]) {
    const base = normalizeBase(m);
    if (base && !out.includes(base)) out.push(base);
  }
  return out;
}

/** Delay before retry round `attempt` (0-based): doubling from `baseMs`, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs = 500, maxMs = 8000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 20)));
}

/**
 * Where to go to reach the leader: its URL with this page's hash, or undefined
 * when the leader is unknown or is this page's own origin.
 */
export function leaderTarget(leaderUrl: string, origin: string, hash: string): string | undefined {
  const leader = normalizeBase(leaderUrl);
  if (!leader || leader === normalizeBase(origin)) return undefined;
  return `${leader}/${hash.startsWith('#') ? hash : hash ? `#${hash}` : ''}`;
}
