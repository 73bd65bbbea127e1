// Who may do what to which job through the REST API: the rules of
// `--http_acls`, checked and compiled, and their evaluation. A rule gives a
// principal (or `*`, every authenticated principal) some actions on some job
// names; a name pattern is a job name in which `*` stands for any run of
// characters (`team-a-*` is a prefix, `*-nightly` a suffix, `*` every job).
// Nothing is allowed that no rule allows. Pure.
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

/** What a principal does to a job: `run` starts it now, `kill` kills its running tasks. */
export const API_ACTIONS = HTTP_ACL_ACTIONS;

/** One action of {@link API_ACTIONS}. */
export type ApiAction = HttpAclAction;

/** One rule of an ACL file, as written; its `paths` are job name patterns (`team-a-*`, `backup`, `*`). */
export type AclRule = HttpAclRule;

const PATTERN = /^[\w.*-]+$/;

/** Why `pattern` is not a job name pattern, or undefined when it is one. */
function patternProblem(pattern: string): string | undefined {
  if (pattern.includes('/')) return `'${pattern}': job names have no '/'; write a prefix as team-a-*`;
  if (!PATTERN.test(pattern)) return `'${pattern}' may hold only letters, digits, '_', '.', '-' and the wildcard *`;
  return undefined;
}

/** True when the job name pattern `pattern` covers `name`. @throws AclConfigError for a bad pattern */
export function aclNameMatches(pattern: string, name: string): boolean {
  const problem = patternProblem(pattern);
  if (problem !== undefined) throw new AclConfigError([{ field: 'pattern', message: problem }]);
  return wildcardMatch(pattern, name);
}

/** Chronos' job name patterns, for the SDK's ACL rules. */
const NAME_PATTERNS: PathPatternMatcher = { patternProblem, matches: wildcardMatch };

/**
 * The job rules of an ACL file, `{"rules": [...]}` or the array alone, checked
 * by the SDK's `checkHttpAclRules` with job name patterns.
 *
 * @throws AclConfigError naming every problem at its place (`rules[1].paths[0]`) and `source`, the flag or file
 */
export function parseAclRules(json: unknown, source?: string): AclRule[] {
  const checked = checkHttpAclRules(json, NAME_PATTERNS);
  if (!checked.ok) throw new AclConfigError(checked.problems, source);
  return checked.rules;
}

/** Checked, compiled rules over job names; `allows(principal, action, name)` answers one question. */
export class ApiAcl extends HttpAcl {
  /** @throws AclConfigError when a rule is malformed (as {@link parseAclRules} would). */
  constructor(rules: readonly AclRule[]) {
    super(parseAclRules(rules), NAME_PATTERNS);
  }

  /** The first of `checks` that `principal` may not do, or undefined when it may do them all. */
  firstDenied(
    principal: string,
    checks: Iterable<{ readonly action: ApiAction; readonly job: string }>,
  ): { action: ApiAction; job: string } | undefined {
    const refused = this.firstRefused(principal, checks, (c) => c.job);
    return refused === undefined ? undefined : { action: refused.action, job: refused.job };
  }
}
