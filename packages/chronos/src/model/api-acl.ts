// Who may do what to which job through the REST API: the rules of
// `--http_acls`, checked and compiled, and their evaluation. A rule gives a
// principal (or `*`, every authenticated principal) some actions on some job
// names; a name pattern is a job name in which `*` stands for any run of
// characters (`team-a-*` is a prefix, `*-nightly` a suffix, `*` every job).
// Nothing is allowed that no rule allows. Pure.
import { AclConfigError, type JobProblem } from '../errors.js';

/** What a principal does to a job: `run` starts it now, `kill` kills its running tasks. */
export const API_ACTIONS = ['view', 'create', 'update', 'delete', 'run', 'kill'] as const;

/** One action of {@link API_ACTIONS}. */
export type ApiAction = (typeof API_ACTIONS)[number];

/** One rule of an ACL file, as written. */
export interface AclRule {
  /** The principal it is for; `*`: every authenticated principal. */
  readonly principal: string;
  /** The actions it allows; `*` stands for all of them. */
  readonly actions: readonly (ApiAction | '*')[];
  /** Job name patterns (`team-a-*`, `backup`, `*`) it covers. */
  readonly paths: readonly string[];
}

interface CompiledRule {
  readonly principal: string;
  readonly actions: ReadonlySet<ApiAction>;
  readonly patterns: readonly string[];
}

const PATTERN = /^[\w.*-]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Why `pattern` is not a job name pattern, or undefined when it is one. */
function patternProblem(pattern: string): string | undefined {
  if (pattern.includes('/')) return `'${pattern}': job names have no '/'; write a prefix as team-a-*`;
  if (!PATTERN.test(pattern)) return `'${pattern}' may hold only letters, digits, '_', '.', '-' and the wildcard *`;
  return undefined;
}

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

/** True when the job name pattern `pattern` covers `name`. @throws AclConfigError for a bad pattern */
export function aclNameMatches(pattern: string, name: string): boolean {
  const problem = patternProblem(pattern);
  if (problem !== undefined) throw new AclConfigError([{ field: 'pattern', message: problem }]);
  return globMatch(pattern, name);
}

function strings(value: unknown, field: string, problems: JobProblem[]): string[] {
  if (value === undefined) {
    problems.push({ field, message: 'is required: a non-empty array of strings' });
    return [];
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ field, message: `must be a non-empty array of strings, got ${typeOf(value)}` });
    return [];
  }
  return value.flatMap((v, i) => {
    if (typeof v === 'string' && v !== '') return [v];
    problems.push({ field: `${field}[${i}]`, message: `must be a non-empty string, got ${typeOf(v)}` });
    return [];
  });
}

function checkRule(json: unknown, at: string, problems: JobProblem[]): AclRule | undefined {
  if (!isObject(json)) {
    problems.push({ field: at, message: `must be an object {principal, actions, paths}, got ${typeOf(json)}` });
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
      [{ field: 'rules', message: `must be an array of {principal, actions, paths}, got ${typeOf(list)}` }],
      source,
    );
  }
  const problems: JobProblem[] = [];
  const rules = list.flatMap((r, i) => checkRule(r, `rules[${i}]`, problems) ?? []);
  if (problems.length > 0) throw new AclConfigError(problems, source);
  return rules;
}

/** Checked, compiled rules; `allows` answers one question. */
export class ApiAcl {
  private readonly rules: readonly CompiledRule[];

  /** @throws AclConfigError when a rule is malformed (as {@link parseAclRules} would). */
  constructor(rules: readonly AclRule[]) {
    this.rules = parseAclRules(rules).map((r) => ({
      principal: r.principal,
      actions: new Set<ApiAction>(r.actions.includes('*') ? API_ACTIONS : (r.actions as ApiAction[])),
      patterns: r.paths,
    }));
  }

  /** How many rules there are. */
  get size(): number {
    return this.rules.length;
  }

  /** True when some rule for `principal` (or `*`) gives `action` on a pattern covering the job `name`. */
  allows(principal: string, action: ApiAction, name: string): boolean {
    return this.rules.some(
      (r) =>
        (r.principal === principal || r.principal === '*') &&
        r.actions.has(action) &&
        r.patterns.some((p) => globMatch(p, name)),
    );
  }

  /** The first of `checks` that `principal` may not do, or undefined when it may do them all. */
  firstDenied(
    principal: string,
    checks: Iterable<{ readonly action: ApiAction; readonly job: string }>,
  ): { action: ApiAction; job: string } | undefined {
    for (const c of checks) if (!this.allows(principal, c.action, c.job)) return { action: c.action, job: c.job };
    return undefined;
  }
}
