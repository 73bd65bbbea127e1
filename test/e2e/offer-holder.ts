// A framework in the test process that keeps the offers it gets outstanding
// (so the Offers page and /master/state have some) and records every offer
// with its agent and when it came.
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';

/** An offer the holder was given. */
export interface HeldOffer {
  id: string;
  agentId: string;
  at: number;
}

/** Subscribes as `name` and holds every offer until {@link OfferHolder.declineAll}. */
export class OfferHolder {
  readonly offers: HeldOffer[] = [];
  private held = new Set<string>();
  private readonly driver: SchedulerDriver;

  constructor(master: string, name: string) {
    this.driver = new SchedulerDriver({ master, framework: { name, user: 'nobody' }, logger: silentLogger });
    this.driver.on('offers', ({ offers }) => {
      for (const o of offers ?? []) {
        const id = o.id?.value ?? '';
        this.offers.push({ id, agentId: o.agentId?.value ?? '', at: Date.now() });
        this.held.add(id);
      }
    });
    this.driver.on('rescind', ({ offerId }) => void this.held.delete(offerId?.value ?? ''));
  }

  /** Subscribes; resolves with the framework ID. */
  async start(): Promise<string> {
    return (await this.driver.start()).frameworkId;
  }

  /** Gives back every held offer with no filter: the master may offer it again at once. */
  declineAll(): void {
    const ids = [...this.held];
    this.held.clear();
    if (ids.length > 0) this.driver.decline(ids, { refuseSeconds: 0 });
  }

  /** Offers for `agentId` given at or after `since`. */
  offersFor(agentId: string, since = 0): HeldOffer[] {
    return this.offers.filter((o) => o.agentId === agentId && o.at >= since);
  }

  stop(): Promise<void> {
    return this.driver.stop();
  }
}
