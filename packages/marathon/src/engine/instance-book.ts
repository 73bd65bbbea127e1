// The leader's book of instances: records (mirrored in the state store), which
// of them are persisted (only those may be offered), and the definition each
// pending one launches with. Answers the Scheduler's sources: pending tasks,
// placements for constraints, tasks to reconcile.

import type { LaunchedTask, PendingGroup, Placement, ReconcileTask, WantedTask } from '@mesocosm/framework-sdk';
import type { AppDefinition } from '../model/app-definition.js';
import type { InstanceView } from '../planner/instance.js';
import type { InstanceRecord } from '../state/instance-record.js';
import { viewOf } from './instance-status.js';
import { wantedTask } from './task-builder.js';

/** Instances by task ID. */
export class InstanceBook {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly persisted = new Set<string>();
  private readonly wanted = new Map<string, { app: AppDefinition; task: WantedTask }>();

  get(taskId: string): InstanceRecord | undefined {
    return this.records.get(taskId);
  }

  /** Adds or replaces a record. */
  set(record: InstanceRecord): void {
    this.records.set(record.taskId, record);
  }

  /** A new instance to launch with `app`: offered once {@link markPersisted}. */
  addPending(record: InstanceRecord, app: AppDefinition): void {
    this.records.set(record.taskId, record);
    this.wanted.set(record.taskId, { app, task: wantedTask(app, record.taskId) });
  }

  /** Its record is in the store: it may be launched. */
  markPersisted(taskId: string): void {
    if (this.records.has(taskId)) this.persisted.add(taskId);
  }

  /** Loaded from the store (persisted by definition). */
  load(record: InstanceRecord): void {
    this.records.set(record.taskId, record);
    this.persisted.add(record.taskId);
  }

  delete(taskId: string): void {
    this.records.delete(taskId);
    this.persisted.delete(taskId);
    this.wanted.delete(taskId);
  }

  clear(): void {
    this.records.clear();
    this.persisted.clear();
    this.wanted.clear();
  }

  all(): InstanceRecord[] {
    return [...this.records.values()];
  }

  ofApp(appId: string): InstanceRecord[] {
    return this.all().filter((r) => r.appId === appId);
  }

  /** The definition a pending instance launches with. */
  launchDefinition(taskId: string): AppDefinition | undefined {
    return this.wanted.get(taskId)?.app;
  }

  /** Launched: no longer pending. */
  launched(t: LaunchedTask): void {
    this.wanted.delete(t.taskId);
  }

  /** What may be offered now, per app. */
  pendingGroups(): PendingGroup[] {
    const groups = new Map<string, WantedTask[]>();
    for (const [taskId, { task }] of this.wanted) {
      const r = this.records.get(taskId);
      if (!r || r.state !== 'pending' || r.killRequested || r.unconfirmed || !this.persisted.has(taskId)) continue;
      groups.set(r.appId, [...(groups.get(r.appId) ?? []), task]);
    }
    return [...groups].map(([key, tasks]) => ({ key, tasks }));
  }

  /** Where an app's launched instances run (for its constraints). */
  placed(appId: string): Placement[] {
    return this.ofApp(appId)
      .filter((r) => r.host !== undefined && r.killRequested !== true)
      .map((r) => ({ hostname: r.host ?? null, attributes: r.attributes ?? {} }));
  }

  /** Tasks to reconcile: every launched one, and pending ones a previous leader may have launched. */
  known(): ReconcileTask[] {
    return this.all()
      .filter((r) => r.state !== 'pending' || r.unconfirmed === true)
      .map((r) => (r.agentId ? { taskId: r.taskId, agentId: r.agentId } : { taskId: r.taskId }));
  }

  /** The planner's view of an app's instances. */
  views(
    appId: string,
    app: AppDefinition | undefined,
    now: number,
    passedReadiness: (taskId: string) => boolean = () => false,
  ): InstanceView[] {
    return this.ofApp(appId).flatMap((r) => viewOf(r, app, now, passedReadiness(r.taskId)) ?? []);
  }
}
