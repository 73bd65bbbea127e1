// Cron schedules, as Metronome offers them: five fields (minute hour
// day-of-month month day-of-week) or a macro such as @daily, read in a tz
// database zone. cron-parser does the matching and follows the same DST rule
// as ISO schedules (see zones.ts): a time skipped by spring-forward runs
// shifted forward by the gap, a time repeated by fall-back runs once, at its
// first occurrence. Expressions whose hour field is a wildcard or step keep
// running through the repeated hour, since those are distinct instants.
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { InvalidScheduleError } from '../errors.js';
import { validateTimeZone } from './zones.js';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

function expressionFrom(expression: string, timeZone: string, currentDate: number): CronExpression {
  return CronExpressionParser.parse(expression, { currentDate, tz: timeZone });
}

/**
 * Checks a cron expression (five fields or a macro) and its zone, and
 * returns the expression trimmed. `field` names the JSON field in errors.
 */
export function validateCron(expression: string, timeZone: string, field = 'cron'): string {
  const text = expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length === 1 && text.startsWith('@') && !MACROS.has(text)) {
    throw new InvalidScheduleError(field, expression, `is not a known macro: use one of ${[...MACROS].join(', ')}`);
  }
  if (!(fields.length === 5 || (fields.length === 1 && MACROS.has(text)))) {
    const count = text === '' ? 0 : fields.length;
    throw new InvalidScheduleError(
      field,
      expression,
      `has ${count} field${count === 1 ? '' : 's'}: write five (minute hour day-of-month month day-of-week, e.g. '0 2 * * *') or one of ${[...MACROS].join(', ')}`,
    );
  }
  validateTimeZone(timeZone, 'scheduleTimeZone');
  try {
    expressionFrom(text, timeZone, 0).next();
  } catch (err) {
    throw new InvalidScheduleError(field, expression, `is not a valid cron expression: ${(err as Error).message}`);
  }
  return text;
}

/** Up to `limit` run times strictly after `after` and at or before `until`, ascending. */
export function cronRunsAfter(
  expression: string,
  timeZone: string,
  after: number,
  limit: number,
  until = Number.POSITIVE_INFINITY,
): number[] {
  const runs: number[] = [];
  const expr = expressionFrom(expression, timeZone, after);
  while (runs.length < limit) {
    const next = expr.next().getTime();
    if (next > until) break;
    // cron-parser works to the second: skip a match equal to `after` itself.
    if (next > after) runs.push(next);
  }
  return runs;
}

/** The last run time at or before `t`, or null when there is none after `floor`. */
export function cronLatestAtOrBefore(expression: string, timeZone: string, t: number, floor: number): number | null {
  const prev = expressionFrom(expression, timeZone, t + 1)
    .prev()
    .getTime();
  return prev > floor && prev <= t ? prev : null;
}
