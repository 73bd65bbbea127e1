// Who may do what to which path through a framework's REST API: the rules of
// an ACL file (`--http_acls`), checked and compiled, and their evaluation. A
// rule gives a principal (or `*`, every authenticated principal) some actions
// on some path patterns; what a pattern may look like and what it covers is
// the framework's (a {@link PathPatternMatcher}). Nothing is allowed that no
// rule allows. Pure: no I/O, no clock.

/** What a principal does through the API: `run` starts a job now, `kill` kills running tasks. */
export const HTTP_ACL_ACTIONS = ['view', 'create', 'update', 'delete', 'run', 'kill'] as const;

/** One action of {@link HTTP_ACL_ACTIONS}. */
export type HttpAclAction = (typeof HTTP_ACL_ACTIONS)[number];

/** One rule of an ACL file, as written. */
export interface HttpAclRule {
  /** The principal it is for; `*`: every authenticated principal. */
  readonly principal: string;
  /** The actions it allows; `*` stands for all of them. */
  readonly actions: readonly (HttpAclAction | '*')[];
  /** The path patterns it covers, in the framework's pattern syntax. */
  readonly paths: readonly string[];
}

/** One problem of an ACL file: where (`rules[2].paths[0]`) and what to fix. */
export interface HttpAclProblem {
  readonly field: string;
  readonly message: string;
}

/** A framework's path patterns: which are well formed, and what each covers. */
export interface PathPatternMatcher {
  /** Why `pattern` is not a pattern (a message naming it), or undefined when it is one. */
  patternProblem(pattern: string): string | undefined;
  /** True when the well-formed `pattern` covers `path`. */
  matches(pattern: string, path: string): boolean;
}

/** The outcome of {@link checkHttpAclRules}: the rules, or every problem found. */
export type HttpAclCheck =
  { readonly ok: true; readonly rules: HttpAclRule[] } | { readonly ok: false; readonly problems: HttpAclProblem[] };

/**
 * True when `text` fits `pattern`, in which `*` stands for any run of
 * characters (none included) and every other character for itself. Linear
 * backtracking to the last `*`, so no pattern blows up.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
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

const RULE_FIELDS = ['principal', 'actions', 'paths'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function strings(value: unknown, field: string, problems: HttpAclProblem[]): string[] {
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

function checkRule(
  json: unknown,
  at: string,
  matcher: PathPatternMatcher,
  problems: HttpAclProblem[],
): HttpAclRule | undefined {
  if (!isObject(json)) {
    problems.push({ field: at, message: `must be an object {principal, actions, paths}, got ${typeOf(json)}` });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(json)) {
    if (!RULE_FIELDS.includes(key)) {
      problems.push({ field: `${at}.${key}`, message: 'is not a rule field (principal, actions, paths)' });
    }
  }
  const principal = json['principal'];
  if (typeof principal !== 'string' || principal.trim() === '') {
    problems.push({ field: `${at}.principal`, message: 'must name a principal (or * for every one)' });
  }
  const actions = strings(json['actions'], `${at}.actions`, problems);
  actions.forEach((a, i) => {
    if (a !== '*' && !(HTTP_ACL_ACTIONS as readonly string[]).includes(a)) {
      problems.push({
        field: `${at}.actions[${i}]`,
        message: `'${a}' is not one of ${HTTP_ACL_ACTIONS.join(', ')}, *`,
      });
    }
  });
  const paths = strings(json['paths'], `${at}.paths`, problems);
  paths.forEach((p, i) => {
    const problem = matcher.patternProblem(p);
    if (problem !== undefined) problems.push({ field: `${at}.paths[${i}]`, message: problem });
  });
  if (problems.length > before) return undefined;
  return { principal: principal as string, actions: actions as HttpAclRule['actions'], paths };
}

/**
 * Checks the rules of an ACL file: `{"rules": [...]}` or the array alone.
 * Every problem is reported at once, each under its place
 * (`rules[1].paths[0]`); path patterns are checked by `matcher`.
 *
 * @param json - the parsed file (or the rules given in code)
 * @param matcher - the framework's path pattern syntax
 * @returns the rules as written, or every problem found
 */
export function checkHttpAclRules(json: unknown, matcher: PathPatternMatcher): HttpAclCheck {
  const list = isObject(json) ? json['rules'] : json;
  if (!Array.isArray(list)) {
    const message = `must be an array of {principal, actions, paths}, got ${typeOf(list)}`;
    return { ok: false, problems: [{ field: 'rules', message }] };
  }
  const problems: HttpAclProblem[] = [];
  const rules = list.flatMap((r, i) => checkRule(r, `rules[${i}]`, matcher, problems) ?? []);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

interface CompiledRule {
  readonly principal: string;
  readonly actions: ReadonlySet<HttpAclAction>;
  readonly patterns: readonly string[];
}

/**
 * Compiled ACL rules; {@link HttpAcl.allows} answers one question. A framework
 * wraps it with its own matcher and error class.
 */
export class HttpAcl {
  private readonly rules: readonly CompiledRule[];
  private readonly matcher: PathPatternMatcher;

  /**
   * @param rules - rules that {@link checkHttpAclRules} accepted (they are not checked again)
   * @param matcher - the framework's path pattern syntax, the same the rules were checked with
   */
  constructor(rules: readonly HttpAclRule[], matcher: PathPatternMatcher) {
    this.matcher = matcher;
    this.rules = rules.map((r) => ({
      principal: r.principal,
      actions: new Set<HttpAclAction>(r.actions.includes('*') ? HTTP_ACL_ACTIONS : (r.actions as HttpAclAction[])),
      patterns: r.paths,
    }));
  }

  /** How many rules there are. */
  get size(): number {
    return this.rules.length;
  }

  /** True when some rule for `principal` (or `*`) gives `action` on a pattern covering `path`. */
  allows(principal: string, action: HttpAclAction, path: string): boolean {
    return this.rules.some(
      (r) =>
        (r.principal === principal || r.principal === '*') &&
        r.actions.has(action) &&
        r.patterns.some((p) => this.matcher.matches(p, path)),
    );
  }

  /**
   * The first of `checks` that `principal` may not do, or undefined when it
   * may do them all; `pathOf` gives the path a check is about.
   */
  firstRefused<C extends { readonly action: HttpAclAction }>(
    principal: string,
    checks: Iterable<C>,
    pathOf: (check: C) => string,
  ): C | undefined {
    for (const c of checks) if (!this.allows(principal, c.action, pathOf(c))) return c;
    return undefined;
  }
}
