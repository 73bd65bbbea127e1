// The example's flags, parsed with node:util's parseArgs. Constraints are
// written as Marathon's command line writes them: `field:OPERATOR[:value]`.
import { parseArgs } from 'node:util';
import { parseConstraint, type Constraint } from '@mesocosm/framework-sdk';
import type { PlacementConfig } from './instances.js';

/** Everything the example needs to run. */
export interface ExampleConfig extends PlacementConfig {
  /** The master's gRPC address, host:port. */
  master: string;
  timeoutMs: number;
}

/** What --constraint is when not given: spread evenly over hostnames (fits any cluster). */
export const DEFAULT_CONSTRAINTS = ['hostname:GROUP_BY'];

/** Usage text for --help and errors. */
export const USAGE = `usage: mesocosm-example-placement --master HOST:PORT [--instances N] [--constraint FIELD:OPERATOR[:VALUE]]... [--name NAME] [--timeout SECONDS]

Places N small web servers with Marathon placement constraints, each on a
host port taken from its offer, then checks that each one answers over HTTP
on its port. Prints where each landed; exits 0 when every instance answered.

  --master      the master's gRPC address (default 127.0.0.1:5060)
  --instances   how many web servers (default 2)
  --constraint  a constraint every instance must meet; repeat for several
                (default ${DEFAULT_CONSTRAINTS.join(' ')}). FIELD is hostname or an agent
                attribute; OPERATOR one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE,
                MAX_PER, IS. E.g. --constraint hostname:UNIQUE --constraint 'zone:LIKE:eu-.*'
  --name        framework name and task ID prefix (default placement)
  --timeout     seconds before giving up (default 60)`;

/** `field:OPERATOR[:value]` (the value may hold ':'); throws with the flag's text on a bad one. */
export function parseConstraintFlag(text: string): Constraint {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const parts =
    first < 0
      ? [text]
      : second < 0
        ? [text.slice(0, first), text.slice(first + 1)]
        : [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  try {
    return parseConstraint(parts, '--constraint');
  } catch (err) {
    throw new Error(`--constraint '${text}': ${(err as Error).message} (write FIELD:OPERATOR[:VALUE])`, {
      cause: err,
    });
  }
}

/** Parses argv (without node and the script); `undefined` means --help was asked for. Throws on bad flags. */
export function parseExampleArgs(argv: readonly string[]): ExampleConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      master: { type: 'string', default: '127.0.0.1:5060' },
      instances: { type: 'string', default: '2' },
      constraint: { type: 'string', multiple: true },
      name: { type: 'string', default: 'placement' },
      timeout: { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  if (!/^[^:\s]+:\d+$/.test(values.master)) {
    throw new Error(`--master must be the master's gRPC host:port, got '${values.master}'`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(values.name)) {
    throw new Error(`--name may hold letters, digits, '_', '.' and '-' only, got '${values.name}'`);
  }
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 100) {
    throw new Error(`--instances must be a whole number from 1 to 100, got '${values.instances}'`);
  }
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(`--timeout must be a positive number of seconds, got '${values.timeout}'`);
  }
  return {
    master: values.master,
    instances,
    constraints: (values.constraint ?? DEFAULT_CONSTRAINTS).map(parseConstraintFlag),
    name: values.name,
    timeoutMs: timeout * 1000,
  };
}
