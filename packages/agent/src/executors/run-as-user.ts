// Running a task or executor as its user (`--switch_user`, on by default,
// effective when the agent runs as root), as Mesos does: the user comes from
// the CommandInfo.user of the task (or of the executor), else
// FrameworkInfo.user; it is looked up in the host's user database; the
// sandbox is handed to it; and the command itself (not the agent's wrappers
// around it, which enter the cgroup and record the exit status as root)
// drops to the user's uid, gid and groups with util-linux's `setpriv`.
// Docker tasks get the user's uid:gid as the container's user instead.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lchown, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IExecutorInfo, IFrameworkInfo, ITaskInfo } from '@mesocosm/protocol';
import { UnknownUserError } from '../errors.js';
import type { CommandLine } from './command-line.js';

/** A user of the host, as its passwd entry says. */
export interface UserAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** Where setpriv is looked for. */
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv', '/sbin/setpriv'];

/** The user a task asks to run as: its command's, else the framework's; undefined when neither says. Pure. */
export function requestedUser(task: ITaskInfo, framework: IFrameworkInfo): string | undefined {
  return task.command?.user || framework.user || undefined;
}

/** The user an executor asks to run as: its command's, else the framework's; undefined when neither says. Pure. */
export function requestedExecutorUser(info: IExecutorInfo, framework: IFrameworkInfo): string | undefined {
  return info.command?.user || framework.user || undefined;
}

/**
 * The user to switch to: the `requested` one when switching is on, the agent
 * runs as root (`agentUid` 0) and it is not root; else undefined (run as the
 * agent). Pure.
 */
export function switchedUser(
  switchUser: boolean,
  agentUid: number | undefined,
  requested: string | undefined,
): string | undefined {
  if (!switchUser || agentUid !== 0) return undefined;
  return requested === undefined || requested === 'root' ? undefined : requested;
}

/** One passwd line (`name:x:uid:gid:gecos:home:shell`) as an account, when it is one. Pure. */
export function parsePasswdLine(line: string): UserAccount | undefined {
  const f = line.split(':');
  if (f.length < 7 || !f[0] || !/^\d+$/.test(f[2] ?? '') || !/^\d+$/.test(f[3] ?? '')) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' };
}

function getent(name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('getent', ['passwd', name], { timeout: 5_000 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/**
 * Looks `name` up in the host's user database (`getent passwd`, which asks
 * NSS: files, LDAP, ...; else /etc/passwd). Undefined when there is no such user.
 */
export async function lookupUser(name: string): Promise<UserAccount | undefined> {
  if (name === '' || name.includes(':') || name.includes('\n')) return undefined;
  const fromNss = await getent(name);
  const lines = fromNss ?? (await readFile('/etc/passwd', 'utf8').catch(() => ''));
  for (const line of lines.split('\n')) {
    const account = parsePasswdLine(line.trim());
    if (account?.name === name) return account;
  }
  return undefined;
}

/** The account of `name`; throws {@link UnknownUserError} when the host does not know it. */
export async function requireUser(name: string): Promise<UserAccount> {
  const account = await lookupUser(name);
  if (!account) throw new UnknownUserError(name);
  return account;
}

/** The path of setpriv, if this host has it. */
export async function findSetpriv(): Promise<string | undefined> {
  for (const path of SETPRIV_PATHS) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  return undefined;
}

/** `cmd` run as `account`: setpriv sets the real and effective uid and gid and the user's groups, then execs it. Pure. */
export function asUser(cmd: CommandLine, account: UserAccount, setpriv: string): CommandLine {
  return {
    file: setpriv,
    args: [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--', cmd.file, ...cmd.args],
  };
}

/** The environment of a task run as `account`: USER, LOGNAME and HOME are the user's. Pure. */
export function userEnvironment(env: Record<string, string>, account: UserAccount): Record<string, string> {
  return { ...env, USER: account.name, LOGNAME: account.name, HOME: account.home };
}

/**
 * Prepares a process to run as `name`: looks the user up, finds setpriv,
 * hands the sandbox over; returns the command line and environment as that
 * user. Throws ({@link UnknownUserError}, or an Error naming setpriv) when it cannot.
 */
export async function runAsUser(
  name: string,
  sandbox: string,
  cmd: CommandLine,
  env: Record<string, string>,
): Promise<{ account: UserAccount; cmd: CommandLine; env: Record<string, string> }> {
  const account = await requireUser(name);
  const setpriv = await findSetpriv();
  if (!setpriv) throw new Error(`cannot run as user '${account.name}': setpriv (util-linux) is not installed`);
  await handOverSandbox(sandbox, account);
  return { account, cmd: asUser(cmd, account, setpriv), env: userEnvironment(env, account) };
}

/** Hands the sandbox to `account`: stdout and stderr created, then everything in it chowned (links themselves, never followed). */
export async function handOverSandbox(sandbox: string, account: UserAccount): Promise<void> {
  for (const name of ['stdout', 'stderr']) await (await open(join(sandbox, name), 'a')).close();
  const walk = async (path: string): Promise<void> => {
    await lchown(path, account.uid, account.gid);
    const entries = await readdir(path, { withFileTypes: true });
    for (const e of entries) {
      const child = join(path, e.name);
      if (e.isDirectory()) await walk(child);
      else await lchown(child, account.uid, account.gid);
    }
  };
  await walk(sandbox);
}
