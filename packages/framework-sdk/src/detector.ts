// Master detection: where is the leading master? A fixed address, or the
// leader of a ZooKeeper election (`zk://` URLs), behind one interface.
import { ValidationError, type Clock, type Logger } from '@mesocosm/protocol';
import { isZkUrl } from '@mesocosm/protocol/zk';
import { DetectorClosedError } from './detection/errors.js';
import { ZooKeeperMasterDetector } from './detection/zookeeper-detector.js';

/**
 * Finds the leading master's gRPC address (`host:port`). The driver asks
 * again before every (re)subscription, and waits on `detect(current)` while
 * connected, so an implementation that follows a leader election makes
 * failover transparent.
 */
export interface MasterDetector {
  /**
   * The current leader's gRPC address. May wait until a leader is known.
   * With `previous`, resolves only once the leader is another than
   * `previous` (as Mesos' detector): a way to wait for a failover.
   */
  detect(previous?: string): Promise<string>;
  /** Releases whatever the detector holds (watches, sessions); pending detect() calls reject. */
  close(): void;
}

/**
 * A detector that always answers the same address.
 *
 * @example
 * ```ts
 * const detector = new FixedMasterDetector('127.0.0.1:5060');
 * await detector.detect(); // '127.0.0.1:5060'
 * ```
 */
export class FixedMasterDetector implements MasterDetector {
  readonly address: string;
  private readonly waiting = new Set<(err: Error) => void>();
  private closed = false;

  constructor(address: string) {
    this.address = parseMasterAddress(address);
  }

  /** The address; with `previous` equal to it, never resolves (the leader never changes) until close(). */
  detect(previous?: string): Promise<string> {
    if (this.closed) return Promise.reject(new DetectorClosedError());
    if (previous !== this.address) return Promise.resolve(this.address);
    return new Promise<string>((_resolve, reject) => this.waiting.add(reject));
  }

  close(): void {
    this.closed = true;
    for (const reject of this.waiting) reject(new DetectorClosedError());
    this.waiting.clear();
  }
}

/** Checks a `host:port` master address and returns it trimmed; throws a `ValidationError` otherwise. */
export function parseMasterAddress(address: string): string {
  const a = address.trim();
  if (isZkUrl(a)) {
    throw new ValidationError('master', `'${a}' is a ZooKeeper URL, not host:port: use createMasterDetector() for it`);
  }
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(a);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new ValidationError(
      'master',
      `'${address}' is not a gRPC address like 127.0.0.1:5060 or zk://host:2181/mesos`,
    );
  }
  return a;
}

/** Options of {@link createMasterDetector} (used for `zk://` URLs). */
export interface MasterDetectorOptions {
  /** ZooKeeper session timeout (default 10 000 ms). */
  zkSessionTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The detector for a `--master` value: `zk://[user:pass@]h1:2181,h2:2181/mesos`
 * follows the ZooKeeper election; `host:port` is a fixed address. Throws a
 * `ValidationError` for anything else.
 */
export function createMasterDetector(master: string, options: MasterDetectorOptions = {}): MasterDetector {
  if (!isZkUrl(master)) return new FixedMasterDetector(master);
  return new ZooKeeperMasterDetector(master.trim(), {
    ...(options.zkSessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.zkSessionTimeoutMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
