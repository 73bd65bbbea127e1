// Where the operator verbs find the master's HTTP API: `--master`, else
// MESOCOSM_MASTER, else http://127.0.0.1:5050 (the master's default port).
// `host:port` and a bare host are taken as HTTP; `zk://.../mesos` is looked up
// in ZooKeeper (the leader's MasterInfo carries its HTTP port).
import { MesocosmError } from '@mesocosm/protocol';
import { decodeMasterInfoJson, isZkUrl, joinZkPath, leaderOf, parseZkUrl, ZkClient } from '@mesocosm/protocol/zk';
import { UsageError } from './errors.js';

/** The environment variable the operator verbs read when `--master` is not given. */
export const MASTER_ENV = 'MESOCOSM_MASTER';

/** The master's HTTP address when neither `--master` nor MESOCOSM_MASTER says. */
export const DEFAULT_MASTER_URL = 'http://127.0.0.1:5050';

/** The conventional HTTP port of a master (DESIGN §10). */
const DEFAULT_HTTP_PORT = 5050;

/**
 * The master as the user wrote it, checked: an `http(s)://` URL (a
 * proxy's path prefix is kept), `host:port` or `host` (HTTP, port 5050), or a `zk://` URL
 * (returned as it is, for {@link resolveMasterUrl}). Pure.
 * @throws Error that says what to write instead.
 */
export function parseOperatorMaster(text: string): string {
  const t = text.trim();
  if (isZkUrl(t)) {
    try {
      parseZkUrl(t);
    } catch (err) {
      throw new Error((err as Error).message, { cause: err });
    }
    return t;
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(t);
  const withScheme = hasScheme ? t : `http://${t}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    url = new URL('invalid://');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new Error(
      `'${text}' is not the master's HTTP address: write http://host:5050, host:5050 or zk://host:2181/mesos`,
    );
  }
  const port = url.port !== '' ? `:${url.port}` : hasScheme ? '' : `:${DEFAULT_HTTP_PORT}`;
  return `${url.protocol}//${url.hostname}${port}${url.pathname.replace(/\/+$/, '')}`;
}

/** The master's address from the flag, the environment or the default, checked. @throws UsageError */
export function masterAddressOf(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (flag !== undefined) return flag; // checked by the flag's parser
  const fromEnv = env[MASTER_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') return DEFAULT_MASTER_URL;
  try {
    return parseOperatorMaster(fromEnv);
  } catch (err) {
    throw new UsageError(MASTER_ENV, (err as Error).message);
  }
}

/** The HTTP URL of the leader named in the election znodes under `zk`. */
async function leaderFromZooKeeper(zk: string, timeoutMs: number, scheme: 'http' | 'https'): Promise<string> {
  const url = parseZkUrl(zk);
  let client: ZkClient;
  try {
    client = await ZkClient.connect({ connect: url.connect, sessionTimeoutMs: timeoutMs, connectTimeoutMs: timeoutMs });
  } catch (err) {
    throw new MesocosmError('DISCONNECTED', `cannot find the master through ${zk}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const children = await client.getChildren(url.path).catch((err: unknown) => {
      throw new MesocosmError('NOT_FOUND', `no masters under ${zk}: ${(err as Error).message}`, { cause: err });
    });
    const leader = leaderOf(children);
    if (leader === undefined) {
      throw new MesocosmError('NOT_LEADER', `no master is elected under ${zk} yet; retry shortly`);
    }
    const info = decodeMasterInfoJson((await client.get(joinZkPath(url.path, leader))).data);
    const ip = info.ip ?? '';
    return `${scheme}://${ip.includes(':') ? `[${ip}]` : ip}:${info.port ?? DEFAULT_HTTP_PORT}`;
  } finally {
    client.close();
  }
}

/**
 * The HTTP base URL to send requests to: `address` itself, or the leader a
 * `zk://` address names (with `scheme`: `https` when the masters serve TLS).
 */
export async function resolveMasterUrl(
  address: string,
  timeoutMs = 10_000,
  scheme: 'http' | 'https' = 'http',
): Promise<string> {
  return isZkUrl(address) ? leaderFromZooKeeper(address, timeoutMs, scheme) : address;
}
