// The seam between Marathon's REST API (api/) and its engine (engine/): the
// API parses HTTP and renders JSON; the engine owns state, deployments and
// the cluster. Everything crossing it is plain data in Marathon's JSON
// shapes (what GET /v2/... returns), so the API renders nothing twice.
import type { AppDefinition } from '../model/app-definition.js';

/** Marathon's JSON objects, as its /v2 API returns them (rendered by the engine). */
export type Json = Record<string, unknown>;

/** `?force=true`: override a deployment lock (cancelling the running deployment without rollback). */
export interface ForceOption {
  force?: boolean;
}

/** What every changing call returns: Marathon's `{version, deploymentId}` body (201/200). */
export interface DeploymentResult {
  version: string;
  deploymentId: string;
}

/** Which embedded details GET /v2/apps adds (`embed=apps.tasks`, `apps.deployments`, ...). */
export type AppEmbed = 'tasks' | 'deployments' | 'lastTaskFailure' | 'counts' | 'readiness' | 'taskStats';

/** Filters of GET /v2/apps (`id` substring, `cmd` substring, `label` selector as Marathon). */
export interface AppFilter {
  id?: string;
  cmd?: string;
  label?: string;
  embed?: readonly AppEmbed[];
}

/** A Marathon event on the bus (`/v2/events`): `eventType` and Marathon's fields. */
export interface MarathonEvent {
  /** Monotonic per leader run; SSE `id:` (clients resume with Last-Event-ID). */
  id: number;
  eventType: string;
  timestamp: string;
  /** The event's own fields (appId, taskId, taskStatus, plan, ...), as Marathon names them. */
  body: Json;
}

/** A live subscription to the event bus. */
export interface EventSubscription extends AsyncIterable<MarathonEvent> {
  /** Ends the iteration (the API calls it when the HTTP client goes away). */
  close(): void;
}

/**
 * What the REST API needs from the engine. Methods that change state resolve
 * once the change is persisted (and a deployment, if any, is started).
 * Errors are thrown as typed errors the API maps to statuses:
 * `AppValidationError` (422), `AppLockedError` (409), `UnknownAppError` (404),
 * `AppExistsError` (409), `NotLeaderError` (the API proxies to the leader instead).
 */
export interface MarathonService {
  // Apps.
  /** GET /v2/apps: every app, rendered (`{apps: [...]}` is the API's). */
  listApps(filter?: AppFilter): Json[];
  /** GET /v2/apps/{id}: undefined when unknown. */
  getApp(id: string, embed?: readonly AppEmbed[]): Json | undefined;
  /** GET /v2/apps/{id}/versions: version strings, newest first. */
  appVersions(id: string): string[];
  /** GET /v2/apps/{id}/versions/{version}. */
  appVersion(id: string, version: string): Json | undefined;
  /** POST /v2/apps: 201 with the rendered app (incl. `deployments: [{id}]`). */
  createApp(json: unknown): Promise<Json>;
  /** PUT (partial=false) / PATCH (partial=true) /v2/apps/{id}; PUT of an unknown id creates it. */
  updateApp(id: string, json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult>;
  /** PUT/PATCH /v2/apps with an array body: one deployment for all. */
  updateApps(json: unknown, options: ForceOption & { partial?: boolean }): Promise<DeploymentResult>;
  /** DELETE /v2/apps/{id}. */
  deleteApp(id: string, options: ForceOption): Promise<DeploymentResult>;
  /** POST /v2/apps/{id}/restart. */
  restartApp(id: string, options: ForceOption): Promise<DeploymentResult>;

  // Groups.
  /** GET /v2/groups and /v2/groups/{id} (rendered with apps and nested groups). */
  getGroup(id: string): Json | undefined;
  /** POST /v2/groups (create; 409 when it exists) and PUT /v2/groups/{id} (create or update). */
  putGroup(id: string, json: unknown, options: ForceOption & { create?: boolean }): Promise<DeploymentResult>;
  /** DELETE /v2/groups/{id}. */
  deleteGroup(id: string, options: ForceOption): Promise<DeploymentResult>;

  // Tasks.
  /** GET /v2/tasks (`status` filters: running, staging, ...). Each in Marathon's task JSON (with appId). */
  tasks(status?: string): Json[];
  /** GET /v2/apps/{id}/tasks: undefined when the app is unknown. */
  appTasks(id: string): Json[] | undefined;
  /**
   * DELETE /v2/apps/{id}/tasks/{taskId} and POST /v2/tasks/delete: kills the
   * tasks; with `scale` the apps' instance counts go down (a deployment),
   * without it they are replaced. Returns the killed tasks, or the deployment.
   */
  killTasks(
    taskIds: readonly string[],
    options: ForceOption & { scale?: boolean; wipe?: boolean },
  ): Promise<{ tasks: Json[] } | DeploymentResult>;

  // Deployments and the queue.
  /** GET /v2/deployments. */
  deployments(): Json[];
  /** DELETE /v2/deployments/{id}: a rollback deployment, or (force) stop it where it is. */
  cancelDeployment(id: string, options: ForceOption): Promise<DeploymentResult | undefined>;
  /** GET /v2/queue: `{queue: [...]}` items with `delay` and `processedOffersSummary` (decline reasons). */
  queue(): Json[];
  /** DELETE /v2/queue/{appId}/delay: resets an app's launch backoff. */
  resetDelay(appId: string): boolean;

  // Cluster facts.
  /** GET /v2/info: name, version, leader, frameworkId, marathon_config, zookeeper_config, ... */
  info(): Json;
  /** Whether this instance leads. */
  isLeader(): boolean;
  /** The leader's base URL (`http://host:port`), undefined while nobody leads. */
  leaderUrl(): string | undefined;

  // Events.
  /** Subscribes to the bus; with `afterId`, first replays the retained events after it. */
  subscribe(options?: { eventTypes?: readonly string[]; afterId?: number }): EventSubscription;
  /** Calls `listener` when this instance stops leading (the API ends its SSE streams then); returns an unsubscribe. */
  onLeadershipLost(listener: () => void): () => void;
}

/** The app definitions as the engine holds them (for the web page and tests). */
export type AppsSnapshot = ReadonlyMap<string, AppDefinition>;
