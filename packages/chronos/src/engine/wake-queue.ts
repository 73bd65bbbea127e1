// A min-heap of wake times, one entry per key (a job name), with its
// position indexed so that changing or removing one key costs O(log n):
// the engine's timer work then depends on what changed, not on how many
// jobs exist. Ties, and the keys due at one tick, go in the order keys were
// first added, so that jobs due together are dealt with in creation order.

interface Entry {
  readonly key: string;
  at: number;
  readonly seq: number;
}

/**
 * Wake times by key, earliest first.
 *
 * @example
 * ```ts
 * const q = new WakeQueue();
 * q.set('nightly', t0 + 86_400_000);
 * q.set('hourly', t0 + 3_600_000);
 * q.peek(); // t0 + 3_600_000
 * q.popDue(t0 + 3_600_000); // ['hourly']
 * ```
 */
export class WakeQueue {
  private readonly heap: Entry[] = [];
  private readonly index = new Map<string, number>();
  /** First-seen order of keys, kept while the key is known (see {@link WakeQueue.forget}). */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;

  /** How many keys have a wake time. */
  get size(): number {
    return this.heap.length;
  }

  /** The key's wake time, if it has one. */
  get(key: string): number | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.heap[i]?.at;
  }

  /** Sets (or, with undefined, removes) the key's wake time. */
  set(key: string, at: number | undefined): void {
    const i = this.index.get(key);
    if (at === undefined) {
      if (i !== undefined) this.removeAt(i);
      return;
    }
    if (i === undefined) {
      let seq = this.seqs.get(key);
      if (seq === undefined) this.seqs.set(key, (seq = this.nextSeq++));
      this.heap.push({ key, at, seq });
      this.index.set(key, this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    const e = this.heap[i];
    if (e === undefined) return;
    e.at = at;
    this.up(i);
    this.down(this.index.get(key) ?? i);
  }

  /** Removes the key and its place in the tie order (the key was deleted). */
  forget(key: string): void {
    this.set(key, undefined);
    this.seqs.delete(key);
  }

  /** The earliest wake time, if any. */
  peek(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Removes and returns the keys due at `now` (wake time ≤ now), in first-added order (the jobs' creation order). */
  popDue(now: number): string[] {
    const due: Entry[] = [];
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      due.push(top);
      this.removeAt(0);
    }
    return due.sort((a, b) => a.seq - b.seq).map((e) => e.key);
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private removeAt(i: number): void {
    const e = this.heap[i];
    const last = this.heap.pop();
    if (e === undefined || last === undefined) return;
    this.index.delete(e.key);
    if (last === e) return;
    this.heap[i] = last;
    this.index.set(last.key, i);
    this.up(i);
    this.down(this.index.get(last.key) ?? i);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i];
    const b = this.heap[j];
    if (a === undefined || b === undefined) return;
    this.heap[i] = b;
    this.heap[j] = a;
    this.index.set(b.key, i);
    this.index.set(a.key, j);
  }

  private up(i: number): void {
    for (let c = i; c > 0;) {
      const p = (c - 1) >> 1;
      const ce = this.heap[c];
      const pe = this.heap[p];
      if (ce === undefined || pe === undefined || !this.before(ce, pe)) return;
      this.swap(c, p);
      c = p;
    }
  }

  private down(i: number): void {
    for (let p = i; ;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      const me = this.heap[m];
      const le = this.heap[l];
      const re = this.heap[r];
      if (me === undefined) return;
      if (le !== undefined && this.before(le, me)) m = l;
      const best = this.heap[m];
      if (re !== undefined && best !== undefined && this.before(re, best)) m = r;
      if (m === p) return;
      this.swap(p, m);
      p = m;
    }
  }
}
