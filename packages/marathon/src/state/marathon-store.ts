// Marathon's state in a StateStore, one record per thing:
//   apps/<id>                       the current definition (Marathon JSON, with version)
//   app-versions/<id>@<version>     every stored version of an app (/versions, rollback)
//   deployments/<deployment id>     a running deployment: plan and current step
//   instances/<taskId>              a task, written before it is launched
// (and framework/id, kept by the SDK's FrameworkIdStore).

import type { StateStore } from '@mesocosm/framework-sdk/ha';
import type { AppDefinition } from '../model/app-definition.js';
import { parseApp } from '../model/parse-app.js';
import { renderApp } from '../model/render-app.js';
import { decodeDeployment, encodeDeployment, type DeploymentState } from './deployment-record.js';
import { decodeInstance, encodeInstance, type InstanceRecord } from './instance-record.js';

/** Collection names. */
export const COLLECTIONS = {
  apps: 'apps',
  appVersions: 'app-versions',
  deployments: 'deployments',
  instances: 'instances',
} as const;

/** Everything a new leader loads. */
export interface LoadedState {
  readonly apps: AppDefinition[];
  readonly deployments: DeploymentState[];
  readonly instances: InstanceRecord[];
  /** Every stored version of every app (by app id, any order). */
  readonly versions: Map<string, AppDefinition[]>;
  /** Keys of records that could not be read (skipped). */
  readonly corrupt: string[];
}

/** Typed access to Marathon's records. */
export class MarathonStore {
  constructor(readonly store: StateStore) {}

  /** Reads apps, deployments and instances. */
  async load(): Promise<LoadedState> {
    const corrupt: string[] = [];
    const apps: AppDefinition[] = [];
    const deployments: DeploymentState[] = [];
    const instances: InstanceRecord[] = [];
    for (const key of await this.store.list(COLLECTIONS.apps)) {
      const r = await this.store.get(COLLECTIONS.apps, key);
      if (!r) continue;
      try {
        apps.push(parseApp(r.value, { keepVersion: true }));
      } catch {
        corrupt.push(`apps/${key}`);
      }
    }
    for (const key of await this.store.list(COLLECTIONS.deployments)) {
      const r = await this.store.get(COLLECTIONS.deployments, key);
      const d = r && decodeDeployment(r.value);
      if (d) deployments.push(d);
      else if (r) corrupt.push(`deployments/${key}`);
    }
    for (const key of await this.store.list(COLLECTIONS.instances)) {
      const r = await this.store.get(COLLECTIONS.instances, key);
      const i = r && decodeInstance(r.value);
      if (i) instances.push(i);
      else if (r) corrupt.push(`instances/${key}`);
    }
    const versions = new Map<string, AppDefinition[]>();
    for (const key of await this.store.list(COLLECTIONS.appVersions)) {
      const r = await this.store.get(COLLECTIONS.appVersions, key);
      if (!r) continue;
      try {
        const app = parseApp(r.value, { keepVersion: true });
        versions.set(app.id, [...(versions.get(app.id) ?? []), app]);
      } catch {
        corrupt.push(`app-versions/${key}`);
      }
    }
    return { apps, deployments, instances, versions, corrupt };
  }

  /** Stores the app's current definition and this version of it. */
  async putApp(app: AppDefinition): Promise<void> {
    const json = renderApp(app);
    await this.store.put(COLLECTIONS.apps, app.id, json);
    if (app.version !== undefined) await this.store.put(COLLECTIONS.appVersions, `${app.id}@${app.version}`, json);
  }

  /** Removes the app's current definition. */
  async deleteApp(appId: string): Promise<void> {
    await this.store.delete(COLLECTIONS.apps, appId);
  }

  /** Removes one stored version of an app. */
  async deleteAppVersion(appId: string, version: string): Promise<void> {
    await this.store.delete(COLLECTIONS.appVersions, `${appId}@${version}`);
  }

  async putDeployment(d: DeploymentState): Promise<void> {
    await this.store.put(COLLECTIONS.deployments, d.plan.id, encodeDeployment(d));
  }

  async deleteDeployment(id: string): Promise<void> {
    await this.store.delete(COLLECTIONS.deployments, id);
  }

  async putInstance(i: InstanceRecord): Promise<void> {
    await this.store.put(COLLECTIONS.instances, i.taskId, encodeInstance(i));
  }

  async deleteInstance(taskId: string): Promise<void> {
    await this.store.delete(COLLECTIONS.instances, taskId);
  }
}
