// A process an earlier run of the agent started, taken over after a restart.
// It is not our child, so it cannot be waited for: its end is seen by
// polling its pid (with its start time, against pid reuse), and how it ended
// is unknown.
import type { Clock, TimerHandle } from '@mesocosm/protocol';
import { sameProcessAlive } from '../checkpoint/process-identity.js';
import type { Termination } from '../isolation/isolator.js';
import type { SpawnedProcess } from './spawn-process.js';

/** The termination of a process that was not our child: neither code nor signal is known. */
export const UNKNOWN_TERMINATION: Termination = { code: null, signal: null };

/**
 * Watches `pid` every `pollMs`; `exited` resolves with
 * {@link UNKNOWN_TERMINATION} once it is gone. `unref()` stops watching.
 */
export function watchProcess(pid: number, startTime: number | undefined, clock: Clock, pollMs: number): SpawnedProcess {
  let timer: TimerHandle | undefined;
  let stopped = false;
  let resolveExited: (t: Termination) => void = () => {};
  const exited = new Promise<Termination>((resolve) => (resolveExited = resolve));
  const poll = (): void => {
    timer = undefined;
    if (stopped) return;
    if (!sameProcessAlive(pid, startTime)) {
      stopped = true;
      resolveExited(UNKNOWN_TERMINATION);
      return;
    }
    timer = clock.setTimeout(poll, pollMs);
  };
  poll();
  return {
    pid,
    exited,
    unref: () => {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
    },
  };
}
