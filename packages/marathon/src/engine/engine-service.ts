// MarathonService on the engine: the REST API's view of Marathon. Reads come
// from the leader's memory; changes are serialised, checked, persisted, and
// started as deployments. A standby refuses changes with NotLeaderError (the
// API proxies them to the leader).

import { NotLeaderError } from '@mesocosm/framework-sdk/ha';
import { UnknownAppError, AppExistsError, AppValidationError } from '../errors.js';
import type { AppDefinition } from '../model/app-definition.js';
import { patchApp, restartApp, stampVersion } from '../model/app-versions.js';
import { flattenGroup, groupOf, parseGroup, renderGroup } from '../model/group.js';
import { parseApp } from '../model/parse-app.js';
import { isUnder } from '../model/path-id.js';
import { isObject } from '../model/problems.js';
import { renderApp } from '../model/render-app.js';
import type {
  AppEmbed,
  AppFilter,
  DeploymentResult,
  EventSubscription,
  ForceOption,
  Json,
  MarathonService,
} from '../service/marathon-service.js';
import { cancelDeployment, deploy } from './deployer.js';
import type { MarathonEngine } from './engine.js';
import { taskJson } from './render.js';
import * as views from './views.js';

/** What the service knows of leadership and configuration (from Marathon.start). */
export interface ServiceContext {
  isLeader(): boolean;
  leaderUrl(): string | undefined;
  /** GET /v2/info. */
  info(): Json;
}

const DEFAULT_APP_EMBED: readonly AppEmbed[] = ['tasks', 'deployments', 'lastTaskFailure', 'counts'];

/** The engine behind Marathon's REST API. */
export class EngineService implements MarathonService {
  private mutations: Promise<unknown> = Promise.resolve();
  private readonly lostListeners = new Set<() => void>();

  constructor(
    private readonly e: MarathonEngine,
    private readonly ctx: ServiceContext,
  ) {}

  /** Called by Marathon when this instance stops leading. @internal */
  leadershipLost(): void {
    for (const l of [...this.lostListeners]) l();
    this.e.bus.closeAll();
  }

  /** Runs a change after the ones before it, on the leader only. */
  private change<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const run = this.mutations.then(() => {
      if (!this.e.leading) throw new NotLeaderError(what, this.ctx.leaderUrl());
      return fn();
    });
    this.mutations = run.catch(() => undefined);
    return run;
  }

  private stamp(next: AppDefinition): AppDefinition {
    return stampVersion(this.e.apps.get(next.id), next, this.e.clock.now());
  }

  private target(changed: readonly AppDefinition[], removed: ReadonlySet<string> = new Set()): AppDefinition[] {
    const byId = new Map([...this.e.apps].filter(([id]) => !removed.has(id)));
    for (const app of changed) byId.set(app.id, app);
    return [...byId.values()];
  }

  private postEvent(app: AppDefinition): void {
    this.e.bus.publish('api_post_event', { clientIp: null, uri: `/v2/apps${app.id}`, appDefinition: renderApp(app) });
  }

  // ---- apps --------------------------------------------------------------------------

  listApps(filter?: AppFilter): Json[] {
    return views.listApps(this.e, filter);
  }

  getApp(id: string, embed?: readonly AppEmbed[]): Json | undefined {
    const app = this.e.apps.get(id);
    return app && views.appJson(this.e, app, embed ?? DEFAULT_APP_EMBED);
  }

  appVersions(id: string): string[] {
    return (this.e.versions.get(id) ?? []).flatMap((a) => (a.version === undefined ? [] : [a.version])).reverse();
  }

  appVersion(id: string, version: string): Json | undefined {
    const app = (this.e.versions.get(id) ?? []).find((a) => a.version === version);
    return app && renderApp(app);
  }

  createApp(json: unknown): Promise<Json> {
    return this.change('POST /v2/apps', async () => {
      const parsed = parseApp(json);
      if (this.e.apps.has(parsed.id)) throw new AppExistsError(parsed.id);
      const app = this.stamp(parsed);
      const result = await deploy(this.e, this.target([app]));
      this.postEvent(app);
      return { ...views.appJson(this.e, app, []), deployments: [{ id: result.deploymentId }] };
    });
  }

  /** The new definition of one app from a PUT/PATCH body (a `{version}` body rolls back to that version). */
  private updated(id: string, json: unknown, partial: boolean): AppDefinition {
    const existing = this.e.apps.get(id);
    if (
      isObject(json) &&
      typeof json.version === 'string' &&
      Object.keys(json).every((k) => k === 'version' || k === 'id')
    ) {
      const old = (this.e.versions.get(id) ?? []).find((a) => a.version === json.version);
      if (!old) throw new UnknownAppError(`App '${id}' version '${json.version}'`);
      const { version: _v, versionInfo: _vi, ...rest } = old;
      return stampVersion(existing, rest, this.e.clock.now());
    }
    const next = partial && existing ? patchApp(existing, json) : parseApp(json, { id });
    if (next.id !== id)
      throw new AppValidationError([{ path: '/id', errors: [`the id ${next.id} does not match the path ${id}`] }]);
    return this.stamp(next);
  }

  updateApp(id: string, json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    return this.change(`PUT /v2/apps${id}`, async () => {
      const app = this.updated(id, json, options.partial === true);
      const result = await deploy(this.e, this.target([app]), { force: options.force === true });
      this.postEvent(app);
      return result;
    });
  }

  updateApps(json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    return this.change('PUT /v2/apps', async () => {
      if (!Array.isArray(json)) throw new AppValidationError([{ path: '/', errors: ['expected an array of apps'] }]);
      const apps = json.map((item, i) => {
        const raw = isObject(item) ? item.id : undefined;
        if (typeof raw !== 'string') throw new AppValidationError([{ path: `/${i}/id`, errors: ['is required'] }]);
        const id = parseApp({ id: raw, cmd: 'x' }).id;
        return this.updated(id, item, options.partial === true);
      });
      const result = await deploy(this.e, this.target(apps), { force: options.force === true });
      apps.forEach((a) => this.postEvent(a));
      return result;
    });
  }

  deleteApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    return this.change(`DELETE /v2/apps${id}`, async () => {
      if (!this.e.apps.has(id)) throw new UnknownAppError(`App '${id}'`);
      return deploy(this.e, this.target([], new Set([id])), { force: options.force === true });
    });
  }

  restartApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    return this.change(`POST /v2/apps${id}/restart`, async () => {
      const app = this.e.apps.get(id);
      if (!app) throw new UnknownAppError(`App '${id}'`);
      return deploy(this.e, this.target([restartApp(app, this.e.clock.now())]), { force: options.force === true });
    });
  }

  // ---- groups ------------------------------------------------------------------------

  getGroup(id: string): Json | undefined {
    const apps = [...this.e.apps.values()].filter((a) => isUnder(a.id, id));
    if (id !== '/' && apps.length === 0) return undefined;
    return renderGroup(groupOf(apps, id), renderApp);
  }

  putGroup(id: string, json: unknown, options: ForceOption & { create?: boolean }): Promise<DeploymentResult> {
    return this.change(`PUT /v2/groups${id}`, async () => {
      const group = parseGroup(json, { id, baseGroup: id === '/' ? '/' : id.slice(0, id.lastIndexOf('/')) || '/' });
      const under = [...this.e.apps.keys()].filter((a) => isUnder(a, group.id));
      if (options.create === true && under.length > 0) throw new AppExistsError(group.id);
      const apps = flattenGroup(group).map((a) => this.stamp(a));
      const result = await deploy(this.e, this.target(apps, new Set(under)), { force: options.force === true });
      apps.forEach((a) => this.postEvent(a));
      this.e.bus.publish('group_change_success', { groupId: group.id, version: result.version });
      return result;
    });
  }

  deleteGroup(id: string, options: ForceOption): Promise<DeploymentResult> {
    return this.change(`DELETE /v2/groups${id}`, async () => {
      const under = [...this.e.apps.keys()].filter((a) => isUnder(a, id));
      if (under.length === 0 && id !== '/') throw new UnknownAppError(`Group '${id}'`);
      return deploy(this.e, this.target([], new Set(under)), { force: options.force === true });
    });
  }

  // ---- tasks, deployments, queue --------------------------------------------------------

  tasks(status?: string): Json[] {
    return views.tasks(this.e, status);
  }

  appTasks(id: string): Json[] | undefined {
    const app = this.e.apps.get(id);
    if (!app) return undefined;
    return this.e.book
      .ofApp(id)
      .filter((r) => r.state !== 'pending')
      .map((r) => taskJson(r, app));
  }

  killTasks(
    taskIds: readonly string[],
    options: ForceOption & { scale?: boolean; wipe?: boolean },
  ): Promise<{ tasks: Json[] } | DeploymentResult> {
    return this.change('kill tasks', async () => {
      const records = taskIds.flatMap((id) => this.e.book.get(id) ?? []);
      if (records.length === 0) throw new UnknownAppError(`Task '${taskIds.join(', ')}'`);
      if (options.scale === true) {
        const toKill: Record<string, string[]> = {};
        for (const r of records) (toKill[r.appId] ??= []).push(r.taskId);
        const scaled = Object.entries(toKill).flatMap(([appId, ids]) => {
          const app = this.e.apps.get(appId);
          return app ? [this.stamp({ ...app, instances: Math.max(0, app.instances - ids.length) })] : [];
        });
        return deploy(this.e, this.target(scaled), { force: options.force === true, toKill });
      }
      const out = records.map((r) => taskJson(r, this.e.apps.get(r.appId)));
      for (const r of records) {
        this.e.kill(r.taskId, 'killed through the API');
        if (options.wipe === true) {
          this.e.book.delete(r.taskId);
          await this.e.write(`instances/${r.taskId}`, (s) => s.deleteInstance(r.taskId));
        }
      }
      this.e.converge();
      return { tasks: out };
    });
  }

  deployments(): Json[] {
    return views.deployments(this.e);
  }

  cancelDeployment(id: string, options: ForceOption): Promise<DeploymentResult | undefined> {
    return this.change(`DELETE /v2/deployments/${id}`, async () => {
      if (!this.e.deployments.has(id)) throw new UnknownAppError(`Deployment '${id}'`);
      return cancelDeployment(this.e, id, options.force === true);
    });
  }

  queue(): Json[] {
    return views.queue(this.e, this.e.cluster);
  }

  resetDelay(appId: string): boolean {
    if (!this.e.apps.has(appId)) return false;
    this.e.backoff.reset(appId);
    this.e.converge();
    return true;
  }

  // ---- cluster facts, events ----------------------------------------------------------

  info(): Json {
    return this.ctx.info();
  }

  isLeader(): boolean {
    return this.ctx.isLeader();
  }

  leaderUrl(): string | undefined {
    return this.ctx.leaderUrl();
  }

  subscribe(options?: { eventTypes?: readonly string[]; afterId?: number }): EventSubscription {
    return this.e.bus.subscribe(options);
  }

  onLeadershipLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }
}
