// Marathon's placement constraints as users write them (`["hostname","UNIQUE"]`),
// parsed and validated with Marathon's rules. Evaluation: constraints-check.ts.
import { ValidationError } from '@mesocosm/protocol';

/** The operators of Marathon's constraints. */
export type ConstraintOperator = 'UNIQUE' | 'CLUSTER' | 'GROUP_BY' | 'LIKE' | 'UNLIKE' | 'MAX_PER' | 'IS';

/**
 * A placement constraint over `field`: `hostname` (or `@hostname`) or the
 * name of an agent attribute.
 */
export interface Constraint {
  /** `hostname` (or `@hostname`), or the name of an agent attribute. */
  field: string;
  /** One of {@link CONSTRAINT_OPERATORS}. */
  operator: ConstraintOperator;
  /** The parameter: a value, a regex, a count; absent for UNIQUE (and optional for CLUSTER and GROUP_BY). */
  value?: string;
}

/** Every operator, in the order Marathon's error message lists them. */
export const CONSTRAINT_OPERATORS: readonly ConstraintOperator[] = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'MAX_PER',
  'UNLIKE',
  'IS',
];

const INTEGER = /^\d+$/;
/** Mesos' text and scalar literals, which IS takes (Marathon refuses sets and ranges there). */
const MESOS_LITERAL = /^[a-zA-Z0-9_/.-]+$/;

/** True for `hostname` and Marathon's newer spelling `@hostname`. */
export function isHostnameField(field: string): boolean {
  return field === 'hostname' || field === '@hostname';
}

/** Compiles a LIKE/UNLIKE parameter as Marathon matches it: the whole value, not a substring. */
export function fullMatchRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

/** A string part; numbers are taken for the value only (`["rack","MAX_PER",2]`). */
function text(item: unknown, field: string, numberOk = false): string | undefined {
  if (item === undefined || item === null) return undefined;
  if (typeof item === 'string') return item;
  if (numberOk && typeof item === 'number' && Number.isFinite(item)) return String(item);
  throw new ValidationError(field, `must be a string, got ${JSON.stringify(item)}`);
}

/** The three parts, from `[field, operator, value?]` or `{ field | fieldName, operator, value? }`. */
function partsOf(json: unknown, path: string): [unknown, unknown, unknown] {
  if (Array.isArray(json)) {
    if (json.length < 2 || json.length > 3) {
      throw new ValidationError(
        path,
        `must be [field, operator] or [field, operator, value], got ${json.length} item(s)`,
      );
    }
    return [json[0], json[1], json[2]];
  }
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    return [o['field'] ?? o['fieldName'], o['operator'], o['value']];
  }
  throw new ValidationError(path, `must be [field, operator] or [field, operator, value], got ${JSON.stringify(json)}`);
}

function checkValue(operator: ConstraintOperator, value: string | undefined, path: string): void {
  const field = `${path}[2]`;
  switch (operator) {
    case 'UNIQUE':
      if (value !== undefined) throw new ValidationError(field, 'UNIQUE does not accept a value');
      return;
    case 'CLUSTER':
      return;
    case 'GROUP_BY':
      if (value !== undefined && !INTEGER.test(value)) {
        throw new ValidationError(field, `GROUP_BY takes the expected number of groups or no value, got '${value}'`);
      }
      return;
    case 'MAX_PER':
      if (value === undefined || !INTEGER.test(value)) {
        throw new ValidationError(
          field,
          `MAX_PER requires an integer value (the most tasks per group), got '${value ?? ''}'`,
        );
      }
      return;
    case 'LIKE':
    case 'UNLIKE':
      if (value === undefined) throw new ValidationError(field, `${operator} requires a regular expression value`);
      try {
        fullMatchRegex(value);
      } catch (err) {
        throw new ValidationError(field, `'${value}' is not a valid regular expression: ${(err as Error).message}`);
      }
      return;
    case 'IS':
      if (value === undefined || !MESOS_LITERAL.test(value)) {
        throw new ValidationError(
          field,
          `IS requires a Mesos text or scalar value ([a-zA-Z0-9_/.-]), got '${value ?? ''}'`,
        );
      }
      return;
  }
}

/**
 * Parses one constraint as users write it in Marathon app JSON:
 * `["hostname","UNIQUE"]`, `["rack","CLUSTER","a"]`, `["zone","GROUP_BY","3"]`,
 * `["hostname","LIKE","web.*"]`, `["rack","MAX_PER","2"]`, `["level","IS","3"]`
 * (or the object form `{ "fieldName": "rack", "operator": "CLUSTER", "value": "a" }`).
 * Operators are case-insensitive; an empty value counts as none.
 *
 * @param path names the constraint in errors, e.g. `constraints[1]`.
 * @throws ValidationError naming `path` (or its item) and what to fix.
 *
 * @example
 * ```ts
 * parseConstraint(['rack', 'max_per', '2']); // { field: 'rack', operator: 'MAX_PER', value: '2' }
 * parseConstraint(['hostname', 'UNIQUE', 'x'], 'constraints[1]'); // throws 'constraints[1][2]: UNIQUE does not accept a value'
 * ```
 */
export function parseConstraint(json: unknown, path = 'constraint'): Constraint {
  const [rawField, rawOperator, rawValue] = partsOf(json, path);
  const field = text(rawField, `${path}[0]`);
  if (!field) throw new ValidationError(`${path}[0]`, 'the field (hostname or an agent attribute) is missing');
  if (field === '@region' || field === '@zone') {
    throw new ValidationError(`${path}[0]`, `${field}: fault domains are not supported; use an agent attribute`);
  }
  const op = text(rawOperator, `${path}[1]`)?.toUpperCase() ?? '';
  const operator = CONSTRAINT_OPERATORS.find((o) => o === op);
  if (!operator) {
    throw new ValidationError(`${path}[1]`, `operator must be one of ${CONSTRAINT_OPERATORS.join(', ')}, got '${op}'`);
  }
  const value = text(rawValue, `${path}[2]`, true) || undefined;
  checkValue(operator, value, path);
  return value === undefined ? { field, operator } : { field, operator, value };
}

/**
 * Parses a list of constraints (Marathon's `constraints`); errors name the
 * item, e.g. `constraints[1][1]: operator must be one of ...`.
 */
export function parseConstraints(json: unknown, path = 'constraints'): Constraint[] {
  if (json === undefined || json === null) return [];
  if (!Array.isArray(json)) throw new ValidationError(path, 'must be a list of constraints');
  return json.map((item, i) => parseConstraint(item, `${path}[${i}]`));
}

/** A constraint as text: `hostname:UNIQUE`, `rack:CLUSTER:a` (the decline reason names it so). */
export function formatConstraint(c: Constraint): string {
  return c.value === undefined ? `${c.field}:${c.operator}` : `${c.field}:${c.operator}:${c.value}`;
}

/** A constraint back in Marathon's JSON form: `[field, operator]` or `[field, operator, value]`. */
export function constraintToJson(c: Constraint): string[] {
  return c.value === undefined ? [c.field, c.operator] : [c.field, c.operator, c.value];
}
