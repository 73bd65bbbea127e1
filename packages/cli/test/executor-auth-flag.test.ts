// `mesocosm agent --authenticate_http_executors`: on by default (the agent's
// default); `=false` reaches Agent.start.
import { expect } from 'chai';
import { agentStartOptions } from '../src/commands/agent.js';
import type { AgentFlags } from '../src/program.js';
import { runCli } from '../src/run-cli.js';

async function agentFlags(argv: string[]): Promise<AgentFlags> {
  let flags: unknown;
  let err = '';
  const keep = async (f: unknown): Promise<void> => {
    flags = f;
  };
  const code = await runCli(
    ['agent', '--work_dir', '/tmp/a', ...argv],
    { master: keep, agent: keep, local: keep, marathon: keep, chronos: keep },
    { writeOut: () => undefined, writeErr: (s) => (err += s) },
  );
  expect(code, err).to.equal(0);
  return flags as AgentFlags;
}

describe('agent: --authenticate_http_executors', () => {
  it('is left to the agent (default true) when not given', async () => {
    const flags = await agentFlags([]);
    expect(flags.authenticateHttpExecutors).to.equal(undefined);
    expect(agentStartOptions(flags)).not.to.have.property('authenticateHttpExecutors');
  });

  it('takes Mesos forms: =false turns it off, bare or =true on', async () => {
    for (const [argv, value] of [
      [['--authenticate_http_executors=false'], false],
      [['--authenticate_http_executors', 'false'], false],
      [['--authenticate_http_executors'], true],
      [['--authenticate-http-executors=true'], true],
    ] as const) {
      const flags = await agentFlags([...argv]);
      expect(flags.authenticateHttpExecutors, argv.join(' ')).to.equal(value);
      expect(agentStartOptions(flags)).to.deep.include({ authenticateHttpExecutors: value });
    }
  });
});
