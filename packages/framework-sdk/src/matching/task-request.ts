// What a framework wants to run, before it has an offer.
import { Resources, ValidationError } from '@mesocosm/protocol';
import type {
  ICommandInfo,
  IContainerInfo,
  IExecutorInfo,
  IHealthCheck,
  IKillPolicy,
  ILabels,
  IOffer,
} from '@mesocosm/protocol';
import type { Constraint } from './constraints.js';
import type { Placement } from './constraints-values.js';

/**
 * A task to place: its ID, what it needs and how to run it.
 *
 * @example
 * ```ts
 * const request: TaskRequest = {
 *   taskId: 'web-1',
 *   resources: 'cpus:0.5;mem:64',
 *   ports: 1,
 *   command: { value: 'python3 -m http.server $PORT0' },
 *   accept: (offer) => (offer.hostname === 'db-1' ? 'not on the database host' : undefined),
 * };
 * ```
 */
export interface TaskRequest {
  /** Unique within the framework. */
  taskId: string;
  /** Defaults to `taskId`. */
  name?: string;
  /**
   * What the task needs, as `Resources` or Mesos' text form (`'cpus:0.5;mem:64'`).
   * Entries without a role may be taken from any role of the offer (reserved roles
   * first); entries with a role (`'cpus(web):1'`) only from that role.
   */
  resources: Resources | string;
  /** How many host ports to pick from the offer's `ports` (see {@link assignPorts}). */
  ports?: number;
  /** A command for the agent's command executor (`value` runs under `/bin/sh -c`); give it or `executor`. */
  command?: ICommandInfo;
  /** A Docker container (or MESOS volumes) for the task; see docs/containers.md. */
  container?: IContainerInfo;
  /** A custom executor to run the task, instead of `command`. */
  executor?: IExecutorInfo;
  /** Free key/value pairs carried on the task. */
  labels?: ILabels;
  /** A COMMAND, HTTP or TCP health check; results arrive as `healthy` in the task's updates. */
  healthCheck?: IHealthCheck;
  /** The grace period between SIGTERM and SIGKILL when the task is killed. */
  killPolicy?: IKillPolicy;
  /** Opaque bytes for the executor (`TaskInfo.data`). */
  data?: Uint8Array;
  /**
   * Optional predicate over the offer, checked before {@link constraints}.
   * Return a reason string to refuse the offer, `undefined` to accept it.
   */
  accept?: (offer: IOffer) => string | undefined;
  /**
   * Marathon placement constraints (see `parseConstraints`, `checkConstraints`),
   * checked against {@link placed} plus the tasks of the same {@link group}
   * placed earlier in the same `matchOffers` call. A refusal's decline reason
   * is `constraint <field>:<OPERATOR>[:<value>]`.
   */
  constraints?: readonly Constraint[];
  /** Where the tasks the constraints count over already run (Marathon: the app's tasks). */
  placed?: readonly Placement[];
  /**
   * Requests of one group see each other's placements within a `matchOffers`
   * call (Marathon: the app ID). Default: the empty group, shared by every request.
   */
  group?: string;
}

/**
 * The resources of a request, parsed; throws a `ValidationError` naming the task
 * when the text form is malformed.
 */
export function requestResources(request: TaskRequest): Resources {
  if (typeof request.resources !== 'string') return request.resources;
  try {
    return Resources.parse(request.resources);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ValidationError(`task ${request.taskId}.resources`, why, 'INVALID_RESOURCE');
  }
}
