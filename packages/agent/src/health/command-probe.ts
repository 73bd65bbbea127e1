// A COMMAND check of a task on the host: `/bin/sh -c` (or the argv form) in
// the task's sandbox with the task's environment, in its own process group,
// killed with the group when the check times out.
import { spawn } from 'node:child_process';
import type { ICommandInfo } from '@mesocosm/protocol';
import { commandLine } from '../executors/command-line.js';
import { signalGroup } from '../executors/spawn-process.js';
import type { CheckResult } from './health-state.js';
import type { Probe } from './health-monitor.js';
import { describeExit, OutputTail } from './output-tail.js';

/** The check command's environment: the task's, then the check's own variables. */
export function checkEnvironment(taskEnv: Record<string, string>, command: ICommandInfo): Record<string, string> {
  const env = { ...taskEnv };
  for (const v of command.environment?.variables ?? []) if (v.name) env[v.name] = v.value ?? '';
  return env;
}

/** A probe running `command` in `cwd` with `env`. */
export function commandProbe(command: ICommandInfo, cwd: string, env: Record<string, string>): Probe {
  const cmd = commandLine(command);
  return (signal) =>
    new Promise<CheckResult>((resolve) => {
      const tail = new OutputTail();
      const child = spawn(cmd.file, [...cmd.args], {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(cmd.argv0 === undefined ? {} : { argv0: cmd.argv0 }),
      });
      child.stdout.on('data', (d: Buffer) => tail.push(d));
      child.stderr.on('data', (d: Buffer) => tail.push(d));
      const onAbort = (): void => {
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      child.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ ok: false, why: `cannot run the check command: ${err.message}` });
      });
      child.once('close', (code, sig) => {
        signal.removeEventListener('abort', onAbort);
        // Whatever the check left running goes with its group.
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
        resolve(code === 0 ? { ok: true } : { ok: false, why: describeExit(code, sig, tail.text()) });
      });
    });
}
