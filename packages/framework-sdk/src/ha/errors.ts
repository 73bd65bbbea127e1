// Errors of the framework HA toolkit: state store conflicts and limits,
// and writes refused because this instance does not lead.
import { MesocosmError } from '@mesocosm/protocol';

/** Where a record lives: its collection and key. */
export interface RecordRef {
  readonly collection: string;
  readonly key: string;
}

function describe(ref: RecordRef): string {
  return `record '${ref.key}' of collection '${ref.collection}'`;
}

/**
 * A compare-and-set lost: the record was not at the expected version (or
 * was absent, or was present for a create). Read it again and retry, or
 * report the conflict (Marathon answers 409).
 */
export class StateConflictError extends MesocosmError {
  readonly collection: string;
  readonly key: string;
  /** The version the caller expected; undefined for a create (expected absent). */
  readonly expectedVersion: number | undefined;
  /** The version found, when known; undefined when the record is absent or was not read. */
  readonly actualVersion: number | undefined;

  constructor(ref: RecordRef, expectedVersion: number | undefined, actual: number | 'absent' | 'unknown') {
    const expected = expectedVersion === undefined ? 'it to be absent' : `version ${expectedVersion}`;
    const found =
      actual === 'absent' ? 'it is absent' : actual === 'unknown' ? 'it changed' : `it is at version ${actual}`;
    super(
      'CONFLICT',
      `${describe(ref)} changed concurrently: expected ${expected}, but ${found}; read it again and retry`,
      {
        details: { collection: ref.collection, key: ref.key, expectedVersion, actual },
      },
    );
    this.collection = ref.collection;
    this.key = ref.key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = typeof actual === 'number' ? actual : undefined;
  }
}

/** A record whose JSON is larger than a store accepts (ZooKeeper's 1 MB packet limit). */
export class StateRecordTooLargeError extends MesocosmError {
  readonly collection: string;
  readonly key: string;
  readonly bytes: number;
  readonly limit: number;

  constructor(ref: RecordRef, bytes: number, limit: number) {
    super(
      'INVALID_ARGUMENT',
      `${describe(ref)} is ${bytes} bytes of JSON, more than the ${limit} bytes a record may hold ` +
        "(ZooKeeper's 1 MB limit): split it into several records",
      { details: { collection: ref.collection, key: ref.key, bytes, limit } },
    );
    this.collection = ref.collection;
    this.key = ref.key;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** A stored record that cannot be read back (not JSON, or not in the store's format). */
export class StateCorruptError extends MesocosmError {
  constructor(ref: RecordRef, where: string, cause?: unknown) {
    super(
      'INTERNAL',
      `${describe(ref)} at ${where} is not a valid stored record: restore it from a backup or delete it`,
      {
        cause,
        details: { collection: ref.collection, key: ref.key, where },
      },
    );
  }
}

/**
 * A write refused because this instance is not the leader (or stopped
 * leading while the write was being made). `leaderUrl` is the current
 * leader's URL when known: redirect the client there.
 */
export class NotLeaderError extends MesocosmError {
  readonly leaderUrl: string | undefined;

  constructor(what: string, leaderUrl: string | undefined) {
    super(
      'NOT_LEADER',
      `${what}: this instance is not the leader` +
        (leaderUrl === undefined ? ' and no leader is known yet; retry shortly' : `; the leader is ${leaderUrl}`),
      { details: leaderUrl === undefined ? {} : { leaderUrl } },
    );
    this.leaderUrl = leaderUrl;
  }
}

/** A call on a store, connection or election that was closed or withdrawn. */
export class HaClosedError extends MesocosmError {
  constructor(what: string) {
    super('DISCONNECTED', `${what} was closed; create a new one`);
  }
}
