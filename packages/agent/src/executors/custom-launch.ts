// Starting a custom executor's process: its sandbox
// `<work_dir>/sandboxes/<framework_id>/executors/<executor_id>/run-<n>/`, its
// container, its environment, then the process in its own group, as its
// user under `--switch_user` (see run-as-user.ts).
import { Resources, type IExecutorInfo, type IFrameworkInfo, type ITaskInfo, type mesocosm } from '@mesocosm/protocol';
import type { ExecutorApiCredentials } from '../executor-api/executor-api-security.js';
import type { ExecutorClaims } from '../executor-api/executor-token.js';
import type { Container, ContainerLimits, Isolator } from '../isolation/isolator.js';
import { createSandbox } from '../sandbox/sandbox-dirs.js';
import { commandLine } from './command-line.js';
import { executorEnvironment } from './custom-environment.js';
import { requestedExecutorUser, runAsUser, switchedUser } from './run-as-user.js';
import { checkExecutable, spawnProcess, type SpawnedProcess } from './spawn-process.js';

/** What the launch needs from the agent. */
export interface ExecutorLaunchDeps {
  workDir: string;
  isolator: Isolator;
  agentId: () => string;
  endpoint: () => string;
  host: string;
  /** Longest wait between two subscription attempts of a disconnected executor (its MESOS_SUBSCRIPTION_BACKOFF_MAX). */
  subscriptionBackoffMaxMs: number;
  /**
   * Run executors as their user (CommandInfo.user, else FrameworkInfo.user)
   * when the agent is root (`--switch_user`); default true.
   */
  switchUser?: boolean;
  /** The executor API token and CA of an executor run (none: plaintext, unauthenticated). */
  executorApiCredentials?: (claims: ExecutorClaims) => ExecutorApiCredentials;
  /** Fetches the executor's CommandInfo URIs into its sandbox (throws FetchFailedError). */
  fetchUris?: (sandbox: string, uris: readonly mesocosm.v1.CommandInfo.IURI[]) => Promise<void>;
}

/** A started executor process. */
export interface LaunchedExecutor {
  readonly sandbox: string;
  /** The executor API address it was told. */
  readonly endpoint: string;
  readonly container: Container;
  readonly proc: SpawnedProcess;
}

/** The container limits of an executor: its resources plus its first task's (containers cannot grow yet). Pure. */
export function executorLimits(info: IExecutorInfo, firstTask: ITaskInfo): ContainerLimits {
  const r = Resources.fromProto(info.resources).add(Resources.fromProto(firstTask.resources));
  const [mem, cpus] = [r.scalar('mem'), r.scalar('cpus')];
  return { ...(mem > 0 ? { memMb: mem } : {}), ...(cpus > 0 ? { cpus } : {}) };
}

/**
 * Starts the executor of `info` (of `framework`) in container `containerId`, limited by
 * {@link executorLimits}, as its user under `--switch_user`. Throws when
 * it cannot be started (the container is cleaned up); returns undefined when
 * `cancelled()` turns true before the spawn.
 */
export async function launchExecutorProcess(
  deps: ExecutorLaunchDeps,
  frameworkId: string,
  info: IExecutorInfo,
  framework: IFrameworkInfo,
  limits: ContainerLimits,
  containerId: string,
  cancelled: () => boolean,
): Promise<LaunchedExecutor | undefined> {
  const executorId = info.executorId?.value ?? '';
  const sandbox = await createSandbox(deps.workDir, frameworkId, executorId, 'executors');
  await deps.fetchUris?.(sandbox, info.command?.uris ?? []);
  const container = await deps.isolator.prepare(containerId, limits);
  const endpoint = deps.endpoint();
  try {
    let env = executorEnvironment({
      base: process.env,
      info,
      frameworkId,
      agentId: deps.agentId(),
      sandbox,
      endpoint,
      host: deps.host,
      subscriptionBackoffMaxMs: deps.subscriptionBackoffMaxMs,
      ...deps.executorApiCredentials?.({ frameworkId, executorId, containerId }),
    });
    let cmd = commandLine(info.command ?? {});
    // With a cgroup wrapper the program is exec'd by a shell: check it first.
    await checkExecutable(cmd.file, env);
    const user = switchedUser(deps.switchUser ?? true, process.getuid?.(), requestedExecutorUser(info, framework));
    if (user !== undefined) {
      const asUser = await runAsUser(user, sandbox, cmd, env);
      [cmd, env] = [asUser.cmd, asUser.env];
    }
    if (cancelled()) {
      await container.cleanup();
      return undefined;
    }
    return { sandbox, endpoint, container, proc: await spawnProcess(container.wrap(cmd), sandbox, env) };
  } catch (err) {
    await container.cleanup().catch(() => undefined);
    throw err;
  }
}
