// A StateStore in memory: for tests, and for `mesocosm local` without a state directory.
import { HaClosedError, StateConflictError } from './errors.js';
import { decodeRecord, encodeRecord } from './record-codec.js';
import { checkCollection, escapeKey } from './record-names.js';
import type { CreateResult, StateRecord, StateStore } from './state-store.js';

interface Stored {
  text: string;
  version: number;
}

/**
 * A {@link StateStore} held in this process (values are stored as JSON text,
 * so a caller mutating an object after `put` does not change the record).
 *
 * @example
 * ```ts
 * const store = new MemoryStateStore();
 * await store.put('apps', '/prod/web', { instances: 2 });
 * ```
 */
export class MemoryStateStore implements StateStore {
  private readonly collections = new Map<string, Map<string, Stored>>();
  private closed = false;

  async get(collection: string, key: string): Promise<StateRecord | undefined> {
    const ref = this.ref(collection, key);
    const stored = this.collections.get(collection)?.get(key);
    if (!stored) return undefined;
    return { ...ref, value: decodeRecord(ref, stored.text, 'memory'), version: stored.version };
  }

  async list(collection: string): Promise<string[]> {
    this.open();
    checkCollection(collection);
    return [...(this.collections.get(collection)?.keys() ?? [])].sort();
  }

  async put(collection: string, key: string, value: unknown, expectedVersion?: number): Promise<number> {
    const ref = this.ref(collection, key);
    const text = encodeRecord(ref, value);
    const records = this.records(collection);
    const stored = records.get(key);
    if (expectedVersion !== undefined && stored?.version !== expectedVersion) {
      throw new StateConflictError(ref, expectedVersion, stored ? stored.version : 'absent');
    }
    const version = stored ? stored.version + 1 : 0;
    records.set(key, { text, version });
    return version;
  }

  async create(collection: string, key: string, value: unknown): Promise<CreateResult> {
    const ref = this.ref(collection, key);
    const text = encodeRecord(ref, value);
    const records = this.records(collection);
    const stored = records.get(key);
    if (stored) {
      return {
        created: false,
        existing: { ...ref, value: decodeRecord(ref, stored.text, 'memory'), version: stored.version },
      };
    }
    records.set(key, { text, version: 0 });
    return { created: true, version: 0 };
  }

  async delete(collection: string, key: string, expectedVersion?: number): Promise<boolean> {
    const ref = this.ref(collection, key);
    const records = this.collections.get(collection);
    const stored = records?.get(key);
    if (expectedVersion !== undefined && stored?.version !== expectedVersion) {
      throw new StateConflictError(ref, expectedVersion, stored ? stored.version : 'absent');
    }
    return records?.delete(key) ?? false;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new HaClosedError('this MemoryStateStore');
  }

  private ref(collection: string, key: string): { collection: string; key: string } {
    this.open();
    checkCollection(collection);
    escapeKey(key); // the same key rules as the other stores
    return { collection, key };
  }

  private records(collection: string): Map<string, Stored> {
    let records = this.collections.get(collection);
    if (!records) this.collections.set(collection, (records = new Map()));
    return records;
  }
}
