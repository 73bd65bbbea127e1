// The framework ID, kept in the state store: a restarted (or newly elected)
// instance subscribes with it and so keeps the framework's tasks.
import { StateCorruptError } from './errors.js';
import type { StateStore } from './state-store.js';

const COLLECTION = 'framework';
const KEY = 'id';

/**
 * Where a framework keeps its ID (`framework/id` in the store).
 *
 * @example
 * ```ts
 * const ids = new FrameworkIdStore(store);
 * const id = await ids.load();
 * const driver = new SchedulerDriver({ master, framework: { ...info, ...(id ? { id } : {}) } });
 * const { frameworkId } = await driver.start();
 * await ids.save(frameworkId);
 * ```
 */
export class FrameworkIdStore {
  constructor(private readonly store: StateStore) {}

  /** The stored framework ID as a FrameworkID (`{ value }`), or undefined before the first subscription. */
  async load(): Promise<{ value: string } | undefined> {
    const record = await this.store.get(COLLECTION, KEY);
    if (!record) return undefined;
    const value = (record.value as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value === '') {
      throw new StateCorruptError({ collection: COLLECTION, key: KEY }, 'the state store');
    }
    return { value };
  }

  /** Stores the framework ID (overwriting; a no-op when it is already the stored one). */
  async save(frameworkId: string): Promise<void> {
    if ((await this.load())?.value === frameworkId) return;
    await this.store.put(COLLECTION, KEY, { value: frameworkId });
  }

  /** Forgets the framework ID (after a teardown: the next subscription gets a new one). */
  async clear(): Promise<void> {
    await this.store.delete(COLLECTION, KEY);
  }
}
