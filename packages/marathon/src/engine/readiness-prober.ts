// Readiness checks, as Marathon runs them: from Marathon itself, an HTTP(S)
// GET to a new task's named port every `intervalSeconds` until it answers one
// of `httpStatusCodesForReady`; then the task counts toward its deployment.
// Unlike health checks (which run on the agents), only tasks that have not
// passed yet are probed, and each only until it passes: a bounded number of
// probes per deployment, never a steady flood.
import type { Clock, Logger, TimerHandle } from '@mesocosm/framework-sdk';
import type { AppDefinition, ReadinessCheck } from '../model/app-definition.js';
import type { InstanceRecord } from '../state/instance-record.js';

/** One probe: the HTTP status the URL answered, or undefined when it did not answer within `timeoutMs`. */
export type ReadinessProbe = (url: string, timeoutMs: number) => Promise<number | undefined>;

/** A GET with a deadline; any status counts as an answer, connection errors and timeouts do not. */
export const httpReadinessProbe: ReadinessProbe = async (url, timeoutMs) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
};

/** The last result of a task's readiness check (Marathon's `readinessCheckResults`). */
export interface ReadinessResult {
  readonly name: string;
  readonly taskId: string;
  readonly ready: boolean;
  /** The last status answered (absent: no answer yet, or none within the timeout). */
  readonly lastStatus?: number;
}

/** The names of an app's ports in the order of an instance record's `ports` (see `hostPortSlots`). */
function portNames(app: AppDefinition): (string | undefined)[] {
  if (app.network === 'HOST') return app.portDefinitions.map((d) => d.name);
  return (app.container?.portMappings ?? []).filter((m) => m.hostPort !== undefined).map((m) => m.name);
}

/** The URL a check probes on an instance, or a reason it has none. */
export function readinessUrl(app: AppDefinition, check: ReadinessCheck, r: InstanceRecord): string | Error {
  const index = portNames(app).indexOf(check.portName);
  const port = index < 0 ? undefined : r.ports[index];
  if (port === undefined || !r.host) return new Error(`no host port named '${check.portName}' on ${r.taskId}`);
  const path = check.path.startsWith('/') ? check.path : `/${check.path}`;
  return `${check.protocol.toLowerCase()}://${r.host}:${port}${path}`;
}

interface Probing {
  appId: string;
  timer: TimerHandle | undefined;
  result: ReadinessResult;
  stopped: boolean;
}

/** Probes running tasks of apps with a readiness check until each is ready. */
export class ReadinessProber {
  private readonly probing = new Map<string, Probing>();
  private readonly ready = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly probe: ReadinessProbe,
    /** Called once per task when it first passes. */
    private readonly onReady: (taskId: string) => void,
  ) {}

  /** True once the task has passed its app's readiness check. */
  isReady(taskId: string): boolean {
    return this.ready.has(taskId);
  }

  /** Starts probing a running task when its app has a readiness check and it has not passed yet. */
  watch(r: InstanceRecord, app: AppDefinition | undefined): void {
    const check = app?.readinessChecks[0];
    if (!app || !check || this.ready.has(r.taskId) || this.probing.has(r.taskId)) return;
    const url = readinessUrl(app, check, r);
    if (url instanceof Error) {
      this.logger.warn('readiness check cannot run', { taskId: r.taskId, error: url.message });
      return;
    }
    const p: Probing = {
      appId: r.appId,
      timer: undefined,
      result: { name: check.name, taskId: r.taskId, ready: false },
      stopped: false,
    };
    this.probing.set(r.taskId, p);
    const round = async (): Promise<void> => {
      p.timer = undefined;
      const status = await this.probe(url, check.timeoutSeconds * 1000);
      if (p.stopped) return;
      const ready = status !== undefined && check.httpStatusCodesForReady.includes(status);
      p.result = { name: check.name, taskId: r.taskId, ready, ...(status === undefined ? {} : { lastStatus: status }) };
      if (ready) {
        this.probing.delete(r.taskId);
        this.ready.add(r.taskId);
        this.onReady(r.taskId);
        return;
      }
      p.timer = this.clock.setTimeout(() => void round(), check.intervalSeconds * 1000);
    };
    void round();
  }

  /** The task is gone or being killed: stop probing it and forget its result. */
  forget(taskId: string): void {
    const p = this.probing.get(taskId);
    if (p) {
      p.stopped = true;
      if (p.timer) this.clock.clearTimeout(p.timer);
      this.probing.delete(taskId);
    }
    this.ready.delete(taskId);
  }

  /** Results of an app's tasks still being probed (those not ready yet). */
  pending(appId: string): ReadinessResult[] {
    return [...this.probing.values()].filter((p) => p.appId === appId).map((p) => p.result);
  }

  /** Stops every probe (leadership lost, or stopping). */
  clear(): void {
    for (const id of [...this.probing.keys()]) this.forget(id);
    this.ready.clear();
  }
}
