// Marathon's path identifiers: `/group/sub/app`. Relative ids (`app`,
// `../other`) are resolved against a base group; every segment must be a
// lower-case DNS-like label, as Marathon's id regex demands.

/** One path segment as Marathon accepts it (after `.` and `..` are resolved). */
export const ID_SEGMENT_PATTERN = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;

/** The message Marathon gives for an illegal id segment. */
export const ID_SEGMENT_MESSAGE =
  "must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'";

/** The outcome of resolving an id: the absolute id, or why it is not one. */
export type ResolvedId = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly message: string };

/** The segments of an absolute id (`/a/b` → `['a','b']`, `/` → `[]`). */
export function segmentsOf(id: string): string[] {
  return id.split('/').filter((s) => s !== '');
}

/**
 * Resolves `id` against the group `base` (absolute, e.g. `/` or `/prod`) and
 * checks every segment. Absolute ids ignore `base`.
 */
export function resolveId(id: string, base = '/'): ResolvedId {
  if (id.trim() === '') return { ok: false, message: 'must not be empty' };
  const start = id.startsWith('/') ? [] : segmentsOf(base);
  const out = [...start];
  for (const segment of id.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return { ok: false, message: `'${id}' goes above the root group` };
      out.pop();
      continue;
    }
    if (!ID_SEGMENT_PATTERN.test(segment)) return { ok: false, message: ID_SEGMENT_MESSAGE };
    out.push(segment);
  }
  return { ok: true, id: `/${out.join('/')}` };
}

/** The group that holds `id` (`/a/b` → `/a`, `/a` → `/`). */
export function parentOf(id: string): string {
  const segments = segmentsOf(id);
  segments.pop();
  return `/${segments.join('/')}`;
}

/** True when `id` is `group` itself or lies below it. */
export function isUnder(id: string, group: string): boolean {
  if (group === '/') return true;
  return id === group || id.startsWith(`${group}/`);
}
