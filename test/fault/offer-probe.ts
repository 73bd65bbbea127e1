// A second framework, in the test process, that only records when offers
// arrive and from which master (offer IDs start with the master's ID): the
// failover time is "leader lost" to "first offer from the new leader".
import { SchedulerDriver, silentLogger } from '@mesocosm/framework-sdk';

/** An offer seen by the probe. */
export interface ProbedOffer {
  id: string;
  at: number;
  epoch: number;
}

/** Subscribes as `fault-probe`, declines every offer with a short filter, and records it. */
export class OfferProbe {
  readonly offers: ProbedOffer[] = [];
  private readonly driver: SchedulerDriver;

  constructor(master: string) {
    this.driver = new SchedulerDriver({
      master,
      framework: { name: 'fault-probe', user: 'nobody', failoverTimeout: 3600 },
      logger: silentLogger,
      reconnectBackoffMs: 100,
    });
    this.driver.on('offers', ({ offers }, event) => {
      const ids = (offers ?? []).map((o) => o.id?.value ?? '');
      for (const id of ids) this.offers.push({ id, at: Date.now(), epoch: Number(event?.epoch ?? 0) });
      this.driver.decline(ids, { refuseSeconds: 0.2 });
    });
  }

  async start(): Promise<string> {
    return (await this.driver.start()).frameworkId;
  }

  /** The first offer made by master `masterId` at or after `since`. */
  firstFrom(masterId: string, since = 0): ProbedOffer | undefined {
    return this.offers.find((o) => o.at >= since && o.id.startsWith(`${masterId}-`));
  }

  stop(): Promise<void> {
    return this.driver.stop();
  }
}
