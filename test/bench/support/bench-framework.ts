// A bare framework over the SDK's SchedulerDriver: it holds the offers it
// gets, launches what it is told on them, and records when each task state
// arrives. Timestamps are taken in the driver's callbacks, as any framework
// would see them.
import {
  SchedulerDriver,
  matchOffers,
  silentLogger,
  taskStateName,
  isTerminalState,
  type IOffer,
  type ITaskInfo,
  type TaskRequest,
} from '@mesocosm/framework-sdk';
import { BenchTaskError } from '../errors.js';

interface TaskTimes {
  /** performance.now() at the first update of each state. */
  readonly states: Map<string, number>;
  terminal?: { state: string; message: string };
  done: Array<() => void>;
}

/** A subscribed framework that holds its offers until it launches on them. */
export class BenchFramework {
  private readonly offers = new Map<string, IOffer>();
  private readonly offerWaiters: Array<() => void> = [];
  private readonly tasks = new Map<string, TaskTimes>();
  private readonly terminalWaiters: Array<() => void> = [];
  private terminals = 0;

  private constructor(private readonly driver: SchedulerDriver) {
    driver.on('offers', ({ offers }) => {
      for (const o of offers ?? []) this.offers.set(o.id?.value ?? '', o);
      for (const w of this.offerWaiters.splice(0)) w();
    });
    driver.on('rescind', ({ offerId }) => void this.offers.delete(offerId?.value ?? ''));
    driver.on('update', ({ status }) => {
      const now = performance.now();
      const t = this.times(status?.taskId?.value ?? '');
      const state = taskStateName(status?.state);
      if (!t.states.has(state)) t.states.set(state, now);
      if (isTerminalState(status?.state) && !t.terminal) {
        t.terminal = { state, message: status?.message ?? '' };
        this.terminals++;
        for (const w of t.done.splice(0)) w();
        for (const w of this.terminalWaiters.splice(0)) w();
      }
    });
  }

  /** Subscribes a framework named `name` to the master at `master`. */
  static async start(master: string, name: string): Promise<BenchFramework> {
    const driver = new SchedulerDriver({
      master,
      framework: { name, user: 'root', roles: ['*'] },
      logger: silentLogger,
    });
    const fw = new BenchFramework(driver);
    await driver.start();
    return fw;
  }

  /** How many tasks have reached a terminal state. */
  get terminalCount(): number {
    return this.terminals;
  }

  /**
   * Places `requests` on the offers held now (waiting for offers while none
   * takes any request) and launches them, one ACCEPT per agent taking every
   * held offer of that agent (so the unused rest comes back as one offer).
   * Resolves with the requests that did not fit and performance.now() just
   * before the first ACCEPT.
   */
  async launch(requests: TaskRequest[]): Promise<{ unplaced: TaskRequest[]; sentAt: number }> {
    for (;;) {
      const held = [...this.offers.values()];
      const match = matchOffers(held, requests, { strategy: 'spread' });
      if (match.launches.length === 0) {
        await new Promise<void>((r) => this.offerWaiters.push(r));
        continue;
      }
      // Several offers of one agent may take tasks: their tasks go in one ACCEPT.
      const byAgent = new Map<string, ITaskInfo[]>();
      for (const { offer, tasks } of match.launches) {
        const agentId = offer.agentId?.value ?? '';
        byAgent.set(agentId, [...(byAgent.get(agentId) ?? []), ...tasks]);
      }
      const sentAt = performance.now();
      for (const [agentId, tasks] of byAgent) {
        const ids = held.filter((o) => o.agentId?.value === agentId).map((o) => o.id?.value ?? '');
        for (const id of ids) this.offers.delete(id);
        // refuseSeconds 0: the unused rest is offered again at once.
        this.driver.launch(ids, tasks, { refuseSeconds: 0 });
      }
      return { unplaced: match.unmatched.map((u) => u.request), sentAt };
    }
  }

  /** Resolves with the time each state of `taskId` arrived, once it is terminal; rejects unless FINISHED. */
  async finished(taskId: string): Promise<ReadonlyMap<string, number>> {
    const t = this.times(taskId);
    if (!t.terminal) await new Promise<void>((r) => t.done.push(r));
    const end = t.terminal ?? { state: 'unknown', message: '' };
    if (end.state !== 'TASK_FINISHED') throw new BenchTaskError(taskId, end.state, end.message);
    return t.states;
  }

  /** Resolves once at least `n` tasks are terminal. */
  async terminalAtLeast(n: number): Promise<void> {
    while (this.terminals < n) await new Promise<void>((r) => this.terminalWaiters.push(r));
  }

  /** Tasks that ended otherwise than FINISHED, with their state. */
  failures(): Array<{ taskId: string; state: string; message: string }> {
    return [...this.tasks.entries()].flatMap(([taskId, t]) =>
      t.terminal && t.terminal.state !== 'TASK_FINISHED' ? [{ taskId, ...t.terminal }] : [],
    );
  }

  /** Closes the subscription (the cluster is stopped after). */
  stop(): Promise<void> {
    return this.driver.stop();
  }

  private times(taskId: string): TaskTimes {
    let t = this.tasks.get(taskId);
    if (!t) {
      t = { states: new Map(), done: [] };
      this.tasks.set(taskId, t);
    }
    return t;
  }
}
