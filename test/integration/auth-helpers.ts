// What the authentication tests share: principals and secrets, a launcher that
// logs, and drivers that launch one task or expect a refusal.
import {
  SchedulerDriver,
  SubscribeRefusedError,
  type Credential,
  type IFrameworkInfo,
  type ITaskInfo,
  type ITaskStatus,
  type Logger,
} from '@mesocosm/framework-sdk';
import type { LocalCluster } from '@mesocosm/testing';

/** The secrets of the tests' principals (and the operators' bearer token). */
export const SECRETS = {
  web: 'web-secret-7f3a',
  batch: 'batch-secret-91c2',
  agent: 'agent-secret-c0de',
  ops: 'ops-secret-5eed',
  viewer: 'viewer-secret-d00d',
  token: 'ops-token-0123456789abcdef',
  marathon: 'marathon-secret-6b1e',
  chronos: 'chronos-secret-2f4d',
};
/** The credential of `principal`. */
export const cred = (principal: keyof typeof SECRETS): Credential => ({ principal, secret: SECRETS[principal] });
/** The HTTP basic `authorization` of `principal`. */
export const basic = (principal: keyof typeof SECRETS): string =>
  `Basic ${Buffer.from(`${principal}:${SECRETS[principal]}`).toString('base64')}`;

/** A driver (logging to `logger`) that launches `task(agentId)` on its first offer and collects status updates. */
export type Launcher = (
  cluster: LocalCluster,
  framework: IFrameworkInfo,
  credential: Credential | undefined,
  task?: (agentId: string) => ITaskInfo,
) => { driver: SchedulerDriver; updates: ITaskStatus[] };

/** A {@link Launcher} whose drivers log to `logger`. */
export const launcherLogging =
  (logger: Logger): Launcher =>
  (cluster, framework, credential, task) => {
    const driver = new SchedulerDriver({
      master: cluster.masterGrpc,
      framework,
      ...(credential ? { credential } : {}),
      reconnectBackoffMs: 100,
      logger,
    });
    const updates: ITaskStatus[] = [];
    let launched = false;
    driver.on('offers', ({ offers }) => {
      for (const offer of offers ?? []) {
        const id = offer.id?.value ?? '';
        if (task && !launched) {
          launched = true;
          driver.launch(id, [task(offer.agentId?.value ?? '')]);
        } else driver.decline([id], { refuseSeconds: 60 });
      }
    });
    driver.on('update', ({ status }) => void (status && updates.push(status)));
    return { driver, updates };
  };

/** A shell task of 0.1 cpus and 32 MB, run as `user` when given. */
export function shellTask(id: string, agentId: string, command: string, user?: string): ITaskInfo {
  return {
    name: id,
    taskId: { value: id },
    agentId: { value: agentId },
    resources: [
      { name: 'cpus', type: 0, scalar: { value: 0.1 } },
      { name: 'mem', type: 0, scalar: { value: 32 } },
    ],
    command: { value: command, shell: true, ...(user ? { user } : {}) },
  };
}

/** Starts `driver`, expecting the master to refuse it; returns the refusal. */
export async function refusal(driver: SchedulerDriver): Promise<SubscribeRefusedError> {
  try {
    await driver.start();
  } catch (err) {
    return err as SubscribeRefusedError;
  } finally {
    await driver.stop().catch(() => undefined);
  }
  throw new Error('the subscription was expected to be refused');
}
