// Shared by the Marathon and Chronos REST API authentication tests: the
// principals, their files written at run time, authorization headers, and
// two `mesocosm marathon|chronos` processes that keep every log line (to
// check that no secret is ever logged).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonProcess } from '@mesocosm/testing';
import { cliMain } from '../helpers/index.js';

/** Throwaway secrets, new on every run. */
export interface Principals {
  readonly alice: string;
  readonly bob: string;
  /** bob's bearer token. */
  readonly bobToken: string;
}

/** Fresh random secrets for alice, bob and bob's token. */
export function principals(): Principals {
  const secret = (): string => randomBytes(12).toString('base64url');
  return { alice: secret(), bob: secret(), bobToken: secret() };
}

/** `Authorization: Basic ...`. */
export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** `Authorization: Bearer ...`. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** An answer read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** One request (JSON body when given); redirects are not followed. */
export async function request(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Writes the master-form credentials file (alice and bob's passwords, bob's
 * token) and `rules` as the ACL file; returns their paths.
 */
export async function writeAuthFiles(p: Principals, rules: unknown): Promise<{ credentials: string; acls: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'api-auth-it-'));
  const credentials = join(dir, 'credentials.json');
  const acls = join(dir, 'acls.json');
  await writeFile(
    credentials,
    JSON.stringify({
      credentials: [
        { principal: 'alice', secret: p.alice },
        { principal: 'bob', secret: p.bob },
      ],
      tokens: [{ principal: 'bob', token: p.bobToken }],
    }),
    { mode: 0o600 },
  );
  await writeFile(acls, JSON.stringify({ rules }));
  return { credentials, acls };
}

/** A daemon and every line it wrote (stdout and stderr). */
export interface LoggedDaemon {
  readonly daemon: DaemonProcess;
  readonly lines: string[];
}

/**
 * Two instances of `command` on a fresh ZooKeeper path with `args`, at debug
 * log level, keeping every stderr line (stdout lines are on the daemon).
 */
export async function startLoggedPair(
  command: 'marathon' | 'chronos',
  options: { master: string; zkConnect: string; args: readonly string[] },
): Promise<LoggedDaemon[]> {
  const zk = `zk://${options.zkConnect}/${command}-auth-${randomUUID().slice(0, 8)}`;
  const args = [cliMain, command, '--master', options.master, '--zk', zk, '--zk_session_timeout', '3secs'];
  args.push('--http_port', '0', '--http_address', '127.0.0.1', '--hostname', '127.0.0.1');
  args.push('--framework_name', `${command}-auth-it`, ...options.args);
  const out: LoggedDaemon[] = [];
  for (const name of [`${command} 1`, `${command} 2`]) {
    const lines: string[] = [];
    const daemon = await DaemonProcess.start(process.execPath, args, {
      name,
      env: { ...process.env, MESOCOSM_LOG: 'debug' },
      readyTimeoutMs: 30_000,
      onStderr: (line) => lines.push(line),
    });
    out.push({ daemon, lines });
  }
  return out;
}

/** Every line the daemons wrote, for a search for secrets. */
export function allLines(daemons: readonly LoggedDaemon[]): string {
  return daemons.flatMap((d) => [...d.lines, ...d.daemon.stdoutLines]).join('\n');
}
