// The engine: what the leader knows (apps, versions, deployments, instances)
// and what it does about it. Status updates and launches come in from the
// Scheduler; kills and pending tasks go out through a ClusterPort. Every
// change ends in `converge()` (converge.ts), which brings deployments and
// apps one step closer to what they should be.

import { randomUUID } from 'node:crypto';
import {
  constraintAttributeValue,
  portsOf,
  Resources,
  type Clock,
  type ITaskStatus,
  type LaunchedTask,
  type Logger,
  type TimerHandle,
} from '@mesocosm/framework-sdk';
import type { AppDefinition } from '../model/app-definition.js';
import { configVersion } from '../planner/instance.js';
import { DEFAULT_KILL_RATE, TokenBucket, type KillRateOptions } from '../planner/kill-rate-limit.js';
import { LaunchBackoff } from '../planner/launch-backoff.js';
import type { DeploymentState } from '../state/deployment-record.js';
import type { InstanceRecord } from '../state/instance-record.js';
import type { LoadedState, MarathonStore } from '../state/marathon-store.js';
import type { ClusterPort } from './cluster-port.js';
import { converge } from './converge.js';
import { EventBus } from './event-bus.js';
import { InstanceBook } from './instance-book.js';
import { applyStatus } from './instance-status.js';
import { assignedPorts, hostPortSlots } from './task-builder.js';
import { httpReadinessProbe, ReadinessProber, type ReadinessProbe } from './readiness-prober.js';
import { taskIdFor } from './task-id.js';
import { statusEvent } from './render.js';
import { WriteQueue } from './write-queue.js';

/** Tunables of the engine. */
export interface EngineOptions {
  clock: Clock;
  logger: Logger;
  /** Kills of unhealthy tasks (default: a burst of 10, then one a second). */
  killRate?: KillRateOptions;
  /** Apps without health checks: failures are forgiven once a task has run this long (default 30 000). */
  forgiveAfterMs?: number;
  /** Stored versions kept per app (default 50, as Marathon's `max_versions`). */
  maxVersions?: number;
  /** Events kept for Last-Event-ID replay (default 1000). */
  eventRetention?: number;
  /** A kill not answered by a terminal update within this time is sent again (default 10 000, Marathon's `task_kill_retry_timeout`). */
  killRetryMs?: number;
  /** How readiness checks reach a task (default: an HTTP GET with the check's timeout). */
  readinessProbe?: ReadinessProbe;
}

/** The last failed task of an app (`lastTaskFailure`). */
export interface TaskFailure {
  readonly appId: string;
  readonly taskId: string;
  readonly state: string;
  readonly message: string;
  readonly host: string;
  readonly timestamp: string;
  readonly version: string;
  readonly slaveId: string | null;
}

/** Marathon's engine. Public fields are read by converge.ts and the service: treat them as internal. */
export class MarathonEngine {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly book = new InstanceBook();
  /** @internal */ apps = new Map<string, AppDefinition>();
  /** @internal stored versions per app, oldest first. */ versions = new Map<string, AppDefinition[]>();
  /** @internal in start order. */ deployments = new Map<string, DeploymentState>();
  /** @internal */ readonly backoff = new LaunchBackoff();
  /** @internal */ bucket: TokenBucket;
  /** @internal */ readonly lastFailures = new Map<string, TaskFailure>();
  /** @internal */ store: MarathonStore | undefined;
  /** @internal */ cluster: ClusterPort | undefined;
  /** @internal */ readonly writes: WriteQueue;
  readonly options: Required<Omit<EngineOptions, 'clock' | 'logger' | 'readinessProbe'>>;
  /** @internal readiness checks of new tasks (Marathon probes these itself, as Marathon does). */
  readonly readiness: ReadinessProber;
  /** @internal when each unanswered kill was last sent (converge sends it again after `killRetryMs`). */
  readonly killsSent = new Map<string, number>();
  /** @internal counts kills and launches issued (converge compares it across a round). */ actions = 0;
  private timer: TimerHandle | undefined;
  private converging = false;
  private again = false;

  constructor(options: EngineOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.options = {
      killRate: options.killRate ?? DEFAULT_KILL_RATE,
      forgiveAfterMs: options.forgiveAfterMs ?? 30_000,
      maxVersions: options.maxVersions ?? 50,
      eventRetention: options.eventRetention ?? 1000,
      killRetryMs: options.killRetryMs ?? 10_000,
    };
    this.bus = new EventBus(this.clock, this.options.eventRetention);
    this.writes = new WriteQueue(this.logger);
    this.bucket = new TokenBucket(this.options.killRate, this.clock.now());
    this.readiness = new ReadinessProber(
      this.clock,
      this.logger,
      options.readinessProbe ?? httpReadinessProbe,
      (taskId) => {
        this.logger.info('task ready', { taskId });
        this.converge();
      },
    );
  }

  /** True while leading (state loaded, cluster attached). */
  get leading(): boolean {
    return this.cluster !== undefined;
  }

  /** Takes over `loaded` state and starts acting through `cluster`. */
  lead(loaded: LoadedState, store: MarathonStore, cluster: ClusterPort): void {
    this.clearState();
    this.store = store;
    for (const app of loaded.apps) this.apps.set(app.id, app);
    for (const [id, list] of loaded.versions) {
      this.versions.set(
        id,
        [...list].sort((a, b) => ((a.version ?? '') < (b.version ?? '') ? -1 : 1)),
      );
    }
    for (const d of [...loaded.deployments].sort((a, b) => a.startedAt - b.startedAt))
      this.deployments.set(d.plan.id, d);
    // A pending record may have been launched by the previous leader: it stays "staging" until reconciled.
    for (const r of loaded.instances) this.book.load(r.state === 'pending' ? { ...r, unconfirmed: true } : r);
    // Kills the previous leader sent may have been lost with it: send them again on the first round.
    for (const r of loaded.instances)
      if (r.killRequested === true) this.killsSent.set(r.taskId, Number.NEGATIVE_INFINITY);
    this.bucket = new TokenBucket(this.options.killRate, this.clock.now());
    this.cluster = cluster;
    // Readiness is not stored: a new leader probes running tasks again.
    for (const r of this.book.all()) if (r.state === 'TASK_RUNNING') this.readiness.watch(r, this.apps.get(r.appId));
    this.converge();
  }

  /** Stops acting at once (deposed, or stopping); forgets the in-memory state. */
  stopLeading(): void {
    this.cluster = undefined;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.clearState();
  }

  private clearState(): void {
    this.apps = new Map();
    this.versions = new Map();
    this.deployments = new Map();
    this.book.clear();
    this.killsSent.clear();
    this.readiness.clear();
    this.lastFailures.clear();
    for (const e of this.backoff.entriesList()) this.backoff.reset(e.appId);
  }

  /** Queues a store write (dropped when not leading). */
  write(what: string, fn: (store: MarathonStore) => Promise<unknown>): Promise<unknown> {
    const store = this.store;
    if (!store || !this.leading) return Promise.resolve();
    return this.writes.push(what, () => fn(store));
  }

  // ---- launches and kills ------------------------------------------------------

  /** Records `count` new instances of `app` (store first), then offers them. */
  launch(app: AppDefinition, count: number): void {
    const now = this.clock.now();
    if (count > 0) this.actions++;
    for (let i = 0; i < count; i++) {
      const record: InstanceRecord = {
        taskId: taskIdFor(app.id, randomUUID()),
        appId: app.id,
        version: configVersion(app),
        appVersion: app.version ?? '',
        state: 'pending',
        ports: [],
        createdAt: now,
      };
      this.book.addPending(record, app);
      this.write(`instances/${record.taskId}`, (s) => s.putInstance(record)).then(
        () => {
          this.book.markPersisted(record.taskId);
          this.cluster?.refresh();
        },
        () => {
          // Not recorded: never offered. converge() will decide again.
          this.book.delete(record.taskId);
          this.converge();
        },
      );
    }
  }

  /** Kills an instance (not a failure when it ends). */
  kill(taskId: string, why: string): void {
    const r = this.book.get(taskId);
    if (!r || r.killRequested) return;
    this.logger.info('killing task', { taskId, why });
    this.actions++;
    if (r.state === 'pending' && !r.unconfirmed) {
      // Never launched: forgetting it is enough.
      this.book.delete(taskId);
      void this.write(`instances/${taskId}`, (s) => s.deleteInstance(taskId));
      this.cluster?.refresh();
      return;
    }
    const next = { ...r, killRequested: true };
    this.readiness.forget(taskId);
    this.book.set(next);
    void this.write(`instances/${taskId}`, (s) => s.putInstance(next));
    this.sendKill(next);
  }

  /** @internal sends (or sends again) the kill of a record that has `killRequested`. */
  sendKill(r: InstanceRecord): void {
    this.killsSent.set(r.taskId, this.clock.now());
    this.cluster?.kill(r.taskId, r.agentId, this.apps.get(r.appId)?.taskKillGracePeriodSeconds);
  }

  /** The Scheduler launched these (their ACCEPT is about to go out). */
  onLaunched(tasks: readonly LaunchedTask[]): void {
    const now = this.clock.now();
    for (const t of tasks) {
      const r = this.book.get(t.taskId);
      const app = this.book.launchDefinition(t.taskId);
      this.book.launched(t);
      if (!r) continue;
      const picked = portsOf(Resources.fromProto(t.task.resources ?? []));
      const attributes: Record<string, string> = {};
      for (const a of t.offer.attributes ?? []) if (a.name) attributes[a.name] = constraintAttributeValue(a);
      const next: InstanceRecord = {
        ...r,
        state: 'TASK_STAGING',
        agentId: t.offer.agentId?.value ?? '',
        host: t.offer.hostname ?? '',
        attributes,
        ports: app ? assignedPorts(hostPortSlots(app), picked) : picked,
        stagedAt: now,
      };
      this.book.set(next);
      void this.write(`instances/${t.taskId}`, (s) => s.putInstance(next));
    }
  }

  /** A status update; resolves once it is persisted (then the SDK acknowledges it). */
  async onUpdate(status: ITaskStatus): Promise<void> {
    if (!this.leading) return;
    const taskId = status.taskId?.value ?? '';
    const r = this.book.get(taskId);
    const now = this.clock.now();
    if (!r) {
      this.unknownTask(status);
      return;
    }
    const outcome = applyStatus(r, status, now);
    const app = this.apps.get(r.appId);
    let written: Promise<unknown>;
    if (outcome.kind === 'terminal') {
      this.book.delete(taskId);
      this.killsSent.delete(taskId);
      this.readiness.forget(taskId);
      written = this.write(`instances/${taskId}`, (s) => s.deleteInstance(taskId));
      if (outcome.failed && app) this.recordFailure(app, outcome.record, outcome.state, status, now);
      this.bus.publish('status_update_event', statusEvent(outcome.record, outcome.state, status));
      this.instanceChanged(outcome.record, outcome.state);
    } else {
      this.book.set(outcome.record);
      written = this.write(`instances/${taskId}`, (s) => s.putInstance(outcome.record));
      if (outcome.stateChanged) {
        const state = outcome.record.state;
        this.bus.publish('status_update_event', statusEvent(outcome.record, state, status));
        this.instanceChanged(outcome.record, state);
        if (state === 'TASK_RUNNING' && outcome.record.killRequested !== true)
          this.readiness.watch(outcome.record, app);
      }
      if (outcome.health !== undefined) this.healthChanged(outcome.record, outcome.health, status, app);
    }
    this.converge();
    await written;
  }

  private unknownTask(status: ITaskStatus): void {
    const taskId = status.taskId?.value ?? '';
    const state = status.state ?? 0;
    // Terminal updates of forgotten tasks need nothing; a live unknown task is an orphan: kill it.
    if ([0, 1, 2, 3].includes(state) && taskId !== '') {
      this.logger.warn('killing a task this Marathon does not know', { taskId });
      this.cluster?.kill(taskId, status.agentId?.value || undefined, undefined);
    }
  }

  private recordFailure(app: AppDefinition, r: InstanceRecord, state: string, status: ITaskStatus, now: number): void {
    this.backoff.recordFailure(app, now);
    this.lastFailures.set(app.id, {
      appId: app.id,
      taskId: r.taskId,
      state,
      message: status.message ?? '',
      host: r.host ?? '',
      timestamp: new Date(now).toISOString(),
      version: r.appVersion,
      slaveId: r.agentId ?? null,
    });
  }

  private instanceChanged(r: InstanceRecord, state: string): void {
    this.bus.publish('instance_changed_event', {
      instanceId: r.taskId,
      condition: state
        .replace(/^TASK_/, '')
        .toLowerCase()
        .replace(/^./, (c) => c.toUpperCase()),
      runSpecId: r.appId,
      agentId: r.agentId ?? null,
      host: r.host ?? '',
      runSpecVersion: r.appVersion,
    });
  }

  private healthChanged(r: InstanceRecord, alive: boolean, status: ITaskStatus, app: AppDefinition | undefined): void {
    this.bus.publish('health_status_changed_event', {
      appId: r.appId,
      taskId: r.taskId,
      instanceId: r.taskId,
      version: r.appVersion,
      alive,
    });
    if (alive) this.backoff.recordHealthy(r.appId);
    else {
      this.bus.publish('failed_health_check_event', {
        appId: r.appId,
        taskId: r.taskId,
        instanceId: r.taskId,
        healthCheck: app?.healthChecks[0] ?? null,
        message: status.message ?? '',
      });
    }
  }

  // ---- the loop ---------------------------------------------------------------------

  /** Brings everything one step closer to its goal; re-entrant calls are folded into one more round. */
  converge(): void {
    if (!this.leading) return;
    if (this.converging) {
      this.again = true;
      return;
    }
    this.converging = true;
    try {
      // A round that acted may have finished a step: decide again, a few rounds at most.
      for (let round = 0; round < 10; round++) {
        this.again = false;
        const { wakeAt, acted } = converge(this);
        this.arm(wakeAt);
        if (!(this.again || acted) || !this.leading) break;
      }
    } finally {
      this.converging = false;
    }
  }

  private arm(at: number | undefined): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (at === undefined || !this.leading) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.converge();
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}
