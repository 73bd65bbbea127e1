// The limit of the marathon-scale scenario: the same launches done by a bare
// framework on the SDK's SchedulerDriver, with no state, no deployment and no
// REST layer: on each OFFERS event it places what is still pending with
// matchOffers (spread) and launches it, one ACCEPT per offer used; offers it
// has no use for are declined without a filter while work is pending.
import { SchedulerDriver, matchOffers, silentLogger, type IOffer, type TaskRequest } from '@mesocosm/framework-sdk';

/** A subscribed bare framework, suppressed until given work. */
export class BareLauncher {
  private pending: TaskRequest[] = [];

  private constructor(private readonly driver: SchedulerDriver) {
    driver.on('offers', ({ offers }) => this.onOffers(offers ?? []));
  }

  /** Subscribes `name` to the master at `master` and suppresses offers. */
  static async start(master: string, name: string): Promise<BareLauncher> {
    const driver = new SchedulerDriver({
      master,
      framework: { name, user: 'root', roles: ['*'] },
      logger: silentLogger,
    });
    const launcher = new BareLauncher(driver);
    await driver.start();
    driver.suppress();
    return launcher;
  }

  /** Hands `requests` over and asks for offers (REVIVE). */
  launch(requests: readonly TaskRequest[]): void {
    this.pending.push(...requests);
    this.driver.revive();
  }

  /** Removes the framework: the master kills its tasks and frees their resources. */
  async teardown(): Promise<void> {
    await this.driver.teardown();
  }

  private onOffers(offers: IOffer[]): void {
    if (this.pending.length === 0) {
      this.driver.decline(
        offers.map((o) => o.id?.value ?? ''),
        { refuseSeconds: 120 },
      );
      return;
    }
    const match = matchOffers(offers, this.pending, { strategy: 'spread' });
    const used = new Set<string>();
    for (const { offer, tasks } of match.launches) {
      const id = offer.id?.value ?? '';
      used.add(id);
      this.driver.launch([id], tasks, { refuseSeconds: 0 });
    }
    this.pending = match.unmatched.map((u) => u.request);
    const unused = offers.map((o) => o.id?.value ?? '').filter((id) => !used.has(id));
    if (unused.length > 0) this.driver.decline(unused, { refuseSeconds: this.pending.length > 0 ? 0 : 120 });
    if (this.pending.length === 0) this.driver.suppress();
  }
}
