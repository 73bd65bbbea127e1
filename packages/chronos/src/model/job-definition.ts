// A Chronos job as the core sees it: every field resolved to a value (the
// defaults applied), the schedule parsed. Plain data: it can be compared,
// copied and rendered back to Chronos JSON (render-job.ts).
import type { RepeatingInterval } from '../schedule/iso-interval.js';

/**
 * What a job does about runs it missed (the scheduler was down, no leader):
 * - `epsilon` (Chronos): a run that cannot start within `epsilon` of its
 *   scheduled time is skipped and recorded as skipped; one within it starts late;
 * - `runOnce`: all missed runs collapse into one run (the latest), the others
 *   are recorded as skipped;
 * - `runAll`: every missed run starts.
 */
export type CatchUpPolicy = 'epsilon' | 'runOnce' | 'runAll';

/** The catch-up policies, for validation and messages. */
export const CATCH_UP_POLICIES: readonly CatchUpPolicy[] = ['epsilon', 'runOnce', 'runAll'];

/** When a job runs: an ISO 8601 repeating interval, a cron expression, or after its parents. */
export type JobTrigger =
  | { readonly kind: 'iso8601'; readonly interval: RepeatingInterval }
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly timeZone: string;
      /** Runs strictly before this time (when the job was defined) are not the job's. */
      readonly since: number;
    }
  | { readonly kind: 'dependency'; readonly parents: readonly string[] };

/** A Docker or Mesos container, in Chronos' `container` shape. */
export interface ContainerSpec {
  readonly type: 'DOCKER' | 'MESOS';
  readonly image: string;
  readonly network: 'HOST' | 'BRIDGE' | 'USER' | 'NONE';
  readonly forcePullImage: boolean;
  readonly volumes: readonly VolumeSpec[];
  readonly parameters: readonly KeyValue[];
}

/** A volume mounted into the container. */
export interface VolumeSpec {
  readonly containerPath: string;
  readonly hostPath?: string;
  readonly mode: 'RO' | 'RW';
}

/** A `{key, value}` pair (Docker parameters). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** One entry of `environmentVariables`. */
export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
}

/** One entry of `fetch`: a URI the Mesos fetcher downloads into the sandbox. */
export interface FetchSpec {
  readonly uri: string;
  readonly executable: boolean;
  readonly extract: boolean;
  readonly cache: boolean;
  readonly outputFile?: string;
}

/** Chronos' constraint operators. */
export type ConstraintOperator = 'EQUALS' | 'LIKE' | 'UNLIKE';

/** `[attribute, operator, value]`, e.g. `["rack", "EQUALS", "rack-1"]`. */
export interface Constraint {
  readonly attribute: string;
  readonly operator: ConstraintOperator;
  readonly value: string;
}

/** A validated job. Field names and meanings are Chronos'. */
export interface JobDefinition {
  readonly name: string;
  readonly description: string;
  readonly owner: string;
  readonly ownerName: string;
  readonly command: string;
  /** `/bin/sh -c command` when true; `command` is the executable and `arguments` its arguments when false. */
  readonly shell: boolean;
  readonly arguments: readonly string[];
  readonly trigger: JobTrigger;
  /** How late a missed run may still start, as written (ISO 8601 duration). */
  readonly epsilon: string;
  readonly epsilonMs: number;
  readonly catchUp: CatchUpPolicy;
  /** Retries after a failed attempt (attempts are 0..retries). */
  readonly retries: number;
  readonly async: boolean;
  readonly disabled: boolean;
  /** Whether a run may start while another run of the job is active. */
  readonly concurrent: boolean;
  readonly cpus: number;
  /** MB. */
  readonly mem: number;
  /** MB. */
  readonly disk: number;
  readonly container: ContainerSpec | null;
  readonly environmentVariables: readonly EnvironmentVariable[];
  /** Deprecated by Chronos in favour of `fetch`; both are kept as given. */
  readonly uris: readonly string[];
  readonly fetch: readonly FetchSpec[];
  readonly constraints: readonly Constraint[];
  readonly runAsUser: string;
  readonly highPriority: boolean;
  /** Seconds a run may take before it is killed; 0 = no limit. */
  readonly maxCompletionTime: number;
}

/** The defaults a Chronos operator sets with flags (`--mesos_task_cpu`, `--task_epsilon`, ...). */
export interface JobDefaults {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly epsilon: string;
  readonly retries: number;
  readonly catchUp: CatchUpPolicy;
}

/**
 * Chronos' defaults: 0.1 CPU, 128 MB memory, 256 MB disk (`--mesos_task_*`),
 * epsilon 60 s (`--task_epsilon`), 2 retries; and the `epsilon` catch-up policy.
 */
export const CHRONOS_DEFAULTS: JobDefaults = {
  cpus: 0.1,
  mem: 128,
  disk: 256,
  epsilon: 'PT60S',
  retries: 2,
  catchUp: 'epsilon',
};

/** Chronos' rule for job names (they become part of Mesos task IDs). */
export const JOB_NAME_PATTERN = /^[\w.-]+$/;

/** The longest job name: task IDs (`ct:<millis>:<attempt>:<name>`) stay under Mesos' 255 characters. */
export const MAX_JOB_NAME_LENGTH = 200;

/** True when `name` is a valid job name. */
export function isValidJobName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_JOB_NAME_LENGTH && JOB_NAME_PATTERN.test(name);
}
