// A COMMAND check of a task on the host: `/bin/sh -c` (or the argv form) in
// the task's sandbox with the task's environment, as the task's user (under
// `--switch_user`: a check must not run as root what the task may not), in
// its own process group, killed with the group when the check times out.
import { spawn } from 'node:child_process';
import type { ICommandInfo } from '@mesocosm/protocol';
import { commandLine, type CommandLine } from '../executors/command-line.js';
import { asUser, findSetpriv, requireUser, userEnvironment } from '../executors/run-as-user.js';
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

/** The check's command line and environment as `user` (looked up at each check, as the task's own launch does). */
async function asTaskUser(
  cmd: CommandLine,
  env: Record<string, string>,
  user: string | undefined,
): Promise<{ cmd: CommandLine; env: Record<string, string> }> {
  if (user === undefined) return { cmd, env };
  const account = await requireUser(user);
  const setpriv = await findSetpriv();
  if (!setpriv)
    throw new Error(`cannot run the check as user '${account.name}': setpriv (util-linux) is not installed`);
  return { cmd: asUser(cmd, account, setpriv), env: userEnvironment(env, account) };
}

/** A probe running `command` in `cwd` with `env`, as `user` when given (else as the agent). */
export function commandProbe(command: ICommandInfo, cwd: string, env: Record<string, string>, user?: string): Probe {
  return async (signal) => {
    let run: { cmd: CommandLine; env: Record<string, string> };
    try {
      run = await asTaskUser(commandLine(command), env, user);
    } catch (err) {
      return { ok: false, why: `cannot run the check command: ${err instanceof Error ? err.message : String(err)}` };
    }
    return spawnCheck(run.cmd, cwd, run.env, signal);
  };
}

function spawnCheck(
  cmd: CommandLine,
  cwd: string,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<CheckResult> {
  return new Promise<CheckResult>((resolve) => {
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
