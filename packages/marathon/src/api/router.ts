// A small table router: each route is a method and a path pattern; ids
// with `/` in them are captured by the pattern (everything up to a known
// suffix). A path some route knows, asked with another method, is a 405.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MarathonService } from '../service/marathon-service.js';
import { HttpError } from './http-error.js';
import { parseJsonBody, type Reply } from './http-io.js';

/** What a handler sees of one request. */
export interface RouteContext {
  readonly service: MarathonService;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The pattern's captured groups, URL-decoded. */
  readonly params: readonly string[];
  /** The raw request body (empty for GET). */
  readonly body: Buffer;
}

/** A handler answers with a Reply, or with undefined when it wrote the response itself (SSE). */
export type Handler = (ctx: RouteContext) => Reply | undefined | Promise<Reply | undefined>;

/** One row of the routing table. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly pattern: RegExp;
  readonly handler: Handler;
}

/** The matched route and its decoded parameters. */
export interface RouteMatch {
  route: Route;
  params: string[];
}

/** Finds the route for `method path`: 404 when no route knows the path, 405 when none takes the method. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const allowed = new Set<string>();
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m === null) continue;
    if (route.method === wanted) {
      return { route, params: m.slice(1).map((p) => (p === undefined ? '' : safeDecode(p))) };
    }
    allowed.add(route.method);
  }
  if (allowed.size === 0) throw new HttpError(404, `No such endpoint: ${path}`);
  const allow = [...allowed].join(', ');
  throw new HttpError(405, `Method ${method} is not allowed on ${path}; use ${allow}`, { allow });
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `Malformed percent-encoding in the path segment '${part}'`);
  }
}

/** `force=true` and other boolean query flags, as Marathon reads them (`true`, case-insensitive). */
export function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v !== null && (v.toLowerCase() === 'true' || v === '1');
}

/** The body as JSON (400 on an empty or malformed body). */
export function jsonBody(ctx: RouteContext, what: string): unknown {
  return parseJsonBody(ctx.body, what);
}

/** A path id from a captured group: `foo/bar` → `/foo/bar`, `''` → `/`. */
export function pathId(param: string | undefined): string {
  const trimmed = (param ?? '').replace(/^\/+|\/+$/g, '');
  return `/${trimmed}`;
}
