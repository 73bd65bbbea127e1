// GET /metrics: the figures of /metrics/snapshot in Prometheus' text format
// (prom-client), one gauge per key: `master/tasks_running` becomes
// `mesocosm_master_tasks_running`. The process metrics (CPU, memory, event
// loop, GC) come from one registry per process: they describe the process,
// whichever master in it is scraped.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The Prometheus name of a snapshot key. */
export function prometheusName(key: string): string {
  return `mesocosm_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The metrics of one master. @internal */
export class MasterMetrics {
  private readonly registry = new Registry();
  private readonly gauges = new Map<string, Gauge>();

  constructor(private readonly snapshot: () => Record<string, number>) {}

  /** The content type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every gauge set from a fresh snapshot, then the process metrics. */
  async text(): Promise<string> {
    for (const [key, value] of Object.entries(this.snapshot())) {
      let gauge = this.gauges.get(key);
      if (!gauge) {
        gauge = new Gauge({
          name: prometheusName(key),
          help: `${key} in /metrics/snapshot`,
          registers: [this.registry],
        });
        this.gauges.set(key, gauge);
      }
      gauge.set(value);
    }
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }
}
