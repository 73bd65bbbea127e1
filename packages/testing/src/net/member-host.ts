// Where a LocalCluster member process runs: an address to bind and
// advertise, and a command prefix that puts the process there.

/**
 * A place to run a master or an agent process: a {@link NetworkHost} (its
 * namespace) or {@link NetworkHosts.gateway} (the root namespace, on the
 * bridge's address). Any object of this shape works, e.g.
 * `{ ip: '127.0.0.2', wrap: [] }`.
 */
export interface MemberHost {
  /** The address the member binds (`--ip`) and advertises. */
  readonly ip: string;
  /** Prepended to the member's command line, e.g. `['ip', 'netns', 'exec', 'mc-run-a']`; `[]` for none. */
  readonly wrap: readonly string[];
}
