// Marathon's placement constraints: `["hostname", "UNIQUE"]`,
// `["rack", "GROUP_BY", "3"]`. A small local triple until the SDK's
// `Constraint`/`parseConstraint` lands; then this file re-exports those.

import { Problems, jsonType } from './problems.js';

/** The operators Marathon apps accept. */
export const CONSTRAINT_OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'MAX_PER', 'UNLIKE', 'IS'] as const;

/** A constraint operator. */
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

/** One placement constraint over `hostname` or an agent attribute. */
export interface Constraint {
  readonly field: string;
  readonly operator: ConstraintOperator;
  readonly value?: string;
}

function isInteger(s: string): boolean {
  return /^-?\d+$/.test(s.trim());
}

function isRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

/** Parses one constraint array, recording Marathon's messages at `path`. */
export function parseConstraint(json: unknown, path: string, problems: Problems): Constraint | undefined {
  if (!Array.isArray(json)) {
    problems.add(path, `expected an array like ["hostname", "UNIQUE"], got ${jsonType(json)}`);
    return undefined;
  }
  if (json.length < 2 || json.length > 3) {
    problems.add(path, 'Each constraint must have either 2 or 3 fields');
    return undefined;
  }
  if (!json.every((part) => typeof part === 'string')) {
    problems.add(path, 'Each constraint field must be a string');
    return undefined;
  }
  const [field, op, value] = json as string[];
  if (field === undefined || field === '' || op === undefined || op === '') {
    problems.add(path, 'Missing field and operator');
    return undefined;
  }
  if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(op)) {
    problems.add(path, `Constraint operator must be one of the following ${CONSTRAINT_OPERATORS.join(', ')}`);
    return undefined;
  }
  const operator = op as ConstraintOperator;
  const bad = (message: string): undefined => {
    problems.add(path, message);
    return undefined;
  };
  switch (operator) {
    case 'UNIQUE':
      if (value !== undefined) return bad('Value specified but not used');
      break;
    case 'CLUSTER':
      if (value === undefined || value === '') return bad('Missing value');
      break;
    case 'GROUP_BY':
      if (value !== undefined && !isInteger(value)) {
        return bad('Value was specified but is not a number: GROUP_BY may either have no value or an integer value');
      }
      break;
    case 'MAX_PER':
      if (value === undefined || !isInteger(value)) {
        return bad('Value was not specified or is not a number: MAX_PER must have an integer value');
      }
      break;
    case 'IS':
      if (value === undefined || !/^[a-zA-Z0-9_/.-]+$/.test(value)) {
        return bad('IS requires a Mesos text or scalar value ([a-zA-Z0-9_/.-])');
      }
      break;
    case 'LIKE':
    case 'UNLIKE':
      if (value === undefined) return bad('A regular expression value must be provided');
      if (!isRegex(value)) return bad(`'${value}' is not a valid regular expression`);
      break;
  }
  return value === undefined ? { field, operator } : { field, operator, value };
}

/** Renders a constraint as Marathon's array form. */
export function renderConstraint(c: Constraint): string[] {
  return c.value === undefined ? [c.field, c.operator] : [c.field, c.operator, c.value];
}
