// `zk://` URLs, as Mesos takes them: zk://[user:pass@]host1:port1,host2:port2/path
import { ValidationError } from '../errors.js';

/** The default ZooKeeper client port, used when a host has none. */
export const DEFAULT_ZK_PORT = 2181;

/** A parsed `zk://` URL. */
export interface ZkUrl {
  /** The ensemble as the client takes it: `h1:2181,h2:2181` (no path). */
  readonly connect: string;
  /** The znode path under which Mesocosm works, e.g. `/mesos`. */
  readonly path: string;
  /** `user:pass@` credentials, sent as ZooKeeper `digest` authentication. */
  readonly auth?: { readonly scheme: 'digest'; readonly credentials: string };
}

function fail(url: string, why: string): never {
  throw new ValidationError('zk', `'${url}' is not a ZooKeeper URL like zk://host1:2181,host2:2181/mesos: ${why}`);
}

function parseHost(url: string, hostPort: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!m) fail(url, `'${hostPort}' is not host or host:port`);
  const port = m[2] === undefined ? DEFAULT_ZK_PORT : Number(m[2]);
  if (port < 1 || port > 65535) fail(url, `port ${port} is out of range (1-65535)`);
  return `${m[1]}:${port}`;
}

function checkPath(url: string, path: string): string {
  if (path === '' || path === '/') fail(url, 'it has no znode path; add one, e.g. /mesos');
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '')) fail(url, `the path '${path}' has an empty segment (or a trailing /)`);
  if (segments.some((s) => s === '.' || s === '..')) fail(url, `the path '${path}' has a '.' or '..' segment`);
  return path;
}

/**
 * Parses `zk://[user:pass@]host1:port1[,host2:port2...]/path`. A host without
 * a port gets 2181. Throws a `ValidationError` (field `zk`) that says what is
 * wrong.
 *
 * @example
 * ```ts
 * parseZkUrl('zk://h1:2181,h2:2181/mesos'); // { connect: 'h1:2181,h2:2181', path: '/mesos' }
 * ```
 */
export function parseZkUrl(url: string): ZkUrl {
  const text = url.trim();
  if (!text.toLowerCase().startsWith('zk://')) fail(url, "it must start with 'zk://'");
  const rest = text.slice('zk://'.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = checkPath(url, slash < 0 ? '' : rest.slice(slash));
  const at = authority.lastIndexOf('@');
  const credentials = at < 0 ? undefined : authority.slice(0, at);
  const hostList = at < 0 ? authority : authority.slice(at + 1);
  if (credentials !== undefined && !/^[^:@]+:[^@]*$/.test(credentials)) {
    fail(url, 'credentials must be user:password before the @');
  }
  if (hostList === '') fail(url, 'it names no host');
  const hosts = hostList.split(',').map((h) => {
    if (h === '') fail(url, 'it has an empty host between commas');
    return parseHost(url, h);
  });
  return {
    connect: hosts.join(','),
    path,
    ...(credentials !== undefined ? { auth: { scheme: 'digest', credentials } as const } : {}),
  };
}

/** True when `s` looks like a `zk://` URL (whether or not it is a valid one). */
export function isZkUrl(s: string): boolean {
  return s.trim().toLowerCase().startsWith('zk://');
}
