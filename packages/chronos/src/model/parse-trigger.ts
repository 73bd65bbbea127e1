// Reads when a job runs: exactly one of `schedule` (ISO 8601, Chronos),
// `cron` (Metronome's form) or `parents` (a dependent job); the zone
// (`scheduleTimeZone`, or Metronome's `timezone`); `epsilon` and `catchUp`.
import { validateCron } from '../schedule/cron.js';
import { parseFixedDuration } from '../schedule/iso-duration.js';
import { parseSchedule } from '../schedule/iso-interval.js';
import { validateTimeZone } from '../schedule/zones.js';
import {
  CATCH_UP_POLICIES,
  isValidJobName,
  type CatchUpPolicy,
  type JobDefaults,
  type JobTrigger,
} from './job-definition.js';
import { Problems, has, readArray, readString, stringItem, type JsonObject } from './readers.js';

function readZone(job: JsonObject, p: Problems): string {
  const chronos = readString(job, 'scheduleTimeZone', p);
  const metronome = readString(job, 'timezone', p);
  if (chronos !== '' && metronome !== '' && chronos !== metronome) {
    p.add('timezone', `'${metronome}' contradicts scheduleTimeZone '${chronos}': give one of them`);
  }
  const zone = chronos !== '' ? chronos : metronome;
  if (zone === '') return '';
  return (
    p.guard(chronos !== '' ? 'scheduleTimeZone' : 'timezone', () => validateTimeZone(zone, 'scheduleTimeZone')) ?? ''
  );
}

function readParents(job: JsonObject, name: string, p: Problems): string[] {
  const parents = readArray(job, 'parents', p, stringItem(p));
  if (parents.length === 0) p.add('parents', 'must name at least one parent job');
  parents.forEach((parent, i) => {
    if (!isValidJobName(parent)) p.add(`parents[${i}]`, `'${parent}' is not a valid job name`);
    if (parent === name) p.add(`parents[${i}]`, `a job cannot depend on itself ('${name} -> ${name}')`);
  });
  const unique = [...new Set(parents)];
  if (unique.length !== parents.length) p.add('parents', 'names a parent more than once');
  return unique;
}

/** Reads the trigger; `undefined` when it has problems (recorded in `p`). */
export function readTrigger(job: JsonObject, name: string, now: number, p: Problems): JobTrigger | undefined {
  const given = ['schedule', 'cron', 'parents'].filter((k) => has(job, k));
  if (given.length !== 1) {
    p.add(
      given.length === 0 ? 'schedule' : given.join('+'),
      given.length === 0
        ? 'a job needs one of schedule (ISO 8601, e.g. R/2026-12-01T00:00:00Z/PT1H), cron (e.g. "0 2 * * *") or parents'
        : `a job has exactly one of schedule, cron or parents; got ${given.join(' and ')}`,
    );
    return undefined;
  }
  const zone = readZone(job, p);
  if (has(job, 'parents')) {
    if (zone !== '') p.add('scheduleTimeZone', 'applies only to schedule or cron, not to a dependent job');
    return { kind: 'dependency', parents: readParents(job, name, p) };
  }
  if (has(job, 'cron')) {
    const text = readString(job, 'cron', p);
    const timeZone = zone === '' ? 'UTC' : zone;
    const expression = p.guard('cron', () => validateCron(text, timeZone, 'cron'));
    return expression === undefined ? undefined : { kind: 'cron', expression, timeZone, since: now };
  }
  const text = readString(job, 'schedule', p);
  const interval = p.guard('schedule', () => parseSchedule(text, { now, timeZone: zone }));
  return interval === undefined ? undefined : { kind: 'iso8601', interval };
}

/** `epsilon` as written (or the default) and in milliseconds. */
export function readEpsilon(
  job: JsonObject,
  defaults: JobDefaults,
  p: Problems,
): { epsilon: string; epsilonMs: number } {
  const epsilon = readString(job, 'epsilon', p, defaults.epsilon) || defaults.epsilon;
  const ms = p.guard('epsilon', () => parseFixedDuration(epsilon, 'epsilon'));
  return { epsilon, epsilonMs: ms ?? 0 };
}

/** `catchUp`: one of epsilon, runOnce, runAll. */
export function readCatchUp(job: JsonObject, defaults: JobDefaults, p: Problems): CatchUpPolicy {
  const text = readString(job, 'catchUp', p, defaults.catchUp);
  const policy = CATCH_UP_POLICIES.find((c) => c === text);
  if (policy === undefined) p.add('catchUp', `must be one of ${CATCH_UP_POLICIES.join(', ')}, got '${text}'`);
  return policy ?? defaults.catchUp;
}
