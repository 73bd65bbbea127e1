// What the agent recovery tests share: a fake master, a work dir, and agent
// processes the test may kill -9, all cleaned up after each test (with the
// process groups of tasks and executors that outlived their agent).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentOptions } from '../../src/index.js';
import { killAgentProcess, startAgentProcess, type AgentProcess } from './agent-process.js';
import { FakeMaster } from './fake-master.js';

/** The per-test state {@link useRecoveryFixture} keeps. */
export interface RecoveryFixture {
  readonly master: FakeMaster;
  readonly workDir: string;
  /** Process groups to SIGKILL after the test. */
  readonly pids: Set<number>;
  /** Starts an agent process on the fixture's work dir (again, after a kill: it recovers). */
  readonly start: (extra?: Partial<AgentOptions>) => Promise<AgentProcess>;
}

/** Registers the hooks in the calling `describe`; `defaults` add to (or override) the agent options. */
export function useRecoveryFixture(prefix: string, defaults: Partial<AgentOptions> = {}): RecoveryFixture {
  let master: FakeMaster | undefined;
  let workDir = '';
  const agents: AgentProcess[] = [];
  const pids = new Set<number>();

  beforeEach(async () => {
    master = await FakeMaster.start();
    workDir = await mkdtemp(join(tmpdir(), prefix));
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await killAgentProcess(a);
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    pids.clear();
    await master?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  const current = (): FakeMaster => {
    if (!master) throw new Error('the recovery fixture is used outside a test');
    return master;
  };
  return {
    get master() {
      return current();
    },
    get workDir() {
      return workDir;
    },
    pids,
    start: async (extra = {}) => {
      const a = await startAgentProcess({
        master: current().address,
        workDir,
        ip: '127.0.0.1',
        port: 0,
        resources: 'cpus:2;mem:1024;disk:1024',
        registrationBackoffMs: 50,
        statusUpdateRetryMs: 200,
        defaultKillGracePeriodMs: 500,
        isolation: 'posix',
        ...defaults,
        ...extra,
      });
      agents.push(a);
      return a;
    },
  };
}
