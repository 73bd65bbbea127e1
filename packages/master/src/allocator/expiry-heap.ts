// A binary min-heap of items by their expiry time: the offer filters' next
// expiry without walking every filter. Pure.

/** Items ordered by `expiresAt`, earliest first. @internal */
export class ExpiryHeap<T extends { readonly expiresAt: number }> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest item, if any. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as T;
      if (p.expiresAt <= item.expiresAt) break;
      a[i] = p;
      i = parent;
    }
    a[i] = item;
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as T).expiresAt < (a[l] as T).expiresAt ? r : l;
      if ((a[child] as T).expiresAt >= last.expiresAt) break;
      a[i] = a[child] as T;
      i = child;
    }
    a[i] = last;
    return top;
  }

  /** Keeps only the items `keep` accepts (rebuilt in O(n)). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.items.filter(keep);
    this.items = [];
    for (const item of kept.sort((x, y) => x.expiresAt - y.expiresAt)) this.items.push(item); // sorted is a heap
  }
}
