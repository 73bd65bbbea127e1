// Who may do what to which app or group through the REST API: the rules of
// `--http_acls`, checked and compiled, and their evaluation. A rule gives a
// principal (or `*`, every authenticated principal) some actions on some
// paths; a path pattern is an absolute id whose segments may hold `*` (any
// characters within one segment) or be `**` (any number of segments, none
// included). Nothing is allowed that no rule allows. Pure.

import { AclConfigError, type AclProblem } from '../errors.js';
import { isObject, jsonType } from './problems.js';

/** What a principal does to an app or group; `run` is Chronos' (run a job now), kept for one vocabulary. */
export const API_ACTIONS = ['view', 'create', 'update', 'delete', 'run', 'kill'] as const;

/** One action of {@link API_ACTIONS}. */
export type ApiAction = (typeof API_ACTIONS)[number];

/** One rule of an ACL file, as written. */
export interface AclRule {
  /** The principal it is for; `*`: every authenticated principal. */
  readonly principal: string;
  /** The actions it allows; `*` stands for all of them. */
  readonly actions: readonly (ApiAction | '*')[];
  /** Path patterns (`/prod/**`, `/team-a/*`, `/web`) of the apps and groups it covers. */
  readonly paths: readonly string[];
}

/** A pattern segment: `**`, or a test of one id segment. */
type Segment = { readonly any: true } | { readonly any: false; readonly glob: string };

interface CompiledRule {
  readonly principal: string;
  readonly actions: ReadonlySet<ApiAction>;
  readonly patterns: readonly (readonly Segment[])[];
}

const PATTERN_SEGMENT = /^[a-z0-9.*-]+$/;

/** `*` matches any run of characters; linear backtracking to the last `*`, so no pattern blows up. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

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
      else next[j] = j > 0 && row[j - 1] === true && globMatch(seg.glob, id[j - 1] ?? '');
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

function strings(value: unknown, field: string, problems: AclProblem[]): string[] {
  if (value === undefined) {
    problems.push({ field, message: 'is required: a non-empty array of strings' });
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    const got = Array.isArray(value) ? 'an empty array' : jsonType(value);
    problems.push({ field, message: `must be a non-empty array of strings, got ${got}` });
    return [];
  }
  return value.flatMap((v, i) => {
    if (typeof v === 'string' && v !== '') return [v];
    problems.push({ field: `${field}[${i}]`, message: `must be a non-empty string, got ${jsonType(v)}` });
    return [];
  });
}

function checkRule(json: unknown, at: string, problems: AclProblem[]): AclRule | undefined {
  if (!isObject(json)) {
    problems.push({ field: at, message: `must be an object {principal, actions, paths}, got ${jsonType(json)}` });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(json)) {
    if (!['principal', 'actions', 'paths'].includes(key)) {
      problems.push({ field: `${at}.${key}`, message: 'is not a rule field (principal, actions, paths)' });
    }
  }
  const principal = json['principal'];
  if (typeof principal !== 'string' || principal.trim() === '') {
    problems.push({ field: `${at}.principal`, message: 'must name a principal (or * for every one)' });
  }
  const actions = strings(json['actions'], `${at}.actions`, problems);
  actions.forEach((a, i) => {
    if (a !== '*' && !(API_ACTIONS as readonly string[]).includes(a)) {
      problems.push({ field: `${at}.actions[${i}]`, message: `'${a}' is not one of ${API_ACTIONS.join(', ')}, *` });
    }
  });
  const paths = strings(json['paths'], `${at}.paths`, problems);
  paths.forEach((p, i) => {
    const problem = patternProblem(p);
    if (problem !== undefined) problems.push({ field: `${at}.paths[${i}]`, message: problem });
  });
  if (problems.length > before) return undefined;
  return { principal: principal as string, actions: actions as AclRule['actions'], paths };
}

/**
 * The rules of an ACL file: `{"rules": [...]}` or the array alone. Every
 * problem is reported at once, each under its place (`rules[1].paths[0]`);
 * `source` names the flag or file in the error.
 *
 * @throws AclConfigError
 */
export function parseAclRules(json: unknown, source?: string): AclRule[] {
  const list = isObject(json) ? json['rules'] : json;
  if (!Array.isArray(list)) {
    throw new AclConfigError(
      [{ field: 'rules', message: `must be an array of {principal, actions, paths}, got ${jsonType(list)}` }],
      source,
    );
  }
  const problems: AclProblem[] = [];
  const rules = list.flatMap((r, i) => checkRule(r, `rules[${i}]`, problems) ?? []);
  if (problems.length > 0) throw new AclConfigError(problems, source);
  return rules;
}

/** Checked, compiled rules; `allows` answers one question. */
export class ApiAcl {
  private readonly rules: readonly CompiledRule[];

  /** @throws AclConfigError when a rule is malformed (as {@link parseAclRules} would). */
  constructor(rules: readonly AclRule[]) {
    const checked = parseAclRules(rules);
    this.rules = checked.map((r) => ({
      principal: r.principal,
      actions: new Set<ApiAction>(r.actions.includes('*') ? API_ACTIONS : (r.actions as ApiAction[])),
      patterns: r.paths.map(compilePattern),
    }));
  }

  /** How many rules there are. */
  get size(): number {
    return this.rules.length;
  }

  /** True when some rule for `principal` (or `*`) gives `action` on a pattern covering `id`. */
  allows(principal: string, action: ApiAction, id: string): boolean {
    const segments = id.split('/').filter((s) => s !== '');
    return this.rules.some(
      (r) =>
        (r.principal === principal || r.principal === '*') &&
        r.actions.has(action) &&
        r.patterns.some((p) => matchSegments(p, segments)),
    );
  }

  /** The first of `checks` that `principal` may not do, or undefined when it may do them all. */
  firstDenied(
    principal: string,
    checks: Iterable<{ readonly action: ApiAction; readonly id: string }>,
  ): { action: ApiAction; id: string } | undefined {
    for (const c of checks) if (!this.allows(principal, c.action, c.id)) return { action: c.action, id: c.id };
    return undefined;
  }
}
