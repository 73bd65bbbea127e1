// Evaluating Marathon constraints for one candidate agent against the tasks
// already placed (Marathon's Constraints.meetsConstraint, classic GROUP_BY).
import { formatConstraint, fullMatchRegex, type Constraint } from './constraints.js';
import { constraintFieldValue as fieldValue, formatScalar, type Placement } from './constraints-values.js';

/** The verdict of {@link checkConstraints}. */
export type ConstraintCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Stable, to aggregate decline reasons: `constraint hostname:UNIQUE`. */
      readonly reason: string;
      /** What was wrong here: `a task already runs where hostname is 'h1'`. */
      readonly detail: string;
      /** The first constraint that failed. */
      readonly constraint: Constraint;
    };

const SCALAR = /^\d+(\.\d+)?$/;
const regexCache = new Map<string, RegExp>();

function matches(value: string, pattern: string): boolean {
  let re = regexCache.get(pattern);
  if (!re) {
    re = fullMatchRegex(pattern);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re.test(value);
}

/** Task counts per value of the field (tasks lacking the field are not counted). */
function countsOf(field: string, placed: readonly Placement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of placed) {
    const v = fieldValue(field, p);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Why `c` refuses `value` given `placed`, or `undefined` when it is met. */
function violation(c: Constraint, value: string | undefined, placed: readonly Placement[]): string | undefined {
  const { field } = c;
  if (value === undefined) {
    // As Marathon: an agent without the attribute only passes UNLIKE.
    return c.operator === 'UNLIKE' ? undefined : `the agent has no attribute '${field}'`;
  }
  const param = c.value ?? '';
  switch (c.operator) {
    case 'LIKE':
      return matches(value, param) ? undefined : `${field} '${value}' does not match '${param}'`;
    case 'UNLIKE':
      return matches(value, param) ? `${field} '${value}' matches '${param}'` : undefined;
    case 'IS': {
      const want = SCALAR.test(param) ? formatScalar(Number(param)) : param;
      return value === want ? undefined : `${field} is '${value}', not '${want}'`;
    }
    case 'UNIQUE':
      return placed.some((p) => fieldValue(field, p) === value)
        ? `a task already runs where ${field} is '${value}'`
        : undefined;
    case 'CLUSTER': {
      if (c.value !== undefined) return value === param ? undefined : `${field} is '${value}', not '${param}'`;
      // No value: the first placed task's value pins the others.
      const pinned = placed.map((p) => fieldValue(field, p)).find((v) => v !== undefined);
      return pinned === undefined || pinned === value ? undefined : `tasks run where ${field} is '${pinned}'`;
    }
    case 'MAX_PER': {
      const max = Number(param);
      let n = 0;
      for (const p of placed) if (fieldValue(field, p) === value) n++;
      return n < max ? undefined : `${n} task(s) already run where ${field} is '${value}' (at most ${max})`;
    }
    case 'GROUP_BY': {
      const counts = countsOf(field, placed);
      const n = counts.get(value);
      if (n === undefined) return undefined; // a value not used yet always balances
      const expected = c.value === undefined ? 0 : Number(param);
      if (counts.size < expected) {
        return `waiting for ${expected} distinct values of ${field}, seen ${counts.size}; '${value}' already has ${n} task(s)`;
      }
      const least = Math.min(...counts.values());
      return n === least ? undefined : `${field} '${value}' has ${n} task(s), the least used value has ${least}`;
    }
  }
}

/**
 * Whether a task may be placed on `candidate` (an offer, or `{hostname, attributes}`)
 * given where the tasks it is constrained with (Marathon: the app's tasks) already run.
 * Pure. Semantics follow Marathon:
 *
 * - `UNIQUE`: no placed task has the candidate's value.
 * - `CLUSTER v`: the value is `v`; without `v`, the value of the first placed task (any value when none).
 * - `GROUP_BY [n]`: the candidate's value is unused, or is among the least used ones and at
 *   least `n` distinct values are in use (so tasks balance over the values seen so far).
 * - `MAX_PER n`: fewer than `n` placed tasks have the candidate's value.
 * - `LIKE re` / `UNLIKE re`: the value matches (does not match) `re` as a whole.
 * - `IS v`: the value equals `v` (scalars compared to the thousandth).
 * - A candidate without the attribute passes only `UNLIKE`.
 *
 * Attributes compare as text the way Marathon formats them: scalars with at
 * most three decimals, ranges `[b-e,...]`, sets `{a,b}` (sorted).
 *
 * @returns `{ ok: true }`, or the first failed constraint with a stable `reason`
 *   (`constraint rack:MAX_PER:2`, usable as a decline reason) and a `detail`.
 *
 * @example
 * ```ts
 * const unique = [parseConstraint(['hostname', 'UNIQUE'])];
 * checkConstraints(unique, { hostname: 'h1' }, [{ hostname: 'h1' }]);
 * // { ok: false, reason: 'constraint hostname:UNIQUE', detail: "a task already runs where hostname is 'h1'", ... }
 * ```
 */
export function checkConstraints(
  constraints: readonly Constraint[],
  candidate: Placement,
  placed: readonly Placement[],
): ConstraintCheck {
  for (const constraint of constraints) {
    const detail = violation(constraint, fieldValue(constraint.field, candidate), placed);
    if (detail !== undefined) {
      return { ok: false, reason: `constraint ${formatConstraint(constraint)}`, detail, constraint };
    }
  }
  return { ok: true };
}
