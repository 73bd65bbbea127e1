// `recover: 'cleanup'`, as Mesos' `--recover=cleanup`: kill what a previous
// run left running (command tasks and custom executors, each a process
// group) and forget its checkpoints, so that the agent registers
// as a new agent (its Docker containers are then orphans and are removed).
import { rmSync } from 'node:fs';
import type { Clock, Logger } from '@mesocosm/protocol';
import { signalGroup } from '../executors/spawn-process.js';
import { agentIdPath } from './agent-id.js';
import { sameProcessAlive } from './process-identity.js';
import { statusUpdatesPath } from './status-update-checkpoint.js';
import { readTaskCheckpoints, tasksMetaDir } from './task-checkpoint.js';
import { executorsMetaDir, readExecutorCheckpoints } from './executor-checkpoint.js';

const KILL_WAIT_MS = 5_000;
const POLL_MS = 20;

interface Leftover {
  readonly what: string;
  readonly pid: number;
  readonly pidStartTime: number | undefined;
}

/** Kills the checkpointed tasks and executors (their process groups) and removes every checkpoint of `workDir`. */
export async function cleanupCheckpoints(workDir: string, clock: Clock, logger: Logger): Promise<void> {
  const leftovers: Leftover[] = [];
  for (const t of readTaskCheckpoints(workDir).tasks)
    if (t.pid !== undefined) leftovers.push({ what: `task '${t.taskId}'`, pid: t.pid, pidStartTime: t.pidStartTime });
  for (const e of readExecutorCheckpoints(workDir).executors)
    if (e.pid !== undefined && !e.exited)
      leftovers.push({ what: `executor '${e.executorId}'`, pid: e.pid, pidStartTime: e.pidStartTime });
  const live = leftovers.filter((t) => sameProcessAlive(t.pid, t.pidStartTime));
  for (const t of live) {
    logger.info('recover=cleanup: killing what the previous run left', { what: t.what, pid: t.pid });
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
      logger.warn('a process of the previous run survived SIGKILL', { what: t.what, pid: t.pid });
  rmSync(tasksMetaDir(workDir), { recursive: true, force: true });
  rmSync(executorsMetaDir(workDir), { recursive: true, force: true });
  rmSync(statusUpdatesPath(workDir), { force: true });
  rmSync(agentIdPath(workDir), { force: true });
}
