import { expect } from 'chai';
import { describeTls } from '../src/commands/local-tls.js';
import type { CommandHandlers } from '../src/program.js';
import { runCli } from '../src/run-cli.js';

/** Runs `mesocosm local ...` with a handler that records its flags. */
async function local(...argv: string[]): Promise<{ code: number; err: string; flags: unknown }> {
  let err = '';
  let flags: unknown;
  const none = async (): Promise<void> => undefined;
  const handlers: CommandHandlers = {
    master: none,
    agent: none,
    marathon: none,
    chronos: none,
    local: async (f) => void (flags = f),
  };
  const code = await runCli(['local', ...argv], handlers, { writeOut: () => undefined, writeErr: (s) => (err += s) });
  return { code, err, flags };
}

describe('mesocosm local: TLS flags', () => {
  it('--tls asks for a throwaway CA; no flag leaves TLS off', async () => {
    expect((await local('--tls')).flags).to.deep.include({ tls: { generate: true } });
    expect((await local()).flags).to.not.have.property('tls');
  });

  it('--tls-cert, --tls-key and --tls-ca name the operator’s files (with or without --tls)', async () => {
    const files = { cert: '/etc/c.pem', key: '/etc/k.pem', ca: '/etc/ca.pem' };
    for (const extra of [[], ['--tls']]) {
      const r = await local('--tls-cert', files.cert, '--tls-key', files.key, '--tls-ca', files.ca, ...extra);
      expect(r.code, r.err).to.equal(0);
      expect(r.flags).to.deep.include({ tls: { generate: false, files } });
    }
  });

  it('refuses an incomplete set, naming the missing flag, with status 2 and without starting', async () => {
    const a = await local('--tls-cert', '/c.pem', '--tls-key', '/k.pem');
    expect([a.code, a.flags]).to.deep.equal([2, undefined]);
    expect(a.err).to.include('error: --tls-ca: is required with --tls-cert and --tls-key');
    const b = await local('--tls', '--tls-ca', '/ca.pem');
    expect(b.code).to.equal(2);
    expect(b.err).to.include('error: --tls-cert: is required with --tls-ca');
  });

  it('prints the CA and how curl, the operator verbs and frameworks use it', () => {
    const lines = describeTls('/w/tls/ca.pem', 'https://127.0.0.1:5050', '127.0.0.1:5060', true).join('\n');
    expect(lines).to.include('/w/tls/ca.pem   (throwaway');
    expect(lines).to.include('curl --cacert /w/tls/ca.pem https://127.0.0.1:5050/master/state');
    expect(lines).to.include('export MESOCOSM_MASTER=https://127.0.0.1:5050 MESOCOSM_TLS_CA=/w/tls/ca.pem');
    expect(lines).to.include('mesocosm agents --master https://127.0.0.1:5050 --tls-ca /w/tls/ca.pem');
    expect(lines).to.include('--master 127.0.0.1:5060 --tls-ca /w/tls/ca.pem');
    expect(describeTls('/mine/ca.pem', 'https://x', 'y', false)[0]).to.include('given with --tls-ca');
  });
});
