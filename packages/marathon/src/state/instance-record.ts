// One task of an app as the leader keeps it, in memory and in the state
// store (`instances/<taskId>`). The record is written before the task is
// offered to the cluster, so a new leader neither launches it twice nor
// forgets it.

/** Where an instance is: `pending` (recorded, not launched yet) or a Mesos task state name. */
export type InstanceState =
  'pending' | 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_KILLING' | 'TASK_UNREACHABLE';

/** An instance (task) of an app. Times are ms since the epoch (the engine's clock). */
export interface InstanceRecord {
  readonly taskId: string;
  readonly appId: string;
  /** The app's config version it was launched from (`versionInfo.lastConfigChangeAt`). */
  readonly version: string;
  /** The app's full version (`version`) at launch: Marathon's task JSON `version`. */
  readonly appVersion: string;
  readonly state: InstanceState;
  readonly agentId?: string;
  readonly host?: string;
  /** The agent's attributes as constraints compare them (name → text). */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
  /** The last health result; absent while there is none. */
  readonly healthy?: boolean;
  /** When it turned unhealthy (for the kill after maxConsecutiveFailures intervals). */
  readonly unhealthySince?: number;
  /** Recorded (before launch). */
  readonly createdAt: number;
  /** Launched (ACCEPT sent). */
  readonly stagedAt?: number;
  /** First TASK_RUNNING. */
  readonly startedAt?: number;
  /** A kill was sent: whatever happens next, it is not a failure. */
  readonly killRequested?: boolean;
  /** When the agent became unreachable (TASK_UNREACHABLE). */
  readonly unreachableSince?: number;
  /** Loaded by a new leader before any status about it arrived (pending ones may or may not have launched). */
  readonly unconfirmed?: boolean;
}

const STATES: readonly string[] = [
  'pending',
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_UNREACHABLE',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const optNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const optString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads a stored instance; undefined when the value is not one (a corrupt record is skipped, not fatal). */
export function decodeInstance(value: unknown): InstanceRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { taskId, appId, version, state } = value;
  if (typeof taskId !== 'string' || typeof appId !== 'string' || typeof version !== 'string') return undefined;
  if (typeof state !== 'string' || !STATES.includes(state)) return undefined;
  const ports = Array.isArray(value.ports) ? value.ports.filter((p): p is number => typeof p === 'number') : [];
  const out: Record<string, unknown> = {
    taskId,
    appId,
    version,
    appVersion: typeof value.appVersion === 'string' ? value.appVersion : version,
    state,
    ports,
    createdAt: optNumber(value.createdAt) ?? 0,
  };
  for (const k of ['agentId', 'host'] as const) if (optString(value[k]) !== undefined) out[k] = value[k];
  for (const k of ['stagedAt', 'startedAt', 'unhealthySince', 'unreachableSince'] as const) {
    if (optNumber(value[k]) !== undefined) out[k] = value[k];
  }
  if (isRecord(value.attributes)) {
    out.attributes = Object.fromEntries(Object.entries(value.attributes).filter(([, v]) => typeof v === 'string'));
  }
  if (typeof value.healthy === 'boolean') out.healthy = value.healthy;
  if (value.killRequested === true) out.killRequested = true;
  return out as unknown as InstanceRecord;
}

/** The stored form (the in-memory `unconfirmed` flag is not stored). */
export function encodeInstance(i: InstanceRecord): Record<string, unknown> {
  const { unconfirmed: _u, ...rest } = i;
  return { ...rest, ports: [...i.ports] };
}
