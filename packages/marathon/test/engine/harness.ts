// A leader engine over a MemoryStateStore and a FakeClock, with a fake
// cluster that records kills and lets tests "launch" pending tasks and send
// status updates, as the Scheduler and the agents would.
import { FakeClock, TaskState, silentLogger, type OfferStats } from '@mesocosm/framework-sdk';
import { MemoryStateStore, type StateStore } from '@mesocosm/framework-sdk/ha';
import { EngineService, MarathonEngine, MarathonStore, type ClusterPort, type EngineOptions } from '../../src/index.js';

/** Records what the engine asks of the cluster. */
export class FakeCluster implements ClusterPort {
  refreshes = 0;
  readonly kills: { taskId: string; agentId: string | undefined; grace: number | undefined }[] = [];
  refresh(): void {
    this.refreshes++;
  }
  kill(taskId: string, agentId: string | undefined, grace: number | undefined): void {
    this.kills.push({ taskId, agentId, grace });
  }
  offerStats(): OfferStats | undefined {
    return undefined;
  }
}

/** One leader term over `store`. */
export class Harness {
  readonly cluster = new FakeCluster();
  readonly engine: MarathonEngine;
  readonly service: EngineService;
  private agentSeq = 0;

  private constructor(
    readonly store: StateStore,
    readonly clock: FakeClock,
    options: Partial<EngineOptions>,
  ) {
    this.engine = new MarathonEngine({ clock, logger: silentLogger, ...options });
    this.service = new EngineService(this.engine, {
      isLeader: () => this.engine.leading,
      leaderUrl: () => 'http://test:8080',
      info: () => ({ name: 'marathon' }),
    });
  }

  static async lead(
    store: StateStore = new MemoryStateStore(),
    clock = new FakeClock(1_700_000_000_000),
    options: Partial<EngineOptions> = {},
  ): Promise<Harness> {
    const h = new Harness(store, clock, options);
    const ms = new MarathonStore(store);
    h.engine.lead(await ms.load(), ms, h.cluster);
    await h.settle();
    return h;
  }

  /** Lets queued writes finish (pending tasks become offerable). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.engine.writes.drain();
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Task IDs pending for an offer. */
  pending(appId?: string): string[] {
    return this.engine.book
      .pendingGroups()
      .filter((g) => appId === undefined || g.key === appId)
      .flatMap((g) => g.tasks.map((t) => t.taskId));
  }

  /** Launches every pending task (each on a new agent `host-N`), as the Scheduler would. */
  launchAll(hostname?: (i: number) => string): string[] {
    const launched: string[] = [];
    for (const g of this.engine.book.pendingGroups()) {
      for (const t of g.tasks) {
        const i = this.agentSeq++;
        const offer = {
          id: { value: `o${i}` },
          agentId: { value: `agent-${i}` },
          hostname: hostname ? hostname(i) : `host-${i}`,
          resources: [],
        };
        const task = t.build
          ? t.build({ key: g.key, offer, task: { taskId: { value: t.taskId }, resources: [] } })
          : {};
        this.engine.onLaunched([{ key: g.key, taskId: t.taskId, task, offer }]);
        launched.push(t.taskId);
      }
    }
    return launched;
  }

  /** A status update from the agent. */
  async update(taskId: string, state: TaskState, extra: { healthy?: boolean; message?: string } = {}): Promise<void> {
    const r = this.engine.book.get(taskId);
    await this.engine.onUpdate({
      taskId: { value: taskId },
      state,
      ...(r?.agentId ? { agentId: { value: r.agentId } } : {}),
      ...(extra.healthy === undefined ? {} : { hasHealthy: true, healthy: extra.healthy }),
      message: extra.message ?? '',
    });
    await this.settle();
  }

  /** Every launched task RUNNING (and healthy when `healthy` is given). */
  async runAll(healthy?: boolean): Promise<void> {
    for (const r of this.engine.book.all()) {
      if (r.state === 'TASK_STAGING' || r.state === 'TASK_STARTING') {
        await this.update(r.taskId, TaskState.TASK_RUNNING, healthy === undefined ? {} : { healthy });
      }
    }
  }

  /** Answers every kill the cluster got with TASK_KILLED. */
  async answerKills(): Promise<void> {
    for (const k of this.cluster.kills.splice(0)) {
      if (this.engine.book.get(k.taskId)) await this.update(k.taskId, TaskState.TASK_KILLED);
    }
  }

  /** Launch, run, answer kills until nothing changes (a deployment's whole life with healthy tasks). */
  async cycle(rounds = 20, healthy?: boolean): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.settle();
      const launched = this.launchAll();
      await this.runAll(healthy);
      const killed = this.cluster.kills.length;
      await this.answerKills();
      if (launched.length === 0 && killed === 0) return;
    }
  }

  running(appId: string): string[] {
    return this.engine.book
      .ofApp(appId)
      .filter((r) => r.state === 'TASK_RUNNING' && !r.killRequested)
      .map((r) => r.taskId);
  }

  stop(): void {
    this.engine.stopLeading();
  }
}
