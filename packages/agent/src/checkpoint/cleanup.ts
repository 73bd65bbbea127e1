// `recover: 'cleanup'`, as Mesos' `--recover=cleanup`: kill what a previous
// run left running and forget its checkpoints, so that the agent registers
// as a new agent (its Docker containers are then orphans and are removed).
import { rmSync } from 'node:fs';
import type { Clock, Logger } from '@mesocosm/protocol';
import { signalGroup } from '../executors/spawn-process.js';
import { agentIdPath } from './agent-id.js';
import { sameProcessAlive } from './process-identity.js';
import { statusUpdatesPath } from './status-update-checkpoint.js';
import { readTaskCheckpoints, tasksMetaDir } from './task-checkpoint.js';

const KILL_WAIT_MS = 5_000;
const POLL_MS = 20;

/** Kills the checkpointed tasks (their process groups) and removes every checkpoint of `workDir`. */
export async function cleanupCheckpoints(workDir: string, clock: Clock, logger: Logger): Promise<void> {
  const { tasks } = readTaskCheckpoints(workDir);
  const live = tasks.filter(
    (t): t is typeof t & { pid: number } => t.pid !== undefined && sameProcessAlive(t.pid, t.pidStartTime),
  );
  for (const t of live) {
    logger.info('recover=cleanup: killing a task of the previous run', { taskId: t.taskId, pid: t.pid });
    signalGroup(t.pid, 'SIGKILL');
  }
  const deadline = clock.now() + KILL_WAIT_MS;
  // The clock's timers are unref'd and nothing else runs yet: hold the process up while waiting.
  const keepAlive = setInterval(() => undefined, KILL_WAIT_MS);
  try {
    while (live.some((t) => sameProcessAlive(t.pid, t.pidStartTime)) && clock.now() < deadline)
      await new Promise<void>((resolve) => clock.setTimeout(resolve, POLL_MS));
  } finally {
    clearInterval(keepAlive);
  }
  for (const t of live)
    if (sameProcessAlive(t.pid, t.pidStartTime))
      logger.warn('a task of the previous run survived SIGKILL', { taskId: t.taskId, pid: t.pid });
  rmSync(tasksMetaDir(workDir), { recursive: true, force: true });
  rmSync(statusUpdatesPath(workDir), { force: true });
  rmSync(agentIdPath(workDir), { force: true });
}
