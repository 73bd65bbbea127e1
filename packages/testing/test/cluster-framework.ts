// A small framework for the LocalCluster tests: the SDK's Scheduler, given
// tasks, recording every status it receives.
import {
  Scheduler,
  SchedulerDriver,
  silentLogger,
  type ITaskStatus,
  type IFrameworkInfo,
  type WantedTask,
} from '@mesocosm/framework-sdk';

/** A running test framework. */
export interface TestFramework {
  readonly scheduler: Scheduler;
  readonly frameworkId: string;
  /** Every status received, in order. */
  readonly statuses: ITaskStatus[];
  stop(): Promise<void>;
}

/** Subscribes a framework to `master` and asks for `tasks` (a shell `true` each unless given). */
export async function startFramework(
  master: string,
  tasks: readonly Omit<WantedTask, 'resources'>[],
  framework: Partial<IFrameworkInfo> = {},
): Promise<TestFramework> {
  const driver = new SchedulerDriver({
    master,
    framework: { name: 'testing-fw', user: 'nobody', failoverTimeout: 60, ...framework },
    logger: silentLogger,
    reconnectBackoffMs: 100,
  });
  const statuses: ITaskStatus[] = [];
  const scheduler = new Scheduler(driver, { logger: silentLogger, onUpdate: (s) => void statuses.push(s) });
  scheduler.want(
    'test',
    tasks.map((t) => ({ resources: 'cpus:0.1;mem:16', command: { value: 'true' }, ...t })),
  );
  const { frameworkId } = await scheduler.start();
  return {
    scheduler,
    frameworkId,
    statuses,
    async stop() {
      await driver.teardown().catch(() => undefined);
      await scheduler.stop();
    },
  };
}
