// Znode path and sequential-name helpers (pure).

/** Joins a parent path and a child name: `joinZkPath('/mesos', 'a')` is `/mesos/a`. */
export function joinZkPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The last segment of a path: `/mesos/json.info_0000000003` gives `json.info_0000000003`. */
export function zkBasename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The sequence number ZooKeeper appended to a sequential znode named
 * `<prefix>NNNNNNNNNN`, or undefined when `name` is not `prefix` followed by
 * digits. (ZooKeeper's counter is a signed 32-bit int printed with ten
 * digits; past 2^31 it would print a '-', which this does not accept.)
 */
export function sequenceOf(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  return /^\d{10}$/.test(digits) ? Number(digits) : undefined;
}
