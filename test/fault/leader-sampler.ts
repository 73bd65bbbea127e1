// I4, watched from outside: every live master's /master/state is sampled
// throughout a fault test; two masters that both say `elected` in one sample
// round would be two acting leaders.
import type { MasterState } from '@mesocosm/master';
import { fetchJson, type DaemonProcess } from '@mesocosm/testing';

/** One sampling round: which masters said they lead, and with what epoch. */
export interface LeaderSample {
  at: number;
  leaders: { pid: number; id: string; epoch: number }[];
}

/** Polls every live master about every 50 ms until stopped. */
export class LeaderSampler {
  readonly samples: LeaderSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly masters: () => DaemonProcess[]) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const round = async (): Promise<void> => {
      const leaders: LeaderSample['leaders'] = [];
      await Promise.all(
        this.masters()
          .filter((m) => m.running)
          .map(async (m) => {
            try {
              const s = await fetchJson<MasterState>(`${m.ready.http}/master/state`, {
                signal: AbortSignal.timeout(500),
              });
              if (s.elected) leaders.push({ pid: m.pid ?? 0, id: s.id, epoch: s.leader_info.epoch });
            } catch {
              // A stopped or dying master answers nothing: it acts on nothing either.
            }
          }),
      );
      this.samples.push({ at: Date.now(), leaders });
      if (this.running) this.timer = setTimeout(() => void round(), 50);
    };
    void round();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  /** The most masters that said they lead in one round. */
  maxConcurrentLeaders(): number {
    return Math.max(0, ...this.samples.map((s) => s.leaders.length));
  }

  /** The first sample time at which `predicate` held for the set of leaders, if any. */
  firstAt(predicate: (leaders: LeaderSample['leaders']) => boolean, after = 0): number | undefined {
    return this.samples.find((s) => s.at >= after && predicate(s.leaders))?.at;
  }
}
