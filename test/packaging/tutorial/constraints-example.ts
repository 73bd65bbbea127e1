// packages/framework-sdk/README.md, "Constraints": Marathon's constraints,
// parsed and checked by hand (what the Scheduler does for every offer).
// #region constraints
import { checkConstraints, parseConstraints, type Placement } from '@mesocosm/framework-sdk';

const constraints = parseConstraints([
  ['hostname', 'UNIQUE'],
  ['rack', 'GROUP_BY', '2'],
  ['hostname', 'LIKE', 'web.*'],
]);

/** Why a task may not go to `candidate` given where its siblings run, or undefined when it may. */
export function whyNot(candidate: Placement, placed: readonly Placement[]): string | undefined {
  const check = checkConstraints(constraints, candidate, placed);
  return check.ok ? undefined : `${check.reason}: ${check.detail}`;
}
// #endregion constraints
