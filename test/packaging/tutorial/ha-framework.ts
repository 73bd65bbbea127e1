// docs/sdk.md, "High availability": several instances of one framework, one
// of which schedules; the framework ID kept where the next leader finds it.
// #region ha
import { SchedulerDriver, type Logger } from '@mesocosm/framework-sdk';
import { createFrameworkHa } from '@mesocosm/framework-sdk/ha';

/** One instance of the framework: it schedules while it leads. */
export interface Instance {
  /** Resolves with the driver once this instance leads and has subscribed. */
  readonly leading: Promise<SchedulerDriver>;
  /** Leaves the election (stopping the driver if leading); the framework stays registered. */
  close(): Promise<void>;
}

export function startInstance(options: {
  master: string;
  /** `zk://host:2181/my-framework` to elect among instances; absent: a single instance. */
  zk?: string;
  /** Without ZooKeeper: where the state (the framework ID) survives a restart. */
  stateDir?: string;
  instanceId: string;
  logger?: Logger;
}): Instance {
  const ha = createFrameworkHa({
    ...(options.zk ? { zk: options.zk } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    info: { id: options.instanceId, hostname: 'localhost', port: 0, url: '' },
  });
  let driver: SchedulerDriver | undefined;
  const leading = new Promise<SchedulerDriver>((resolve, reject) => {
    ha.leadership.on('elected', () => {
      void (async () => {
        const id = await ha.frameworkId.load(); // undefined the very first time
        driver = new SchedulerDriver({
          master: options.master,
          // failoverTimeout: how long the master keeps the tasks while no instance is subscribed.
          framework: { name: 'ha-demo', user: 'nobody', failoverTimeout: 3600, ...(id ? { id } : {}) },
          ...(options.logger ? { logger: options.logger } : {}),
        });
        const { frameworkId } = await driver.start();
        await ha.frameworkId.save(frameworkId); // the next leader resumes this framework
        resolve(driver);
      })().catch(reject);
    });
  });
  // Another instance leads now (or we withdrew): stop scheduling at once.
  ha.leadership.on('deposed', () => void driver?.stop());
  ha.leadership.start().catch((err: unknown) => options.logger?.error('election failed', { error: String(err) }));
  return { leading, close: () => ha.close() };
}
// #endregion ha
