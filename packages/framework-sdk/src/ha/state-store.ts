// The persistent state of a framework: named collections of JSON records,
// each with a version for compare-and-set.

/** One stored record. */
export interface StateRecord {
  readonly collection: string;
  readonly key: string;
  /** The stored JSON, parsed. Unknown at this boundary: validate it into your own type. */
  readonly value: unknown;
  /** 0 when created, +1 on every write (ZooKeeper's znode version). */
  readonly version: number;
}

/** The outcome of {@link StateStore.create}. */
export type CreateResult =
  { readonly created: true; readonly version: 0 } | { readonly created: false; readonly existing: StateRecord };

/**
 * Named collections of JSON records with versions. Every implementation
 * (`ZooKeeperStateStore`, `FileStateStore`, `MemoryStateStore`) has the same
 * semantics, checked by one conformance suite:
 *
 * - keys are any non-empty string (escaped into one path segment: '/' and
 *   unicode are fine), at most 250 characters once escaped;
 * - collections are 1-64 of [A-Za-z0-9_-] and exist implicitly;
 * - values are JSON of at most `MAX_RECORD_BYTES` (a larger one is refused
 *   with `StateRecordTooLargeError` naming the record, never truncated);
 * - versions start at 0 and grow by one on every write;
 * - a lost compare-and-set throws `StateConflictError`.
 *
 * @example
 * ```ts
 * const run = await store.create('runs', `${job}@${scheduledAt}`, { runId });
 * if (!run.created) return; // another leader (or an earlier us) recorded this run: do not launch twice
 * ```
 */
export interface StateStore {
  /** The record, or undefined when absent. */
  get(collection: string, key: string): Promise<StateRecord | undefined>;
  /** The keys of the collection's records, sorted (by UTF-16 code unit); [] for an empty or unknown collection. */
  list(collection: string): Promise<string[]>;
  /**
   * Writes the record and resolves with its new version. With
   * `expectedVersion`, only if the record is at that version now
   * (compare-and-set): otherwise, or when it is absent, `StateConflictError`.
   * Without it, creates or overwrites.
   */
  put(collection: string, key: string, value: unknown, expectedVersion?: number): Promise<number>;
  /**
   * Creates the record only if it is absent, atomically (exactly one of
   * several concurrent creators wins, across processes for the ZooKeeper and
   * file stores): `{ created: true }`, or `{ created: false, existing }`
   * with the record that was there.
   */
  create(collection: string, key: string, value: unknown): Promise<CreateResult>;
  /**
   * Deletes the record; true when it was there. With `expectedVersion`,
   * only if it is at that version (else, or when absent, `StateConflictError`).
   */
  delete(collection: string, key: string, expectedVersion?: number): Promise<boolean>;
  /** Releases what the store holds (a ZooKeeper session it opened). Further calls fail. */
  close(): Promise<void>;
}

/**
 * Every record of a collection (list, then get each; a record deleted
 * meanwhile is skipped). Not a snapshot: records may change while it reads.
 */
export async function readCollection(store: StateStore, collection: string): Promise<StateRecord[]> {
  const records: StateRecord[] = [];
  for (const key of await store.list(collection)) {
    const record = await store.get(collection, key);
    if (record) records.push(record);
  }
  return records;
}
