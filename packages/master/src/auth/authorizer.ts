// Deciding with ACLs. Pure.
//
// A rule *applies* to a request when its principals cover the request's
// principal and its objects cover the request's object of the rule's kind:
// ANY and NONE cover everything (NONE is how a rule denies), named values
// cover themselves. A caller without a principal is covered by ANY and NONE
// only. Of the rules that apply, the most specific decides (named principals
// beat ANY/NONE, then named objects beat ANY/NONE; among rules as specific,
// the first in the file); it allows unless either side is NONE. When no rule
// applies, `permissive` decides.
import { describeRule, type AclAction, type AclEntity, type AclObjectKind, type AclRule, type Acls } from './acls.js';

/** What a request is about: the value of each object kind (undefined when it has none, e.g. no principal). */
export type AclObjects = Partial<Record<AclObjectKind, string | undefined>>;

/** The outcome of {@link decide}: the rule that decided, or none (`permissive` did). */
export interface AclDecision {
  readonly allowed: boolean;
  readonly rule: AclRule | undefined;
}

function covers(e: AclEntity, value: string | undefined): boolean {
  if (e.kind !== 'some') return true;
  return value !== undefined && e.values.has(value);
}

/** Whether `rule` applies to `principal` doing its action to `objects`. */
export function applies(rule: AclRule, principal: string | undefined, objects: AclObjects): boolean {
  return covers(rule.principals, principal) && covers(rule.objects, objects[rule.objectKind]);
}

/** Whether a rule that applies allows. */
export function ruleAllows(rule: AclRule): boolean {
  return rule.principals.kind !== 'none' && rule.objects.kind !== 'none';
}

/** Decides whether `principal` may do `action` to `objects` (rules are kept most specific first). */
export function decide(acls: Acls, action: AclAction, principal: string | undefined, objects: AclObjects): AclDecision {
  for (const rule of acls.rules[action]) {
    if (applies(rule, principal, objects)) return { allowed: ruleAllows(rule), rule };
  }
  return { allowed: acls.permissive, rule: undefined };
}

/** Why a decision was made, for error messages: the rule, or the default. */
export function explainDecision(acls: Acls, action: AclAction, decision: AclDecision): string {
  if (decision.rule) return `ACL rule ${describeRule(decision.rule)}`;
  return `the ACLs' default: no ${action} rule applies and "permissive" is ${String(acls.permissive)}`;
}

/** A value that stands for every name the rules do not list (no real principal, user or role starts with NUL). */
const UNNAMED = '\u0000unnamed';

/**
 * Whether `principal` may do `action` to every object there is: each
 * object kind is tried with every value the rules name, one they do not
 * name, and none (so that the answer holds for objects not seen yet).
 */
export function allowsEverything(acls: Acls, action: AclAction, principal: string | undefined): boolean {
  const rules = acls.rules[action];
  if (rules.length === 0) return acls.permissive;
  const kinds = [...new Set(rules.map((r) => r.objectKind))];
  const candidates = kinds.map((kind) => {
    const named = new Set<string>();
    for (const r of rules)
      if (r.objectKind === kind && r.objects.kind === 'some') for (const v of r.objects.values) named.add(v);
    return [...named, UNNAMED, undefined];
  });
  const combos = (i: number, objects: AclObjects): boolean => {
    if (i === kinds.length) return decide(acls, action, principal, objects).allowed;
    const kind = kinds[i] as AclObjectKind;
    return (candidates[i] ?? []).every((v) => combos(i + 1, { ...objects, [kind]: v }));
  };
  return combos(0, {});
}
