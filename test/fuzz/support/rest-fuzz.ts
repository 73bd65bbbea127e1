// The REST fuzz loop shared by Marathon and Chronos: random and mutated
// requests (method, path, query, JSON body, content type) from a target's
// templates, one at a time, each with a deadline. Every answer must be a
// client error or a success: a 5xx, a hang or a dropped connection is a
// failure, and is returned with the request that caused it.
import { Rand, brief, mutate, wildJson } from './rand.js';

/** What a REST API looks like to the fuzzer. */
export interface RestTarget {
  readonly base: string;
  /** Request templates: method and path, `{id}` where an identifier goes. */
  readonly routes: readonly (readonly [method: string, path: string])[];
  /** Valid bodies to mutate. */
  readonly bodies: readonly unknown[];
  /** Identifiers worth trying (existing apps, jobs, ...), read before each request. */
  known(): string[];
}

/** A request that got a 5xx, no answer, or a broken connection. */
export interface RestFailure {
  readonly request: string;
  readonly outcome: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const QUERIES = [
  '',
  '',
  '',
  '?force=true',
  '?embed=apps.tasks',
  '?partialUpdate=false',
  '?name=x',
  '?x=%zz',
  '?force=1e308',
];

function segment(rand: Rand, known: readonly string[]): string {
  const s = rand.chance(0.5) && known.length > 0 ? rand.pick(known) : rand.nastyString(known);
  // A URL carries UTF-8: lone surrogates cannot be sent at all.
  if (rand.chance(0.7)) return encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd'));
  // Raw (as a careless client sends it): only what a URL can carry at all.
  return s.replace(/[^\x21-\x7e]/g, '').replace(/[?#]/g, '');
}

/** One random request: [method, path with query, body text or undefined, content type]. */
function request(rand: Rand, t: RestTarget): [string, string, string | undefined, string] {
  const known = t.known();
  const [templateMethod, template] = rand.pick(t.routes);
  const method = rand.chance(0.8) ? templateMethod : rand.pick(METHODS);
  let path = template.replace(/\{id\}/g, () => segment(rand, known));
  if (rand.chance(0.1)) path = `${path}/${segment(rand, known)}`;
  path += rand.pick(QUERIES);
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && rand.chance(0.85)) {
    const value = rand.chance(0.75) ? mutate(rand, rand.pick(t.bodies), known, true) : wildJson(rand, 3, known);
    body = JSON.stringify(value);
    if (rand.chance(0.05)) body = body.slice(0, rand.int(body.length + 1)); // truncated JSON
  }
  const type = rand.chance(0.9)
    ? 'application/json'
    : rand.pick(['text/plain', '', 'application/x-www-form-urlencoded']);
  return [method, path, body, type];
}

/** What a REST fuzz run saw: the failures (none when all is well) and how many answers of each status. */
export interface RestRun {
  readonly failures: RestFailure[];
  readonly statuses: Record<number, number>;
}

/** Sends `calls` fuzzed requests to `t`. */
export async function fuzzRest(t: RestTarget, rand: Rand, calls: number): Promise<RestRun> {
  const failures: RestFailure[] = [];
  const statuses: Record<number, number> = {};
  for (let n = 1; n <= calls; n++) {
    const [method, path, body, type] = request(rand, t);
    const what = `#${n} ${method} ${path} ${body === undefined ? '' : brief(body, 300)}`;
    try {
      const res = await fetch(`${t.base}${path}`, {
        method,
        headers: type === '' ? {} : { 'content-type': type },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 500) failures.push({ request: what, outcome: `${res.status} ${text.slice(0, 300)}` });
    } catch (err) {
      failures.push({ request: what, outcome: `no answer: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return { failures, statuses };
}
