// A StateStore in a directory: one file per record, written atomically
// (temporary file, fsync, rename), for `mesocosm local` without ZooKeeper.
//
// Layout: <dir>/<collection>/<escaped key>.json holding {"version":N,"value":...}.
// Compare-and-set is serialised per record inside this process; a create
// uses link(2), which fails when the name exists, so create-if-absent holds
// across processes too. One process should own a directory (as one leader
// owns the ZooKeeper state): two writers racing a put may both succeed.
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HaClosedError, StateConflictError, StateCorruptError, type RecordRef } from './errors.js';
import { encodeRecord } from './record-codec.js';
import { checkCollection, escapeKey, unescapeKey } from './record-names.js';
import type { CreateResult, StateRecord, StateStore } from './state-store.js';

const SUFFIX = '.json';

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/**
 * A {@link StateStore} in a local directory (created when missing).
 *
 * @example
 * ```ts
 * const store = new FileStateStore('/var/lib/mesocosm/marathon');
 * const version = await store.put('apps', '/prod/web', app);
 * await store.put('apps', '/prod/web', { ...app, instances: 3 }, version);
 * ```
 */
export class FileStateStore implements StateStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private closed = false;

  /** @param dir where the collections live (created when missing). */
  constructor(readonly dir: string) {}

  async get(collection: string, key: string): Promise<StateRecord | undefined> {
    const ref = this.ref(collection, key);
    return this.read(ref, this.pathOf(ref));
  }

  async list(collection: string): Promise<string[]> {
    this.open();
    let names: string[];
    try {
      names = await readdir(join(this.dir, checkCollection(collection)));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
    const keys: string[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const key = unescapeKey(name.slice(0, -SUFFIX.length));
      if (key !== undefined) keys.push(key);
    }
    return keys.sort();
  }

  async put(collection: string, key: string, value: unknown, expectedVersion?: number): Promise<number> {
    const ref = this.ref(collection, key);
    const text = encodeRecord(ref, value);
    const path = this.pathOf(ref);
    return this.exclusive(path, async () => {
      const current = await this.read(ref, path);
      if (expectedVersion !== undefined && current?.version !== expectedVersion) {
        throw new StateConflictError(ref, expectedVersion, current ? current.version : 'absent');
      }
      const version = current ? current.version + 1 : 0;
      const temp = await this.writeTemp(ref, text, version);
      await rename(temp, path);
      return version;
    });
  }

  async create(collection: string, key: string, value: unknown): Promise<CreateResult> {
    const ref = this.ref(collection, key);
    const text = encodeRecord(ref, value);
    const path = this.pathOf(ref);
    return this.exclusive(path, async () => {
      const temp = await this.writeTemp(ref, text, 0);
      try {
        for (;;) {
          try {
            await link(temp, path); // fails if the name exists: atomic create-if-absent
            return { created: true, version: 0 } as const;
          } catch (err) {
            if (!isErrno(err, 'EEXIST')) throw err;
          }
          const existing = await this.read(ref, path);
          if (existing) return { created: false, existing } as const;
          // Deleted between the link and the read (by another process): try again.
        }
      } finally {
        await unlink(temp).catch(() => {});
      }
    });
  }

  async delete(collection: string, key: string, expectedVersion?: number): Promise<boolean> {
    const ref = this.ref(collection, key);
    const path = this.pathOf(ref);
    return this.exclusive(path, async () => {
      if (expectedVersion !== undefined) {
        const current = await this.read(ref, path);
        if (current?.version !== expectedVersion) {
          throw new StateConflictError(ref, expectedVersion, current ? current.version : 'absent');
        }
      }
      try {
        await unlink(path);
        return true;
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return false;
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.locks.values()]);
  }

  private open(): void {
    if (this.closed) throw new HaClosedError(`the FileStateStore in ${this.dir}`);
  }

  private ref(collection: string, key: string): RecordRef {
    this.open();
    return { collection: checkCollection(collection), key };
  }

  private pathOf(ref: RecordRef): string {
    return join(this.dir, ref.collection, escapeKey(ref.key) + SUFFIX);
  }

  private async read(ref: RecordRef, path: string): Promise<StateRecord | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (err) {
      throw new StateCorruptError(ref, path, err);
    }
    const stored = parsed as { version?: unknown; value?: unknown } | null;
    if (typeof stored !== 'object' || stored === null || !Number.isInteger(stored.version) || !('value' in stored)) {
      throw new StateCorruptError(ref, path);
    }
    return { ...ref, value: stored.value, version: stored.version as number };
  }

  /** Writes the record to a new temporary file beside it, synced to disk; returns its path. */
  private async writeTemp(ref: RecordRef, text: string, version: number): Promise<string> {
    const dir = join(this.dir, ref.collection);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.tmp-${randomUUID()}`);
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(`{"version":${version},"value":${text}}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    return temp;
  }

  /** Runs `fn` after every earlier operation on `path` in this store. */
  private exclusive<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(path) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.locks.set(path, tail);
    void tail.then(() => {
      if (this.locks.get(path) === tail) this.locks.delete(path);
    });
    return run;
  }
}
