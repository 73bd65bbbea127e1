// Matching a request path to a route: the same routes under both prefixes
// Chronos serves (/v1/scheduler and /scheduler), `:name` segments decoded,
// and the difference between an unknown path (404) and a known path asked
// with the wrong method (405 with Allow).
import type { ChronosService } from '../service/chronos-service.js';
import type { Reply } from './http-io.js';

/** The API's path prefixes, both served (Chronos answers on both). */
export const API_PREFIXES = ['/v1/scheduler', '/scheduler'] as const;

/** What a handler gets. */
export interface RouteContext {
  readonly service: ChronosService;
  /** The request method (HEAD arrives as GET). */
  readonly method: string;
  /** The decoded `:name` segments of the pattern. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, for routes with `body: true`. */
  readonly body: unknown;
}

/** One endpoint: methods, a pattern relative to the prefix (`job/:name`), and its handler. */
export interface Route {
  readonly methods: readonly string[];
  readonly pattern: string;
  /** Whether the route reads a JSON body. */
  readonly body?: boolean;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

/** The outcome of matching a path. */
export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'not-api' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-method'; readonly allow: readonly string[] }
  | { readonly kind: 'bad-name'; readonly segment: string };

function apiRest(path: string): string | undefined {
  for (const prefix of API_PREFIXES) {
    if (path === prefix) return '';
    if (path.startsWith(`${prefix}/`)) return path.slice(prefix.length + 1);
  }
  return undefined;
}

type SegmentsMatch =
  | { readonly kind: 'no' }
  | { readonly kind: 'bad'; readonly segment: string }
  | { readonly kind: 'ok'; readonly params: Record<string, string> };

function matchSegments(pattern: string, segments: readonly string[]): SegmentsMatch {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return { kind: 'no' };
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return { kind: 'no' };
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return { kind: 'bad', segment };
      }
    } else if (part !== segment) return { kind: 'no' };
  }
  return { kind: 'ok', params };
}

/** Finds the route for `method` and `path` (the URL's pathname, trailing slashes removed). */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const rest = apiRest(path);
  if (rest === undefined) return { kind: 'not-api' };
  const segments = rest.split('/');
  const wanted = method === 'HEAD' ? 'GET' : method;
  const allow = new Set<string>();
  for (const route of routes) {
    const match = matchSegments(route.pattern, segments);
    if (match.kind === 'no') continue;
    if (match.kind === 'bad') return { kind: 'bad-name', segment: match.segment };
    if (route.methods.includes(wanted)) return { kind: 'route', route, params: match.params };
    for (const m of route.methods) allow.add(m);
  }
  if (allow.size === 0) return { kind: 'not-found' };
  if (allow.has('GET')) allow.add('HEAD');
  return { kind: 'bad-method', allow: [...allow].sort() };
}
