// A framework for the throughput and latency scenarios, on the SDK's
// SchedulerDriver: it has a number of equal tasks to run, packs as many as
// fit on each offer it gets (one ACCEPT per offer, the rest given back with
// no filter so that it is offered again at once), declines what it cannot use
// once nothing is left to launch, and counts its tasks' terminal updates.
// Placement is plain arithmetic on the offer's scalars: the framework's own
// cost stays small next to the master's.
import {
  SchedulerDriver,
  isTerminalState,
  silentLogger,
  type IOffer,
  type MasterDetector,
} from '@mesocosm/framework-sdk';
import { Resources, TaskState, type IResource, type ITaskInfo, type ITaskStatus } from '@mesocosm/protocol';
import { BenchError, withDeadline } from '../errors.js';
import { wallNowMs } from './simulated-agent.js';

/** Options of {@link FlowFramework.start}. */
export interface FlowFrameworkOptions {
  /** The master's gRPC address (ignored with a `detector`). */
  master: string;
  detector?: MasterDetector;
  name: string;
  /** How many tasks to run in all. */
  tasks: number;
  /** Each task's resources, e.g. `cpus:1;mem:128`. */
  taskResources: string;
  /** Task IDs are `<prefix><n>`. */
  prefix: string;
  /** Called with every offer as it arrives (wall time, fractional ms), before it is used. */
  onOffer?: (offer: IOffer, atMs: number) => void;
  /** Called with every task's terminal update as it arrives (wall time, fractional ms). */
  onTerminal?: (status: ITaskStatus, atMs: number) => void;
}

/** The scalar `name` of `resources` (0 when absent). */
export function scalarOf(resources: readonly IResource[] | null | undefined, name: string): number {
  let sum = 0;
  for (const r of resources ?? []) if (r.name === name) sum += r.scalar?.value ?? 0;
  return sum;
}

/** A subscribed framework running `tasks` equal tasks through offers. */
export class FlowFramework {
  private launched = 0;
  private finishedCount = 0;
  private readonly failures: string[] = [];
  private waiters: Array<() => void> = [];
  private offersSeen = 0;
  private readonly taskProto: IResource[];
  private readonly cpus: number;
  private readonly mem: number;

  private constructor(
    private readonly driver: SchedulerDriver,
    private readonly options: FlowFrameworkOptions,
  ) {
    const r = Resources.parse(options.taskResources);
    this.taskProto = r.toProto();
    this.cpus = r.scalar('cpus');
    this.mem = r.scalar('mem');
    if (!(this.cpus > 0) || !(this.mem > 0))
      throw new BenchError(`task resources need cpus and mem, got '${options.taskResources}'`, 'INVALID_ARGUMENT');
    driver.on('offers', ({ offers }) => this.onOffers(offers ?? []));
    driver.on('update', ({ status }) => {
      if (!status || !isTerminalState(status.state)) return;
      this.options.onTerminal?.(status, wallNowMs());
      if (status.state === TaskState.TASK_FINISHED) this.finishedCount++;
      else this.failures.push(`${status.taskId?.value ?? ''}: ${TaskState[status.state ?? 0]} ${status.message ?? ''}`);
      this.wake();
    });
  }

  /** Subscribes; the first offers come at once. */
  static async start(options: FlowFrameworkOptions): Promise<FlowFramework> {
    const driver = new SchedulerDriver({
      master: options.master,
      ...(options.detector ? { detector: options.detector } : {}),
      framework: { name: options.name, user: 'root', roles: ['*'] },
      logger: silentLogger,
    });
    const fw = new FlowFramework(driver, options);
    await driver.start();
    return fw;
  }

  /** Tasks launched, finished, and offers received so far. */
  get counts(): { launched: number; finished: number; offers: number; failed: number } {
    return {
      launched: this.launched,
      finished: this.finishedCount,
      offers: this.offersSeen,
      failed: this.failures.length,
    };
  }

  /** Gives this many more tasks to run (and revives offers). */
  addTasks(n: number): void {
    this.options.tasks += n;
    this.driver.revive();
  }

  /** Resolves once `n` tasks finished; rejects on a task that ended otherwise, or after `timeoutMs`. */
  async finishedAtLeast(n: number, timeoutMs: number): Promise<void> {
    const wait = async (): Promise<void> => {
      while (this.finishedCount < n) {
        if (this.failures.length > 0) throw new BenchError(`a task did not finish: ${this.failures[0] ?? ''}`);
        await new Promise<void>((r) => this.waiters.push(r));
      }
    };
    await withDeadline(wait(), timeoutMs, `${n} finished tasks of ${this.options.name}`);
  }

  stop(): Promise<void> {
    return this.driver.stop();
  }

  private onOffers(offers: readonly IOffer[]): void {
    const decline: string[] = [];
    for (const offer of offers) {
      this.offersSeen++;
      this.options.onOffer?.(offer, wallNowMs());
      const id = offer.id?.value ?? '';
      const fit = Math.min(
        Math.floor(scalarOf(offer.resources, 'cpus') / this.cpus + 1e-9),
        Math.floor(scalarOf(offer.resources, 'mem') / this.mem + 1e-9),
        this.options.tasks - this.launched,
      );
      if (fit <= 0) {
        decline.push(id);
        continue;
      }
      const tasks: ITaskInfo[] = [];
      for (let k = 0; k < fit; k++) {
        const taskId = `${this.options.prefix}${this.launched++}`;
        tasks.push({
          name: taskId,
          taskId: { value: taskId },
          agentId: offer.agentId ?? {},
          resources: this.taskProto,
          command: { value: 'true' },
        });
      }
      this.driver.launch(id, tasks, { refuseSeconds: 0 });
    }
    if (decline.length === 0) return;
    if (this.launched < this.options.tasks) {
      // Too small for a task: not offered again while no more than this is free there.
      this.driver.decline(decline, { refuseSeconds: 5 });
      return;
    }
    // Nothing left to launch: keep out of the others' way until given more.
    this.driver.decline(decline, { refuseSeconds: 3600 });
    this.driver.suppress();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
