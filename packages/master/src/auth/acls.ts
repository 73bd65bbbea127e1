// The ACLs of `--acls`: Mesos' model (actions, subjects, objects, `permissive`)
// read from its JSON, checked field by field. Pure: the caller reads the file.
//
//   {
//     "permissive": false,
//     "register_frameworks": [{ "principals": { "values": ["marathon"] }, "roles": { "values": ["web"] } }],
//     "run_tasks": [{ "principals": { "type": "ANY" }, "users": { "values": ["nobody"] } }],
//     "teardown_frameworks": [{ "principals": { "values": ["ops"] }, "framework_principals": { "type": "ANY" } }]
//   }
import { AclsError } from './errors.js';

/** What a principal may be allowed to do. */
export type AclAction =
  | 'register_frameworks'
  | 'run_tasks'
  | 'teardown_frameworks'
  | 'drain_agents'
  | 'view_frameworks'
  | 'view_tasks'
  | 'view_sandboxes';

/** What an action is done to. */
export type AclObjectKind = 'roles' | 'users' | 'framework_principals' | 'agents';

/** Every action, in the order the docs list them. */
export const ACL_ACTIONS: readonly AclAction[] = [
  'register_frameworks',
  'run_tasks',
  'teardown_frameworks',
  'drain_agents',
  'view_frameworks',
  'view_tasks',
  'view_sandboxes',
];

/** The objects a rule of each action may name (one per rule). */
export const ACL_OBJECT_KINDS: Readonly<Record<AclAction, readonly AclObjectKind[]>> = {
  register_frameworks: ['roles'],
  run_tasks: ['users'],
  teardown_frameworks: ['framework_principals'],
  drain_agents: ['agents'],
  view_frameworks: ['framework_principals', 'users'],
  view_tasks: ['framework_principals', 'users'],
  view_sandboxes: ['framework_principals', 'users'],
};

/** Mesos' older names, accepted so that an existing ACL file carries over. */
const ALIASES: Readonly<Record<string, AclAction>> = {
  shutdown_frameworks: 'teardown_frameworks',
  access_sandboxes: 'view_sandboxes',
};

/** A set of principals or objects: some named ones, any at all, or none (a rule that denies). */
export type AclEntity =
  | { readonly kind: 'any' }
  | { readonly kind: 'none' }
  | { readonly kind: 'some'; readonly values: ReadonlySet<string> };

/** One rule: `principals` may (or, with NONE on either side, may not) do the action to `objects`. */
export interface AclRule {
  readonly action: AclAction;
  /** Its position in its action's list in the file, from 0 (`register_frameworks[2]`). */
  readonly index: number;
  readonly principals: AclEntity;
  readonly objectKind: AclObjectKind;
  readonly objects: AclEntity;
}

/** Parsed ACLs: the rules of each action, most specific first (see authorizer.ts). */
export interface Acls {
  /** The decision when no rule applies (default true, as Mesos). */
  readonly permissive: boolean;
  readonly rules: Readonly<Record<AclAction, readonly AclRule[]>>;
}

/** How specific a rule is: named principals count more than named objects. Pure. */
export function specificity(rule: Pick<AclRule, 'principals' | 'objects'>): number {
  return (rule.principals.kind === 'some' ? 2 : 0) + (rule.objects.kind === 'some' ? 1 : 0);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function entity(value: unknown, field: string): AclEntity {
  if (!isObject(value)) {
    throw new AclsError(field, 'must be an object: {"values": ["a", "b"]}, {"type": "ANY"} or {"type": "NONE"}');
  }
  const keys = Object.keys(value);
  const unknown = keys.filter((k) => k !== 'values' && k !== 'type');
  if (unknown.length > 0) throw new AclsError(field, `has unknown key '${unknown[0]}': use "values" or "type"`);
  if ('values' in value && 'type' in value) throw new AclsError(field, 'give either "values" or "type", not both');
  if ('type' in value) {
    const type = value['type'];
    if (type === 'ANY') return { kind: 'any' };
    if (type === 'NONE') return { kind: 'none' };
    throw new AclsError(`${field}.type`, `must be "ANY" or "NONE", got ${JSON.stringify(type)}`);
  }
  const values = value['values'];
  if (!Array.isArray(values)) throw new AclsError(field, 'needs "values": ["a", ...] or "type": "ANY" / "NONE"');
  values.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') {
      throw new AclsError(`${field}.values[${i}]`, `must be a non-empty string, got ${JSON.stringify(v)}`);
    }
  });
  if (values.length === 0) throw new AclsError(`${field}.values`, 'is empty: to match nothing use {"type": "NONE"}');
  return { kind: 'some', values: new Set(values as string[]) };
}

function rule(action: AclAction, value: unknown, index: number, field: string): AclRule {
  if (!isObject(value)) throw new AclsError(field, 'must be an object with "principals" and an object set');
  const kinds = ACL_OBJECT_KINDS[action];
  const allowed = ['principals', ...kinds];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new AclsError(`${field}.${key}`, `is not a field of a ${action} rule: use ${allowed.join(', ')}`);
    }
  }
  if (!('principals' in value)) throw new AclsError(`${field}.principals`, 'is required');
  const given = kinds.filter((k) => k in value);
  if (given.length !== 1) {
    throw new AclsError(
      field,
      given.length === 0 ? `needs ${kinds.map((k) => `"${k}"`).join(' or ')}` : `give one of ${given.join(', ')}`,
    );
  }
  const objectKind = given[0] as AclObjectKind;
  return {
    action,
    index,
    principals: entity(value['principals'], `${field}.principals`),
    objectKind,
    objects: entity(value[objectKind], `${field}.${objectKind}`),
  };
}

/** Most specific first; the file's order among rules as specific. Pure. */
export function orderRules(rules: readonly AclRule[]): AclRule[] {
  return [...rules].sort((a, b) => specificity(b) - specificity(a) || a.index - b.index);
}

/**
 * Checks ACLs in Mesos' JSON shape (the parsed JSON of an `--acls` file).
 * Throws {@link AclsError} naming the offending field (`run_tasks[1].users`).
 */
export function parseAcls(json: unknown): Acls {
  if (!isObject(json)) throw new AclsError('(top level)', 'must be a JSON object such as {"run_tasks": [...]}');
  const lists = Object.fromEntries(ACL_ACTIONS.map((a) => [a, [] as AclRule[]])) as Record<AclAction, AclRule[]>;
  let permissive = true;
  for (const [key, value] of Object.entries(json)) {
    if (key === 'permissive') {
      if (typeof value !== 'boolean')
        throw new AclsError('permissive', `must be true or false, got ${JSON.stringify(value)}`);
      permissive = value;
      continue;
    }
    const action = (ACL_ACTIONS as readonly string[]).includes(key) ? (key as AclAction) : ALIASES[key];
    if (!action) {
      throw new AclsError(key, `is not an action: use permissive, ${ACL_ACTIONS.join(', ')}`);
    }
    if (!Array.isArray(value)) throw new AclsError(key, 'must be a list of rules');
    const list = lists[action];
    for (const item of value) list.push(rule(action, item, list.length, `${key}[${list.length}]`));
  }
  const rules = Object.fromEntries(ACL_ACTIONS.map((a) => [a, orderRules(lists[a])])) as Record<AclAction, AclRule[]>;
  return { permissive, rules };
}

/** Parses the text of an `--acls` file (`source` names it in errors). */
export function parseAclsText(text: string, source: string): Acls {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AclsError('(file)', `is not JSON: ${err instanceof Error ? err.message : String(err)}`, source);
  }
  try {
    return parseAcls(json);
  } catch (err) {
    if (err instanceof AclsError) throw new AclsError(err.field, err.problem, source);
    throw err;
  }
}

function entityText(e: AclEntity): string {
  if (e.kind === 'any') return 'ANY';
  if (e.kind === 'none') return 'NONE';
  return JSON.stringify([...e.values]);
}

/** A rule as a user reads it: `run_tasks[1] {principals: ANY, users: ["root"]... }`. Pure. */
export function describeRule(r: AclRule): string {
  return `${r.action}[${r.index}] (principals: ${entityText(r.principals)}, ${r.objectKind}: ${entityText(r.objects)})`;
}
