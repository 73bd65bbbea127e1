// The app's operational policies: upgrade strategy, unreachable strategy,
// launch backoff and kill selection, with Marathon's defaults and bounds.

import { APP_DEFAULTS, type KillSelection, type UnreachableStrategy, type UpgradeStrategy } from './app-definition.js';
import type { Problems } from './problems.js';
import { optEnum, optNumber, optObject, readNumber } from './readers.js';

/** The policies of one app. */
export interface Strategies {
  readonly upgradeStrategy: UpgradeStrategy;
  readonly unreachableStrategy: UnreachableStrategy;
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxLaunchDelaySeconds: number;
  readonly killSelection: KillSelection;
  readonly taskKillGracePeriodSeconds?: number;
}

const FRACTION = { min: 0, max: 1 } as const;

function parseUnreachable(app: Record<string, unknown>, problems: Problems): UnreachableStrategy {
  const raw = app.unreachableStrategy;
  if (raw === undefined || raw === null) return APP_DEFAULTS.unreachableStrategy;
  if (raw === 'disabled') return 'disabled';
  if (typeof raw === 'string') {
    problems.add('/unreachableStrategy', `expected an object or "disabled", got '${raw}'`);
    return APP_DEFAULTS.unreachableStrategy;
  }
  const json = optObject(app, 'unreachableStrategy', '', problems);
  if (json === undefined) return APP_DEFAULTS.unreachableStrategy;
  const base = '/unreachableStrategy';
  const d = APP_DEFAULTS.unreachableStrategy as { inactiveAfterSeconds: number; expungeAfterSeconds: number };
  const inactive = readNumber(json, 'inactiveAfterSeconds', base, problems, d.inactiveAfterSeconds, { min: 0 });
  const expunge = readNumber(json, 'expungeAfterSeconds', base, problems, d.expungeAfterSeconds, { min: 0 });
  if (expunge < inactive) {
    problems.add(`${base}/expungeAfterSeconds`, 'must be greater than or equal to inactiveAfterSeconds');
  }
  return { inactiveAfterSeconds: inactive, expungeAfterSeconds: expunge };
}

/** Parses the policies of the app object. */
export function parseStrategies(app: Record<string, unknown>, problems: Problems): Strategies {
  const upgrade = optObject(app, 'upgradeStrategy', '', problems) ?? {};
  const d = APP_DEFAULTS.upgradeStrategy;
  const upgradeStrategy: UpgradeStrategy = {
    minimumHealthCapacity: readNumber(
      upgrade,
      'minimumHealthCapacity',
      '/upgradeStrategy',
      problems,
      d.minimumHealthCapacity,
      FRACTION,
    ),
    maximumOverCapacity: readNumber(
      upgrade,
      'maximumOverCapacity',
      '/upgradeStrategy',
      problems,
      d.maximumOverCapacity,
      FRACTION,
    ),
  };
  const grace = optNumber(app, 'taskKillGracePeriodSeconds', '', problems, { min: 0 });
  return {
    upgradeStrategy,
    unreachableStrategy: parseUnreachable(app, problems),
    backoffSeconds: readNumber(app, 'backoffSeconds', '', problems, APP_DEFAULTS.backoffSeconds, { min: 0 }),
    backoffFactor: readNumber(app, 'backoffFactor', '', problems, APP_DEFAULTS.backoffFactor, { min: 1 }),
    maxLaunchDelaySeconds: readNumber(app, 'maxLaunchDelaySeconds', '', problems, APP_DEFAULTS.maxLaunchDelaySeconds, {
      min: 0,
    }),
    killSelection:
      optEnum(app, 'killSelection', '', problems, ['YOUNGEST_FIRST', 'OLDEST_FIRST'] as const) ??
      APP_DEFAULTS.killSelection,
    ...(grace === undefined ? {} : { taskKillGracePeriodSeconds: grace }),
  };
}
