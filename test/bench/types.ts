// What a benchmark scenario is and what it reports.

/** Units of the figures; a limit is always in its figure's unit. */
export type Unit = 'ms' | 'tasks/s' | 'events/s' | 'msgs/s' | 'cycles' | 'KiB' | 'MiB' | 'KiB/s';

/** One measured figure, compared (when it has one) with its limit measured in the same run. */
export interface Figure {
  /** Scenario name, as given to `--only`. */
  scenario: string;
  /** What was measured, e.g. `ACCEPT->RUNNING p50 (posix)`. */
  figure: string;
  unit: Unit;
  value: number;
  /** `lower` for durations, `higher` for rates. */
  better: 'lower' | 'higher';
  /** The physical limit of this figure on this machine, measured in the same run. */
  limit?: number;
  /** What the limit is, e.g. `bare spawn('/bin/sh -c true') to exit, p50`. */
  limitLabel?: string;
}

/** A figure with its ratio to the limit (see {@link costRatio}). */
export interface ResultRow extends Figure {
  /** How many times the limit's cost this figure is: 1 = at the limit; undefined without a limit. */
  ratio?: number;
}

/** What a scenario gets from the harness. */
export interface BenchContext {
  /** `--quick`: fewer samples, so that the whole run stays under two minutes. */
  readonly quick: boolean;
  /** Progress line (stderr). */
  progress(message: string): void;
  /** A note kept with the results (e.g. why a row is missing). */
  note(message: string): void;
}

/** A benchmark scenario: one file under scenarios/. */
export interface Scenario {
  /** Short name for `--only` and the table. */
  readonly name: string;
  /** One line: what it measures against what. */
  readonly description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
