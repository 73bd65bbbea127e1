// Starting a custom executor's process: its sandbox
// `<work_dir>/sandboxes/<framework_id>/executors/<executor_id>/run-<n>/`, its
// container, its environment, then the process in its own group.
import { newId, Resources, type IExecutorInfo, type ITaskInfo, type mesocosm } from '@mesocosm/protocol';
import type { Container, Isolator } from '../isolation/isolator.js';
import { createSandbox } from '../sandbox/sandbox-dirs.js';
import { commandLine } from './command-line.js';
import { executorEnvironment } from './custom-environment.js';
import { checkExecutable, spawnProcess, type SpawnedProcess } from './spawn-process.js';

/** What the launch needs from the agent. */
export interface ExecutorLaunchDeps {
  workDir: string;
  isolator: Isolator;
  agentId: () => string;
  endpoint: () => string;
  host: string;
  /** Fetches the executor's CommandInfo URIs into its sandbox (throws FetchFailedError). */
  fetchUris?: (sandbox: string, uris: readonly mesocosm.v1.CommandInfo.IURI[]) => Promise<void>;
}

/** A started executor process. */
export interface LaunchedExecutor {
  readonly sandbox: string;
  readonly container: Container;
  readonly proc: SpawnedProcess;
}

/**
 * Starts the executor of `info`. The container's limits are the executor's
 * resources plus its first task's (containers cannot grow yet). Throws when
 * it cannot be started (the container is cleaned up); returns undefined when
 * `cancelled()` turns true before the spawn.
 */
export async function launchExecutorProcess(
  deps: ExecutorLaunchDeps,
  frameworkId: string,
  info: IExecutorInfo,
  firstTask: ITaskInfo,
  cancelled: () => boolean,
): Promise<LaunchedExecutor | undefined> {
  const executorId = info.executorId?.value ?? '';
  const sandbox = await createSandbox(deps.workDir, frameworkId, executorId, 'executors');
  await deps.fetchUris?.(sandbox, info.command?.uris ?? []);
  const r = Resources.fromProto(info.resources).add(Resources.fromProto(firstTask.resources));
  const [mem, cpus] = [r.scalar('mem'), r.scalar('cpus')];
  const container = await deps.isolator.prepare(newId('e'), {
    ...(mem > 0 ? { memMb: mem } : {}),
    ...(cpus > 0 ? { cpus } : {}),
  });
  try {
    const env = executorEnvironment({
      base: process.env,
      info,
      frameworkId,
      agentId: deps.agentId(),
      sandbox,
      endpoint: deps.endpoint(),
      host: deps.host,
    });
    const cmd = commandLine(info.command ?? {});
    // With a cgroup wrapper the program is exec'd by a shell: check it first.
    await checkExecutable(cmd.file, env);
    if (cancelled()) {
      await container.cleanup();
      return undefined;
    }
    return { sandbox, container, proc: await spawnProcess(container.wrap(cmd), sandbox, env) };
  } catch (err) {
    await container.cleanup().catch(() => undefined);
    throw err;
  }
}
