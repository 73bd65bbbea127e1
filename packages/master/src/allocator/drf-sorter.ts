// Dominant Resource Fairness ordering over clients (roles, or the frameworks
// of one role), after Mesos' DRFSorter. The order is kept sorted
// incrementally: an allocation change moves one client (binary search and a
// splice), and only a change of the cluster totals re-sorts everything.
import { addInto, dominantShare, isZero, zeroVector, type ScalarVector } from './scalar-vector.js';

/** One sorted client. @internal */
export interface SorterClient {
  readonly name: string;
  /** Allocation in thousandths of {@link SHARE_RESOURCES}. */
  readonly allocation: ScalarVector;
  weight: number;
  /** dominant share / weight, as of the last sort. */
  share: number;
}

function before(a: SorterClient, b: SorterClient): boolean {
  return a.share < b.share || (a.share === b.share && a.name < b.name);
}

/**
 * Orders clients by weighted dominant share, ties by name.
 *
 * `totals` is read live: call {@link DrfSorter.totalsChanged} after changing it.
 * @internal
 */
export class DrfSorter {
  private readonly clients = new Map<string, SorterClient>();
  private order: SorterClient[] = [];
  private dirty = false;

  constructor(private readonly totals: ScalarVector) {}

  get size(): number {
    return this.clients.size;
  }

  has(name: string): boolean {
    return this.clients.has(name);
  }

  /** Adds a client (no-op if present) with a zero allocation. */
  add(name: string, weight = 1): void {
    if (this.clients.has(name)) return;
    const client: SorterClient = { name, allocation: zeroVector(), weight, share: 0 };
    this.clients.set(name, client);
    if (this.dirty) this.order.push(client);
    else this.insert(client);
  }

  remove(name: string): void {
    const client = this.clients.get(name);
    if (!client) return;
    this.clients.delete(name);
    if (this.dirty) this.order.splice(this.order.indexOf(client), 1);
    else this.order.splice(this.indexOf(client), 1);
  }

  setWeight(name: string, weight: number): void {
    const client = this.clients.get(name);
    if (!client || client.weight === weight) return;
    this.update(client, () => {
      client.weight = weight;
    });
  }

  /** Adds `sign * delta` to the client's allocation (adding the client if needed). */
  allocate(name: string, delta: ScalarVector, sign: 1 | -1 = 1): void {
    let client = this.clients.get(name);
    if (!client) {
      this.add(name);
      client = this.clients.get(name) as SorterClient;
    }
    const c = client;
    this.update(c, () => addInto(c.allocation, delta, sign));
  }

  allocation(name: string): ScalarVector | undefined {
    return this.clients.get(name)?.allocation;
  }

  /** True when the client is absent or holds nothing. */
  isIdle(name: string): boolean {
    const client = this.clients.get(name);
    return !client || isZero(client.allocation);
  }

  /** Weighted dominant share, computed now. */
  share(name: string): number {
    const client = this.clients.get(name);
    return client ? dominantShare(client.allocation, this.totals) / client.weight : 0;
  }

  /** The cluster totals changed: every share is stale. */
  totalsChanged(): void {
    this.dirty = true;
  }

  /** Clients in order, lowest weighted share first. The array is live: copy it to iterate across changes. */
  sorted(): readonly SorterClient[] {
    if (this.dirty) {
      for (const c of this.order) c.share = this.computeShare(c);
      this.order.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      this.dirty = false;
    }
    return this.order;
  }

  private computeShare(c: SorterClient): number {
    return dominantShare(c.allocation, this.totals) / c.weight;
  }

  private update(client: SorterClient, change: () => void): void {
    if (this.dirty) {
      change();
      return;
    }
    this.order.splice(this.indexOf(client), 1);
    change();
    client.share = this.computeShare(client);
    this.insert(client);
  }

  /** Position of a client in the (clean) order, by binary search on (share, name). */
  private indexOf(client: SorterClient): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.order[mid] as SorterClient, client)) lo = mid + 1;
      else hi = mid;
    }
    if (this.order[lo] !== client) return this.order.indexOf(client); // never expected; stay correct anyway
    return lo;
  }

  private insert(client: SorterClient): void {
    client.share = this.computeShare(client);
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.order[mid] as SorterClient, client)) lo = mid + 1;
      else hi = mid;
    }
    this.order.splice(lo, 0, client);
  }
}
