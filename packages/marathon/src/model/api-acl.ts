// Who may do what to which app or group through the REST API: the rules of
// `--http_acls`, checked and compiled, and their evaluation. A rule gives a
// principal (or `*`, every authenticated principal) some actions on some
// paths; a path pattern is an absolute id whose segments may hold `*` (any
// characters within one segment) or be `**` (any number of segments, none
// included). Nothing is allowed that no rule allows. Pure.

import {
  HTTP_ACL_ACTIONS,
  HttpAcl,
  checkHttpAclRules,
  type HttpAclAction,
  type HttpAclRule,
  type PathPatternMatcher,
  wildcardMatch,
} from '@mesocosm/framework-sdk';
import { AclConfigError } from '../errors.js';

/** What a principal does to an app or group; `run` is Chronos' (run a job now), kept for one vocabulary. */
export const API_ACTIONS = HTTP_ACL_ACTIONS;

/** One action of {@link API_ACTIONS}. */
export type ApiAction = HttpAclAction;

/**
 * One rule of an ACL file, as written; its `paths` are path patterns
 * (`/prod/**`, `/team-a/*`, `/web`) of the apps and groups it covers.
 */
export type AclRule = HttpAclRule;

/** A pattern segment: `**`, or a test of one id segment. */
type Segment = { readonly any: true } | { readonly any: false; readonly glob: string };

const PATTERN_SEGMENT = /^[a-z0-9.*-]+$/;

/** Why `pattern` is not a path pattern, or undefined when it is one. */
function patternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/')) return `'${pattern}' must be absolute: start it with / (e.g. /team-a/**)`;
  for (const segment of pattern.split('/').slice(1)) {
    if (segment === '' && pattern !== '/') return `'${pattern}' has an empty segment (//, or a trailing /)`;
    if (segment === '' || segment === '**') continue;
    if (segment === '.' || segment === '..') return `'${pattern}' must not contain . or .. segments`;
    if (segment.includes('**')) return `'${pattern}': ** must be a whole segment (/a/**, not /a/b**)`;
    if (!PATTERN_SEGMENT.test(segment)) {
      return `'${pattern}': segment '${segment}' may hold only a-z, 0-9, '-', '.' and the wildcard *`;
    }
  }
  return undefined;
}

function compilePattern(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      if (s === '**') return { any: true };
      return { any: false, glob: s };
    });
}

/** True when the id segments match the pattern segments (dynamic programming: no blow-up on many `**`). */
function matchSegments(pattern: readonly Segment[], id: readonly string[]): boolean {
  // row[j]: the pattern's first i segments match the id's first j segments.
  let row = id.map(() => false);
  row.unshift(true);
  for (const seg of pattern) {
    const next = row.map(() => false);
    for (let j = 0; j <= id.length; j++) {
      if (seg.any) next[j] = row[j] === true || (j > 0 && next[j - 1] === true);
      else next[j] = j > 0 && row[j - 1] === true && wildcardMatch(seg.glob, id[j - 1] ?? '');
    }
    row = next;
  }
  return row[id.length] === true;
}

/** True when the path pattern `pattern` covers the absolute id `id`. @throws AclConfigError for a bad pattern */
export function aclPathMatches(pattern: string, id: string): boolean {
  const problem = patternProblem(pattern);
  if (problem !== undefined) throw new AclConfigError([{ field: 'pattern', message: problem }]);
  return matchSegments(
    compilePattern(pattern),
    id.split('/').filter((s) => s !== ''),
  );
}

/** Marathon's path patterns, for the SDK's ACL rules. */
const PATH_PATTERNS: PathPatternMatcher = {
  patternProblem,
  matches: (pattern, id) =>
    matchSegments(
      compilePattern(pattern),
      id.split('/').filter((s) => s !== ''),
    ),
};

/**
 * Marathon's `--http_acls` rules (`{"rules": [...]}` or the bare array), the
 * SDK's rule checks with app and group path patterns. Every problem is
 * reported at once under its place, such as `rules[1].paths[0]`.
 *
 * @throws AclConfigError; `source` names the flag or file it came from
 */
export function parseAclRules(json: unknown, source?: string): AclRule[] {
  const checked = checkHttpAclRules(json, PATH_PATTERNS);
  if (!checked.ok) throw new AclConfigError(checked.problems, source);
  return checked.rules;
}

/** Checked, compiled rules over app and group ids; `allows(principal, action, id)` answers one question. */
export class ApiAcl extends HttpAcl {
  /** @throws AclConfigError when a rule is malformed (as {@link parseAclRules} would). */
  constructor(rules: readonly AclRule[]) {
    super(parseAclRules(rules), PATH_PATTERNS);
  }

  /** The first of `checks` that `principal` may not do, or undefined when it may do them all. */
  firstDenied(
    principal: string,
    checks: Iterable<{ readonly action: ApiAction; readonly id: string }>,
  ): { action: ApiAction; id: string } | undefined {
    const refused = this.firstRefused(principal, checks, (c) => c.id);
    return refused === undefined ? undefined : { action: refused.action, id: refused.id };
  }
}
