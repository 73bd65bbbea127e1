// The decisions of a GrpcMessageProxy: an ordered chain of filters, each of
// which may drop a message, and the counts of what passed and what dropped.
import { ProxyError } from './errors.js';
import type { MessageDirection, ProxiedMessageArgs, ProxiedServiceName } from './proxied-services.js';

/** What a filter says about a message. */
export type FilterVerdict = 'pass' | 'drop';

/** Decides the fate of each message; `(direction, message)`, the message typed by its direction. */
export type MessageFilter<S extends ProxiedServiceName> = (...args: ProxiedMessageArgs<S>) => FilterVerdict;

/** Selects messages: a function of `(direction, message)`, or a direction and a type name such as `UPDATE`. */
export type MessageSelector<S extends ProxiedServiceName> =
  ((...args: ProxiedMessageArgs<S>) => boolean) | { direction: MessageDirection; type?: string };

/** A rule made by `dropFirst`. */
export interface DropRule {
  /** Messages dropped by this rule so far. */
  readonly dropped: number;
  /** Messages it will still drop. */
  readonly remaining: number;
  /** Stops the rule (already dropped messages stay dropped). */
  remove(): void;
}

/** Messages seen by a proxy, by direction and type name (e.g. `passed.toServer.UPDATE`). */
export interface MessageCounts {
  passed: Record<MessageDirection, Record<string, number>>;
  dropped: Record<MessageDirection, Record<string, number>>;
}

type Entry<S extends ProxiedServiceName> = (args: ProxiedMessageArgs<S>, typeName: string) => FilterVerdict;

const emptyCounts = (): MessageCounts => ({
  passed: { toServer: {}, toClient: {} },
  dropped: { toServer: {}, toClient: {} },
});

/** See the file comment. @internal */
export class FilterChain<S extends ProxiedServiceName> {
  private readonly entries: Entry<S>[] = [];
  private tally = emptyCounts();

  /** Adds `filter` at the end of the chain; returns its remover. */
  add(filter: MessageFilter<S>): () => void {
    return this.push((args) => filter(...args));
  }

  /** Drops the first `n` messages that `selector` selects (and that no earlier filter dropped). */
  dropFirst(n: number, selector: MessageSelector<S>): DropRule {
    if (!Number.isInteger(n) || n < 0) throw new ProxyError(`dropFirst needs a whole number of messages, got ${n}`);
    const selects = selectorFunction(selector);
    let dropped = 0;
    const remove = this.push((args, typeName) => {
      if (dropped >= n || !selects(args, typeName)) return 'pass';
      dropped++;
      return 'drop';
    });
    return {
      get dropped() {
        return dropped;
      },
      get remaining() {
        return n - dropped;
      },
      remove,
    };
  }

  /** Runs the chain (the first 'drop' wins) and counts the outcome under `typeName`. */
  decide(args: ProxiedMessageArgs<S>, typeName: string): FilterVerdict {
    let verdict: FilterVerdict = 'pass';
    for (const entry of [...this.entries]) {
      if (entry(args, typeName) === 'drop') {
        verdict = 'drop';
        break;
      }
    }
    const bucket = this.tally[verdict === 'pass' ? 'passed' : 'dropped'][args[0]];
    bucket[typeName] = (bucket[typeName] ?? 0) + 1;
    return verdict;
  }

  /** A copy of the counts. */
  counts(): MessageCounts {
    const copy = emptyCounts();
    for (const outcome of ['passed', 'dropped'] as const)
      for (const d of ['toServer', 'toClient'] as const) copy[outcome][d] = { ...this.tally[outcome][d] };
    return copy;
  }

  /** Zeroes the counts. */
  resetCounts(): void {
    this.tally = emptyCounts();
  }

  private push(entry: Entry<S>): () => void {
    this.entries.push(entry);
    return () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
    };
  }
}

function selectorFunction<S extends ProxiedServiceName>(
  selector: MessageSelector<S>,
): (args: ProxiedMessageArgs<S>, typeName: string) => boolean {
  if (typeof selector === 'function') return (args) => selector(...args);
  return (args, typeName) =>
    args[0] === selector.direction && (selector.type === undefined || selector.type === typeName);
}
