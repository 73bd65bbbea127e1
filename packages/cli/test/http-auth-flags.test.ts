// The REST API authentication flags of `mesocosm marathon` and `mesocosm chronos`.
import { expect } from 'chai';
import type { MarathonFlags } from '../src/framework-commands.js';
import type { CommandHandlers } from '../src/program.js';
import { runCli } from '../src/run-cli.js';

async function run(argv: string[]): Promise<{ code: number; err: string; flags: MarathonFlags[] }> {
  let err = '';
  const flags: MarathonFlags[] = [];
  const record = async (f: unknown): Promise<void> => void flags.push(f as MarathonFlags);
  const handlers: CommandHandlers = { master: record, agent: record, local: record, marathon: record, chronos: record };
  const code = await runCli(argv, handlers, { writeOut: () => undefined, writeErr: (s) => (err += s) });
  return { code, err, flags };
}

describe('mesocosm marathon|chronos: REST API authentication flags', () => {
  afterEach(() => {
    delete process.env['MARATHON_HTTP_CREDENTIALS'];
  });

  it('passes --http_credentials, the files, --http_acls and --http_realm through, for both', async () => {
    for (const command of ['marathon', 'chronos']) {
      const r = await run([
        command,
        '--master',
        'h:5050',
        '--http_credentials',
        'alice:pw,bob:pw2',
        '--http_credentials_file',
        '/etc/creds.json',
        '--http_tokens_file',
        '/etc/tokens',
        '--http_acls',
        '/etc/acls.json',
        '--http_realm',
        'prod',
      ]);
      expect(r.code, r.err).to.equal(0);
      expect(r.flags[0]?.httpAuth).to.deep.equal({
        credentials: 'alice:pw,bob:pw2',
        credentialsFile: '/etc/creds.json',
        tokensFile: '/etc/tokens',
        aclsFile: '/etc/acls.json',
        realm: 'prod',
      });
    }
  });

  it('leaves httpAuth out when no flag is given, and reads $MARATHON_HTTP_CREDENTIALS', async () => {
    const none = await run(['marathon', '--master', 'h:5050']);
    expect(none.flags[0]).not.to.have.property('httpAuth');
    process.env['MARATHON_HTTP_CREDENTIALS'] = 'ops:from-env';
    const env = await run(['marathon', '--master', 'h:5050']);
    expect(env.flags[0]?.httpAuth).to.deep.equal({ credentials: 'ops:from-env' });
  });
});
