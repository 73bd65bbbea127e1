// Launch backoff: after each failed launch of an app, its next launch waits
// backoffSeconds x backoffFactor^(n-1), at most maxLaunchDelaySeconds. The
// delay resets when the app's config changes, or once one of its tasks runs
// healthy. Pure: time comes in as `now` (ms).

import type { AppDefinition } from '../model/app-definition.js';
import { configVersion } from './instance.js';

/** The backoff fields of an app. */
export type BackoffPolicy = Pick<AppDefinition, 'backoffSeconds' | 'backoffFactor' | 'maxLaunchDelaySeconds'>;

/** The delay in seconds after `failures` consecutive failures (0 after none). */
export function launchDelaySeconds(policy: BackoffPolicy, failures: number): number {
  if (failures <= 0) return 0;
  const delay = policy.backoffSeconds * policy.backoffFactor ** (failures - 1);
  return Math.min(delay, policy.maxLaunchDelaySeconds);
}

/** The backoff state of one app. */
export interface BackoffEntry {
  readonly appId: string;
  /** The config version the failures belong to. */
  readonly configVersion: string;
  readonly failures: number;
  /** No launch before this time (ms). */
  readonly notBefore: number;
}

/** Per-app launch backoff. */
export class LaunchBackoff {
  private readonly entries = new Map<string, BackoffEntry>();

  /** Records a failed (or lost) launch of `app` at `now`; returns the time its next launch may happen. */
  recordFailure(app: AppDefinition, now: number): number {
    const version = configVersion(app);
    const prior = this.entries.get(app.id);
    const failures = prior !== undefined && prior.configVersion === version ? prior.failures + 1 : 1;
    const notBefore = now + launchDelaySeconds(app, failures) * 1000;
    this.entries.set(app.id, { appId: app.id, configVersion: version, failures, notBefore });
    return notBefore;
  }

  /** One of the app's tasks runs healthy: its failures are forgiven. */
  recordHealthy(appId: string): void {
    this.entries.delete(appId);
  }

  /** Forgets the app's failures (a config change, a restart, the app deleted). */
  reset(appId: string): void {
    this.entries.delete(appId);
  }

  /** The time (ms) before which `app` must not launch; 0 when it may launch at once. A config change clears it. */
  notBefore(app: AppDefinition): number {
    const entry = this.entries.get(app.id);
    if (entry === undefined || entry.configVersion !== configVersion(app)) return 0;
    return entry.notBefore;
  }

  /** True when `app` may launch at `now`. */
  canLaunch(app: AppDefinition, now: number): boolean {
    return now >= this.notBefore(app);
  }

  /** The state of every app with failures (for `/v2/queue`'s delay). */
  entriesList(): BackoffEntry[] {
    return [...this.entries.values()];
  }
}
