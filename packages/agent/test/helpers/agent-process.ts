// Running the agent in a child process (test/fixtures/agent-process.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AgentOptions } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/agent-process.js', import.meta.url));

/** An agent process, once registered. */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly agentId: string;
  readonly httpUrl: string;
  readonly exited: Promise<void>;
}

/** Starts an agent process and waits until it has registered (or fails when it exits first). */
export async function startAgentProcess(options: Omit<AgentOptions, 'clock' | 'logger'>): Promise<AgentProcess> {
  const child = spawn(process.execPath, [FIXTURE, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', process.env['AGENT_TEST_LOG'] ? 'inherit' : 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code, signal) =>
      reject(new Error(`the agent process exited (${code ?? signal}) before registering`)),
    );
  });
  lines.close();
  const info = JSON.parse(first) as { agentId: string; httpUrl: string };
  return { child, exited, ...info };
}

/** kill -9, and wait until it is gone. */
export async function killAgentProcess(p: AgentProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}
