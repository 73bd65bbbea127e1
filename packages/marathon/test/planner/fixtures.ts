// Test fixtures: apps with versions, and instances of them.

import { parseApp, stampVersion, configVersion, type AppDefinition, type InstanceView } from '../../src/index.js';

export const T0 = Date.UTC(2026, 0, 1);

/** A versioned app from Marathon JSON (stamped at T0 + `at` ms). */
export function app(json: Record<string, unknown>, at = 0, previous?: AppDefinition): AppDefinition {
  return stampVersion(previous, parseApp({ cmd: 'run', ...json }), T0 + at);
}

/** `n` healthy running instances of `of`, started 1 s apart. */
export function running(of: AppDefinition, n: number, prefix = 'old'): InstanceView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    version: configVersion(of),
    phase: 'running' as const,
    healthy: true,
    ready: true,
    startedAt: T0 + i * 1000,
  }));
}
