// A command task's exit status, recorded by the task itself: the agent may be
// dead (kill -9, upgrade) when the task ends, and a process that is not our
// child cannot be waited for. So the task's command runs under a tiny shell
// wrapper that writes `$?` to `<work_dir>/meta/.../exit_status` (outside the
// sandbox: the task's files stay the task's) and then ends the same way as
// the command: with its exit code, or by re-raising the signal that killed it
// (shells report "killed by signal N" as 128+N, so a command that exits
// 128+N by itself is taken for killed by signal N: as Mesos' shell tasks).
// The wrapper defers SIGHUP/INT/QUIT/TERM with a no-op trap (reset to the
// default in the command, unlike an ignored signal) so that a graceful kill
// of the process group still lets it record the command's end.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { CommandLine } from '../executors/command-line.js';
import type { Termination } from '../isolation/isolator.js';

const WRAPPER =
  'f=$1; shift; trap : HUP INT QUIT TERM; "$@"; s=$?; echo $s > "$f"; trap - HUP INT QUIT TERM; ' +
  'if [ $s -gt 128 ] && [ $s -lt 193 ]; then kill -$((s - 128)) $$; fi; exit $s';

/** `cmd` run under the exit-status wrapper, recording into `statusFile`. Pure. */
export function recordExitStatus(cmd: CommandLine, statusFile: string): CommandLine {
  return { file: '/bin/sh', args: ['-c', WRAPPER, 'mesocosm-exit', statusFile, cmd.file, ...cmd.args] };
}

/** The termination an exit status (as `$?`) stands for. Pure. */
export function terminationOf(status: number): Termination {
  if (status > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0];
    if (name !== undefined) return { code: null, signal: name as NodeJS.Signals };
  }
  return { code: status, signal: null };
}

/** The recorded termination, or undefined when the task did not record one (killed with SIGKILL, or still running). */
export function readExitStatus(statusFile: string): Termination | undefined {
  try {
    const text = readFileSync(statusFile, 'utf8').trim();
    return /^\d+$/.test(text) ? terminationOf(Number(text)) : undefined;
  } catch {
    return undefined;
  }
}
