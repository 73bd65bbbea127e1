// `mesocosm teardown FRAMEWORK`: TEARDOWN through POST /api/v1. The master
// kills every task of the framework and forgets it, so the command asks first
// on a terminal; elsewhere (scripts) it needs --yes.
import { MesocosmError } from '@mesocosm/protocol';
import { UsageError } from '../errors.js';
import { pickFramework } from '../lookup.js';
import { connectMaster } from '../master-client.js';
import type { FrameworkRow, FrameworksPage } from '../master-json.js';
import type { OperatorIo } from '../operator-io.js';
import { isTerminalStateName } from '../task-states.js';
import { formatTaskCounts } from './frameworks.js';

/** Flags of `mesocosm teardown`. */
export interface TeardownFlags {
  master?: string;
  /** Framework ID or name. */
  framework: string;
  /** Do not ask. */
  yes: boolean;
}

/** Tasks of the framework that are not terminal yet: those the teardown kills. Pure. */
export function liveTaskCount(f: Pick<FrameworkRow, 'task_counts'>): number {
  return Object.entries(f.task_counts)
    .filter(([state]) => !isTerminalStateName(state))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** Runs `mesocosm teardown`. */
export async function runTeardown(flags: TeardownFlags, io: OperatorIo): Promise<void> {
  const master = await connectMaster(io, flags.master);
  const page = await master.get<FrameworksPage>('/master/frameworks');
  if (!page.frameworks.some((f) => f.id === flags.framework || f.name === flags.framework)) {
    const done = page.completed_frameworks.find((f) => f.id === flags.framework);
    if (done) throw new MesocosmError('UNKNOWN_FRAMEWORK', `framework ${done.id} (${done.name}) is already torn down`);
  }
  const fw = pickFramework(page.frameworks, flags.framework);
  const live = liveTaskCount(fw);
  const what = `framework ${fw.id} (${fw.name})`;
  if (!flags.yes) {
    if (!io.stdinIsTty) {
      throw new UsageError(
        '--yes',
        `tearing down ${what} kills its ${live} live task${live === 1 ? '' : 's'}; confirm with --yes (stdin is not a terminal to ask on)`,
      );
    }
    const ok = await io.confirm(
      `Tear down ${what}, role ${fw.role}, and kill its tasks (${formatTaskCounts(fw.task_counts)})? [y/N] `,
    );
    if (!ok) {
      io.err('not torn down\n');
      return;
    }
  }
  await master.call({ type: 'TEARDOWN', teardown: { framework_id: { value: fw.id } } });
  io.out(`${what}: torn down, ${live} task${live === 1 ? '' : 's'} killed\n`);
}
