// The core of the pipeline framework: which stage tasks exist and where they
// run, which chunk went to which counter, what came back, and what to send
// next. Pure: the run loop (run.ts) feeds it task states, executor messages
// and the time, and sends the messages it returns.
//
// Fan-out: once every stage task is RUNNING, the chunks go round-robin to the
// counters. Fan-in: each `counted` answer is forwarded to the merger; when
// all are in, the counters are stopped and the merger asked to `finish`.
// Messages are best effort, so what is not answered within `resendMs` is
// sent again (both stages ignore what they already have).
import type { WantedTask } from '@mesocosm/framework-sdk';
import type { FromStage, ToStage, WordList } from './wire.js';
import type { Chunk } from './words.js';

/** Where a message goes, or came from: an executor on an agent (executor ID = task ID). */
export interface Endpoint {
  agentId: string;
  executorId: string;
}

/** A message to send. */
export interface Outgoing {
  to: Endpoint;
  message: ToStage;
}

/** The merger's final answer. */
export type Merged = Extract<FromStage, { type: 'merged' }>;

/** What the pipeline runs. */
export interface PipelineConfig {
  chunks: readonly Chunk[];
  /** How many counting executors (tasks). */
  counters: number;
  /** Framework name; prefix of the task IDs (`<name>-count-1`, `<name>-merge`). */
  name: string;
  /** Resend what is not answered within this many ms. */
  resendMs: number;
}

/** One stage task, as the pipeline sees it. */
export interface StageTask {
  taskId: string;
  stage: 'count' | 'merge';
  /** Task state name, `PENDING` before any update. */
  state: string;
  agentId: string;
  /** Chunks this counter answered first. */
  chunks: number;
  terminal: boolean;
  /** When `stop` was (last) sent. */
  stopSentAt: number | undefined;
}

/** See the file comment. */
export class Pipeline {
  private readonly tasks = new Map<string, StageTask>();
  private readonly counterIds: string[];
  private readonly mergerId: string;
  private readonly inFlight = new Map<number, { counter: string; sentAt: number }>();
  private readonly counted = new Map<number, WordList>();
  private finishSentAt: number | undefined;
  private merged: Merged | undefined;
  private started = false;

  constructor(readonly config: PipelineConfig) {
    this.counterIds = Array.from({ length: config.counters }, (_, i) => `${config.name}-count-${i + 1}`);
    this.mergerId = `${config.name}-merge`;
    const add = (taskId: string, stage: StageTask['stage']): void =>
      void this.tasks.set(taskId, {
        taskId,
        stage,
        state: 'PENDING',
        agentId: '',
        chunks: 0,
        terminal: false,
        stopSentAt: undefined,
      });
    this.counterIds.forEach((id) => add(id, 'count'));
    add(this.mergerId, 'merge');
  }

  /** The stage tasks for the Scheduler, by key: `count` (one per counter) and `merge`. */
  wanted(counter: WantedTask, merger: WantedTask): Map<string, WantedTask[]> {
    const task = (template: WantedTask, taskId: string): WantedTask => ({
      ...template,
      taskId,
      ...(template.executor ? { executor: { ...template.executor, executorId: { value: taskId } } } : {}),
    });
    return new Map([
      ['count', this.counterIds.map((id) => task(counter, id))],
      ['merge', [task(merger, this.mergerId)]],
    ]);
  }

  /** A status update of a stage task; returns what to send (the fan-out, once every stage runs). */
  update(taskId: string, state: string, agentId: string, terminal: boolean, now: number): Outgoing[] {
    const t = this.tasks.get(taskId);
    if (!t || t.terminal) return [];
    Object.assign(t, { state, agentId: agentId || t.agentId, terminal });
    if (this.started || ![...this.tasks.values()].every((x) => x.state === 'TASK_RUNNING')) return [];
    this.started = true;
    return this.config.chunks.map((c, i) => this.sendChunk(c, this.counterIds[i % this.counterIds.length]!, now));
  }

  /**
   * A message from an executor. One from an executor that is not a stage task
   * of this pipeline on its agent is refused: returns why, as a string.
   */
  received(from: Endpoint, m: FromStage, now: number): Outgoing[] | string {
    const t = this.tasks.get(from.executorId);
    if (!t || t.agentId !== from.agentId)
      return `executor '${from.executorId}' on agent '${from.agentId}' is not a stage of this pipeline`;
    if (m.type === 'counted') {
      if (t.stage !== 'count') return `'counted' from the merger`;
      if (this.counted.has(m.id) || !this.config.chunks.some((c) => c.id === m.id)) return [];
      this.counted.set(m.id, m.words);
      this.inFlight.delete(m.id);
      t.chunks++;
      const out = [this.toMerger({ type: 'merge', id: m.id, words: m.words })];
      if (this.counted.size < this.config.chunks.length) return out;
      // Every chunk is counted: the counters are done; ask the merger for the total.
      for (const id of this.counterIds) out.push(...this.stop(id, now));
      this.finishSentAt = now;
      return [...out, this.toMerger(this.finishMessage())];
    }
    if (t.stage !== 'merge') return `'${m.type}' from a counter`;
    if (this.merged) return [];
    if (m.type === 'missing') {
      this.finishSentAt = now;
      const resend = m.ids.flatMap((id) => {
        const words = this.counted.get(id);
        return words ? [this.toMerger({ type: 'merge', id, words })] : [];
      });
      return [...resend, this.toMerger(this.finishMessage())];
    }
    this.merged = m;
    return this.stop(this.mergerId, now);
  }

  /** Time passed: what to send again (chunks, `finish`, `stop` not answered within `resendMs`). */
  tick(now: number): Outgoing[] {
    const due = (at: number | undefined): boolean => at !== undefined && now - at >= this.config.resendMs;
    const out: Outgoing[] = [];
    for (const [id, f] of this.inFlight) {
      const chunk = this.config.chunks.find((c) => c.id === id);
      if (chunk && due(f.sentAt)) out.push(this.sendChunk(chunk, f.counter, now));
    }
    if (!this.merged && due(this.finishSentAt)) {
      this.finishSentAt = now;
      out.push(this.toMerger(this.finishMessage()));
    }
    for (const t of this.tasks.values()) if (!t.terminal && due(t.stopSentAt)) out.push(...this.stop(t.taskId, now));
    return out;
  }

  /** Why the pipeline cannot finish: a stage task ended before it was told to stop, or did not finish. */
  failure(): string | undefined {
    for (const t of this.tasks.values()) {
      if (!t.terminal) continue;
      if (t.stopSentAt === undefined) return `${t.taskId} ended (${t.state}) before the pipeline was done`;
      if (t.state !== 'TASK_FINISHED') return `${t.taskId} ended ${t.state}`;
    }
    return undefined;
  }

  /** True once the merger answered and every stage task is over. */
  done(): boolean {
    return this.merged !== undefined && [...this.tasks.values()].every((t) => t.terminal);
  }

  /** The merger's answer, once it came. */
  result(): Merged | undefined {
    return this.merged;
  }

  /** The stage tasks, counters first. */
  stageTasks(): StageTask[] {
    return [...this.tasks.values()].map((t) => ({ ...t }));
  }

  private sendChunk(chunk: Chunk, counter: string, now: number): Outgoing {
    this.inFlight.set(chunk.id, { counter, sentAt: now });
    return { to: this.endpoint(counter), message: { type: 'count', id: chunk.id, text: chunk.text } };
  }

  private toMerger(message: ToStage): Outgoing {
    return { to: this.endpoint(this.mergerId), message };
  }

  private finishMessage(): ToStage {
    return { type: 'finish', ids: this.config.chunks.map((c) => c.id) };
  }

  private stop(taskId: string, now: number): Outgoing[] {
    const t = this.tasks.get(taskId);
    if (!t || t.terminal) return [];
    t.stopSentAt = now;
    return [{ to: this.endpoint(taskId), message: { type: 'stop' } }];
  }

  private endpoint(taskId: string): Endpoint {
    return { agentId: this.tasks.get(taskId)?.agentId ?? '', executorId: taskId };
  }
}
