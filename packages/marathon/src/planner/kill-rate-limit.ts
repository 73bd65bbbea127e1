// When many tasks turn unhealthy at once (a shared dependency down, a
// network blip), killing them all would turn a blip into an outage. Kills for
// failed health checks therefore go through a token bucket over injected time.

/** Bucket size and refill rate. */
export interface KillRateOptions {
  /** Kills allowed in a burst. */
  readonly burst: number;
  /** Kills allowed per second after the burst. */
  readonly perSecond: number;
}

/** The default: a burst of 10, then one kill a second. */
export const DEFAULT_KILL_RATE: KillRateOptions = { burst: 10, perSecond: 1 };

/** A token bucket; `now` in ms. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: KillRateOptions,
    now: number,
  ) {
    if (!(options.burst >= 1) || !(options.perSecond > 0)) {
      throw new RangeError(`a kill rate needs burst >= 1 and perSecond > 0, got ${JSON.stringify(options)}`);
    }
    this.tokens = options.burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
      this.last = now;
    }
  }

  /** Whole tokens available at `now`. */
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** When (ms) the next token will be there (`now` if one is). */
  nextTokenAt(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return now;
    return now + Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000);
  }
}

/** Kills allowed now and the ones put off, with when to ask again. */
export interface KillAdmission {
  readonly kill: readonly string[];
  readonly deferred: readonly string[];
  /** When to retry the deferred ones (ms); undefined when none is deferred. */
  readonly retryAt?: number;
}

/** Admits as many of `candidates` (in order) as the bucket allows at `now`. */
export function admitKills(bucket: TokenBucket, candidates: readonly string[], now: number): KillAdmission {
  const kill: string[] = [];
  let i = 0;
  while (i < candidates.length && bucket.tryTake(now)) kill.push(candidates[i++] as string);
  const deferred = candidates.slice(i);
  return deferred.length === 0 ? { kill, deferred } : { kill, deferred, retryAt: bucket.nextTokenAt(now) };
}
