// Master detection: where is the leading master? A fixed address today;
// ZooKeeper detection plugs in behind the same interface later.
import { ValidationError } from '@mesocosm/protocol';

/**
 * Finds the leading master's gRPC address (`host:port`). The driver asks
 * again before every (re)subscription, so an implementation that follows a
 * leader election makes failover transparent.
 */
export interface MasterDetector {
  /** The current leader's gRPC address. May wait until a leader is known. */
  detect(): Promise<string>;
  /** Releases whatever the detector holds (watches, sessions). */
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

  constructor(address: string) {
    this.address = parseMasterAddress(address);
  }

  detect(): Promise<string> {
    return Promise.resolve(this.address);
  }

  close(): void {}
}

/** Checks a `host:port` master address and returns it trimmed; throws a `ValidationError` otherwise. */
export function parseMasterAddress(address: string): string {
  const a = address.trim();
  if (a.startsWith('zk://')) {
    throw new ValidationError(
      'master',
      `ZooKeeper master detection ('${a}') is not supported yet; pass the master's gRPC address as host:port`,
    );
  }
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(a);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new ValidationError('master', `'${address}' is not a gRPC address like 127.0.0.1:5060`);
  }
  return a;
}

/** The detector for a `--master` value (today: a fixed `host:port`). */
export function createMasterDetector(master: string): MasterDetector {
  return new FixedMasterDetector(master);
}
