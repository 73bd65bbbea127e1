// The service as one principal may use it under the ACLs: reads show only
// what it may view (apps, tasks, groups, the queue, events; deployments it
// may update), and every change is checked on each id it touches before it
// reaches the engine, all or nothing, the first refusal a 403 naming it.
// The routes use it like the real service and do not know the difference.
import { NotAuthorizedError } from '../../errors.js';
import type { ApiAcl, ApiAction } from '../../model/api-acl.js';
import { flattenGroup, parseGroup } from '../../model/group.js';
import { isUnder, parentOf, resolveId } from '../../model/path-id.js';
import { isObject } from '../../model/problems.js';
import type {
  AppEmbed,
  AppFilter,
  DeploymentResult,
  EventSubscription,
  ForceOption,
  Json,
  MarathonService,
} from '../../service/marathon-service.js';
import { visibleDeployment, visibleEvent, visibleGroup } from './visible.js';

interface Check {
  readonly action: ApiAction;
  readonly id: string;
}

/** A MarathonService that answers and acts for `principal` only as far as `acl` allows. */
export class AuthorizedService implements MarathonService {
  constructor(
    private readonly inner: MarathonService,
    private readonly acl: ApiAcl,
    readonly principal: string,
  ) {}

  private can(action: ApiAction, id: string): boolean {
    return this.acl.allows(this.principal, action, id);
  }

  private readonly canView = (id: string): boolean => this.can('view', id);

  /** @throws NotAuthorizedError for the first check refused */
  private require(checks: Iterable<Check>): void {
    const denied = this.acl.firstDenied(this.principal, checks);
    if (denied !== undefined) throw new NotAuthorizedError(this.principal, denied.action, denied.id);
  }

  private exists(id: string): boolean {
    return this.inner.getApp(id, []) !== undefined;
  }

  /** `create` for an app that does not exist yet, `update` for one that does. */
  private writeOf(id: string): Check {
    return { action: this.exists(id) ? 'update' : 'create', id };
  }

  private appIds(): string[] {
    return this.inner.listApps({ embed: [] }).map((a) => String(a['id']));
  }

  // ---- apps --------------------------------------------------------------------------

  listApps(filter?: AppFilter): Json[] {
    return this.inner.listApps(filter).filter((a) => this.canView(String(a['id'])));
  }

  getApp(id: string, embed?: readonly AppEmbed[]): Json | undefined {
    this.require([{ action: 'view', id }]);
    return this.inner.getApp(id, embed);
  }

  appVersions(id: string): string[] {
    this.require([{ action: 'view', id }]);
    return this.inner.appVersions(id);
  }

  appVersion(id: string, version: string): Json | undefined {
    this.require([{ action: 'view', id }]);
    return this.inner.appVersion(id, version);
  }

  createApp(json: unknown): Promise<Json> {
    const raw = isObject(json) ? json['id'] : undefined;
    const resolved = typeof raw === 'string' ? resolveId(raw) : undefined;
    // An id that does not resolve is the engine's 422 to give; nothing can be created with it.
    if (resolved?.ok === true) this.require([{ action: 'create', id: resolved.id }]);
    return this.inner.createApp(json);
  }

  updateApp(id: string, json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    this.require([this.writeOf(id)]);
    return this.inner.updateApp(id, json, options);
  }

  updateApps(json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult> {
    if (Array.isArray(json)) {
      const ids = json.flatMap((item) => {
        const raw = isObject(item) ? item['id'] : undefined;
        const resolved = typeof raw === 'string' ? resolveId(raw) : undefined;
        return resolved?.ok === true ? [resolved.id] : [];
      });
      this.require(ids.map((id) => this.writeOf(id)));
    }
    return this.inner.updateApps(json, options);
  }

  deleteApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    this.require([{ action: 'delete', id }]);
    return this.inner.deleteApp(id, options);
  }

  restartApp(id: string, options: ForceOption): Promise<DeploymentResult> {
    this.require([{ action: 'update', id }]);
    return this.inner.restartApp(id, options);
  }

  // ---- groups ------------------------------------------------------------------------

  getGroup(id: string): Json | undefined {
    const group = this.inner.getGroup(id);
    if (group === undefined) {
      this.require([{ action: 'view', id }]);
      return undefined;
    }
    const shown = visibleGroup(group, this.canView);
    if (shown !== undefined) return shown;
    // The root is everyone's starting point: an empty tree, not a refusal.
    if (id === '/') return { ...group, apps: [], groups: [] };
    throw new NotAuthorizedError(this.principal, 'view', id);
  }

  /**
   * The group itself (create or update), every app of the body (create or
   * update), and every app under the group that the body leaves out (delete:
   * a PUT replaces the group). The body is parsed as the engine parses it; a
   * body it would refuse is refused here the same way (422).
   */
  putGroup(id: string, json: unknown, options: ForceOption & { create?: boolean }): Promise<DeploymentResult> {
    const group = parseGroup(json, { id, baseGroup: parentOf(id) });
    const under = this.appIds().filter((a) => isUnder(a, group.id));
    const kept = new Set(flattenGroup(group).map((a) => a.id));
    // POST creates (the engine answers 409 when the group exists): every check is a create.
    const creating = options.create === true || under.length === 0;
    const checks: Check[] = [{ action: creating ? 'create' : 'update', id: group.id }];
    for (const appId of kept) {
      checks.push({ action: !creating && under.includes(appId) ? 'update' : 'create', id: appId });
    }
    if (!creating) for (const appId of under) if (!kept.has(appId)) checks.push({ action: 'delete', id: appId });
    this.require(checks);
    return this.inner.putGroup(id, json, options);
  }

  deleteGroup(id: string, options: ForceOption): Promise<DeploymentResult> {
    const under = this.appIds().filter((a) => isUnder(a, id));
    this.require([{ action: 'delete', id }, ...under.map((a) => ({ action: 'delete' as const, id: a }))]);
    return this.inner.deleteGroup(id, options);
  }

  // ---- tasks -------------------------------------------------------------------------

  tasks(status?: string): Json[] {
    return this.inner.tasks(status).filter((t) => this.canView(String(t['appId'])));
  }

  appTasks(id: string): Json[] | undefined {
    this.require([{ action: 'view', id }]);
    return this.inner.appTasks(id);
  }

  /** `kill` on the app of every task named (and `update` with `scale`, which lowers the app's instances). */
  killTasks(
    taskIds: readonly string[],
    options: ForceOption & { scale?: boolean; wipe?: boolean },
  ): Promise<{ tasks: Json[] } | DeploymentResult> {
    const appOf = new Map(this.inner.tasks().map((t) => [String(t['id']), String(t['appId'])]));
    const apps = [...new Set(taskIds.flatMap((t) => appOf.get(t) ?? []))];
    const checks = apps.flatMap((id): Check[] =>
      options.scale === true
        ? [
            { action: 'kill', id },
            { action: 'update', id },
          ]
        : [{ action: 'kill', id }],
    );
    this.require(checks);
    return this.inner.killTasks(taskIds, options);
  }

  // ---- deployments and the queue ----------------------------------------------------

  private affected(deployment: Json): string[] {
    const apps = deployment['affectedApps'];
    return Array.isArray(apps) ? apps.filter((a): a is string => typeof a === 'string') : [];
  }

  /** The deployments touching an app the principal may update, showing the apps it may view or update. */
  deployments(): Json[] {
    const shown = (id: string): boolean => this.canView(id) || this.can('update', id);
    return this.inner
      .deployments()
      .filter((d) => this.affected(d).some((id) => this.can('update', id)))
      .map((d) => visibleDeployment(d, shown));
  }

  /** Cancelling changes every affected app back: `update` on each. */
  cancelDeployment(id: string, options: ForceOption): Promise<DeploymentResult | undefined> {
    const deployment = this.inner.deployments().find((d) => d['id'] === id);
    if (deployment !== undefined) this.require(this.affected(deployment).map((a) => ({ action: 'update', id: a })));
    return this.inner.cancelDeployment(id, options);
  }

  queue(): Json[] {
    return this.inner.queue().filter((item) => {
      const app = item['app'];
      return isObject(app) && this.canView(String(app['id']));
    });
  }

  resetDelay(appId: string): boolean {
    this.require([{ action: 'update', id: appId }]);
    return this.inner.resetDelay(appId);
  }

  // ---- cluster facts and events --------------------------------------------------------

  info(): Json {
    return this.inner.info();
  }

  isLeader(): boolean {
    return this.inner.isLeader();
  }

  leaderUrl(): string | undefined {
    return this.inner.leaderUrl();
  }

  /** The bus, showing only events about apps the principal may view (see {@link visibleEvent}). */
  subscribe(options?: { eventTypes?: readonly string[]; afterId?: number }): EventSubscription {
    const subscription = this.inner.subscribe(options);
    const visible = this.canView;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) {
          const shown = visibleEvent(event, visible);
          if (shown !== undefined) yield shown;
        }
      },
    };
  }

  onLeadershipLost(listener: () => void): () => void {
    return this.inner.onLeadershipLost(listener);
  }
}
