// An in-memory MarathonService for the API tests: enough behaviour to give
// every route its real status codes, and a record of the calls made.
import { AppExistsError, AppLockedError, AppValidationError, UnknownAppError } from '../../src/errors.js';
import type {
  AppEmbed,
  AppFilter,
  DeploymentResult,
  EventSubscription,
  ForceOption,
  Json,
  MarathonEvent,
  MarathonService,
} from '../../src/service/marathon-service.js';

/** A recorded call: the method and its arguments. */
export interface Call {
  method: string;
  args: unknown[];
}

class Subscription implements EventSubscription {
  private readonly queue: MarathonEvent[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(
    readonly types: readonly string[] | undefined,
    private readonly onClose: (s: Subscription) => void,
  ) {}

  push(event: MarathonEvent): void {
    if (this.types !== undefined && !this.types.includes(event.eventType)) return;
    this.queue.push(event);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.onClose(this);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MarathonEvent> {
    for (;;) {
      const next = this.queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/** The fake: apps, tasks, deployments and an event bus in memory. */
export class FakeMarathonService implements MarathonService {
  readonly calls: Call[] = [];
  readonly apps = new Map<string, Json>();
  taskList: Json[] = [];
  deploymentList: Json[] = [];
  queueList: Json[] = [];
  /** App ids held by a running deployment: changes to them are 409 unless forced. */
  readonly locked = new Set<string>();
  leading = true;
  leader: string | undefined;
  /** Thrown by the next changing call (NotLeaderError, a plain Error for 500, ...). */
  failNext: Error | undefined;
  readonly subscriptions = new Set<Subscription>();
  private readonly retained: MarathonEvent[] = [];
  private readonly leadershipListeners = new Set<() => void>();
  private nextEventId = 1;
  private nextDeployment = 1;

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  /** The recorded calls of `method`. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private change(ids: readonly string[], options: ForceOption): DeploymentResult {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
    const held = ids.filter((id) => this.locked.has(id));
    if (held.length > 0 && options.force !== true) throw new AppLockedError(held.map((id) => `lock-${id}`));
    return { version: '2026-01-01T00:00:00.000Z', deploymentId: `d-${this.nextDeployment++}` };
  }

  /** Publishes an event on the bus (retained for resumption). */
  emit(eventType: string, body: Json = {}): MarathonEvent {
    const event = { id: this.nextEventId++, eventType, timestamp: '2026-01-01T00:00:00.000Z', body };
    this.retained.push(event);
    for (const s of this.subscriptions) s.push(event);
    return event;
  }

  /** Stops leading: SSE streams must end. */
  loseLeadership(leader?: string): void {
    this.leading = false;
    this.leader = leader;
    for (const listener of this.leadershipListeners) listener();
  }

  listApps(filter?: AppFilter): Json[] {
    this.record('listApps', filter);
    return [...this.apps.values()]
      .filter((a) => filter?.id === undefined || String(a['id']).includes(filter.id))
      .map((a) => this.render(a, filter?.embed));
  }

  private render(app: Json, embed?: readonly AppEmbed[]): Json {
    const out: Json = { ...app };
    if (embed?.includes('tasks')) out['tasks'] = this.taskList.filter((t) => t['appId'] === app['id']);
    if (embed?.includes('counts')) out['tasksRunning'] = this.taskList.filter((t) => t['appId'] === app['id']).length;
    return out;
  }

  getApp(id: string, embed?: readonly AppEmbed[]): Json | undefined {
    this.record('getApp', id, embed);
    const app = this.apps.get(id);
    return app === undefined ? undefined : this.render(app, embed);
  }

  appVersions(id: string): string[] {
    return this.apps.has(id) ? ['2026-01-01T00:00:00.000Z'] : [];
  }

  appVersion(id: string, version: string): Json | undefined {
    return version === '2026-01-01T00:00:00.000Z' ? this.apps.get(id) : undefined;
  }

  async createApp(json: unknown): Promise<Json> {
    this.record('createApp', json);
    const body = (typeof json === 'object' && json !== null ? json : {}) as Json;
    if (typeof body['id'] !== 'string') throw new AppValidationError([{ path: '/id', errors: ['is required'] }]);
    const id = body['id'].startsWith('/') ? body['id'] : `/${body['id']}`;
    if (this.apps.has(id)) throw new AppExistsError(id);
    const result = this.change([id], {});
    const app = { ...body, id, instances: body['instances'] ?? 1 };
    this.apps.set(id, app);
    this.emit('api_post_event', { appDefinition: app });
    return { ...app, deployments: [{ id: result.deploymentId }] };
  }

  async updateApp(id: string, json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    this.record('updateApp', id, json, options);
    const result = this.change([id], options);
    this.apps.set(id, { ...(options.partial ? this.apps.get(id) : {}), ...(json as Json), id });
    return result;
  }

  async updateApps(json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    this.record('updateApps', json, options);
    if (!Array.isArray(json)) throw new AppValidationError([{ path: '/', errors: ['must be an array of apps'] }]);
    return this.change(
      json.map((a) => String((a as Json)['id'])),
      options,
    );
  }

  async deleteApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    this.record('deleteApp', id, options);
    if (!this.apps.has(id)) throw new UnknownAppError(`App '${id}'`);
    const result = this.change([id], options);
    this.apps.delete(id);
    return result;
  }

  async restartApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    this.record('restartApp', id, options);
    if (!this.apps.has(id)) throw new UnknownAppError(`App '${id}'`);
    return this.change([id], options);
  }

  getGroup(id: string): Json | undefined {
    this.record('getGroup', id);
    if (id === '/') return { id: '/', apps: [...this.apps.values()], groups: [] };
    return id === '/prod' ? { id: '/prod', apps: [], groups: [] } : undefined;
  }

  async putGroup(id: string, json: unknown, options: ForceOption & { create?: boolean }): Promise<DeploymentResult> {
    this.record('putGroup', id, json, options);
    if (options.create === true && id === '/prod') throw new AppExistsError(id);
    return this.change([id], options);
  }

  async deleteGroup(id: string, options: ForceOption): Promise<DeploymentResult> {
    this.record('deleteGroup', id, options);
    if (id !== '/prod' && id !== '/') throw new UnknownAppError(`Group '${id}'`);
    return this.change([id], options);
  }

  tasks(status?: string): Json[] {
    this.record('tasks', status);
    return this.taskList.filter((t) => status === undefined || t['state'] === `TASK_${status.toUpperCase()}`);
  }

  appTasks(id: string): Json[] | undefined {
    return this.apps.has(id) ? this.taskList.filter((t) => t['appId'] === id) : undefined;
  }

  async killTasks(
    taskIds: readonly string[],
    options: ForceOption & { scale?: boolean; wipe?: boolean },
  ): Promise<{ tasks: Json[] } | DeploymentResult> {
    this.record('killTasks', [...taskIds], options);
    const killed = this.taskList.filter((t) => taskIds.includes(String(t['id'])));
    if (options.scale === true) return this.change([], options);
    return { tasks: killed };
  }

  deployments(): Json[] {
    return this.deploymentList;
  }

  async cancelDeployment(id: string, options: ForceOption): Promise<DeploymentResult | undefined> {
    this.record('cancelDeployment', id, options);
    if (!this.deploymentList.some((d) => d['id'] === id)) throw new UnknownAppError(`Deployment '${id}'`);
    return options.force === true ? undefined : this.change([], {});
  }

  queue(): Json[] {
    return this.queueList;
  }

  resetDelay(appId: string): boolean {
    this.record('resetDelay', appId);
    return this.queueList.some((q) => (q['app'] as Json | undefined)?.['id'] === appId);
  }

  info(): Json {
    return { name: 'marathon', version: '1.x-mesocosm', leader: this.leader ?? null };
  }

  isLeader(): boolean {
    return this.leading;
  }

  leaderUrl(): string | undefined {
    return this.leader;
  }

  subscribe(options?: { eventTypes?: readonly string[]; afterId?: number }): EventSubscription {
    this.record('subscribe', options);
    const sub = new Subscription(options?.eventTypes, (s) => this.subscriptions.delete(s));
    if (options?.afterId !== undefined) {
      for (const event of this.retained) if (event.id > options.afterId) sub.push(event);
    }
    this.subscriptions.add(sub);
    return sub;
  }

  onLeadershipLost(listener: () => void): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }
}
