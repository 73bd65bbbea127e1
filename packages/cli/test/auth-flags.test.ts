// The authentication flags: parsed with Mesos' and Marathon's names, files
// read when the command runs, and the operator verbs' credentials against a
// real master with --authenticate_http and ACLs.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchedulerDriver } from '@mesocosm/framework-sdk';
import { Master } from '@mesocosm/master';
import { silentLogger } from '@mesocosm/protocol';
import { agentCredential, frameworkCredential, masterAuthOptions } from '../src/auth-flags.js';
import type { MarathonFlags } from '../src/framework-commands.js';
import { operatorAuthorization } from '../src/operator-auth.js';
import type { AgentFlags, MasterFlags } from '../src/program.js';
import { runCli } from '../src/run-cli.js';
import { cli } from './fake-master.js';

async function parse(argv: string[]): Promise<{ code: number; err: string; flags: unknown }> {
  let flags: unknown;
  let err = '';
  const keep = async (f: unknown): Promise<void> => {
    flags = f;
  };
  const code = await runCli(
    argv,
    { master: keep, agent: keep, local: keep, marathon: keep, chronos: keep },
    { writeOut: () => undefined, writeErr: (s) => (err += s) },
  );
  return { code, err, flags };
}

describe('authentication flags', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-flags-'));
    await writeFile(join(dir, 'creds'), 'web web-secret\nops ops-secret\n');
    await writeFile(
      join(dir, 'acls.json'),
      JSON.stringify({ run_tasks: [{ principals: { type: 'ANY' }, users: { values: ['nobody'] } }] }),
    );
    await writeFile(join(dir, 'bad-acls.json'), JSON.stringify({ run_tasks: [{ principals: { type: 'ANY' } }] }));
    await writeFile(join(dir, 'agent.json'), '{"principal": "agent", "secret": "agent-secret"}');
    await writeFile(join(dir, 'web.secret'), 'web-secret\n');
    await writeFile(join(dir, 'ops.secret'), 'ops-secret\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("master: Mesos' names (and dashed spellings), files read when it runs", async () => {
    const r = await parse([
      'master',
      '--authenticate_frameworks',
      '--authenticate-agents=true',
      '--authenticate_http',
      'false',
      '--credentials',
      join(dir, 'creds'),
      '--acls',
      join(dir, 'acls.json'),
    ]);
    expect(r.code, r.err).to.equal(0);
    const auth = (r.flags as MasterFlags).auth;
    expect(auth).to.deep.equal({
      authenticateFrameworks: true,
      authenticateAgents: true,
      authenticateHttp: false,
      credentials: join(dir, 'creds'),
      acls: join(dir, 'acls.json'),
    });
    const options = masterAuthOptions(auth);
    expect(options.credentials?.credentials.map((c) => c.principal)).to.deep.equal(['web', 'ops']);
    expect(options.acls).to.have.property('run_tasks');
    expect(() => masterAuthOptions({ acls: join(dir, 'bad-acls.json') })).to.throw(
      /bad-acls\.json: run_tasks\[0\] needs "users"/,
    );
    expect(() => masterAuthOptions({ credentials: join(dir, 'none') })).to.throw(
      /none: \(file\) cannot be read \(ENOENT\)/,
    );
    expect(((await parse(['master'])).flags as MasterFlags).auth).to.equal(undefined);
  });

  it('agent: --credential FILE and --switch_user', async () => {
    const r = await parse(['agent', '--work_dir', '/tmp/a', '--credential', join(dir, 'agent.json'), '--switch_user']);
    expect(r.code, r.err).to.equal(0);
    const flags = r.flags as AgentFlags;
    expect(flags).to.deep.include({ credential: join(dir, 'agent.json'), switchUser: true });
    expect(agentCredential(flags.credential)).to.deep.equal({
      credential: { principal: 'agent', secret: 'agent-secret' },
    });
  });

  it('marathon and chronos: --mesos_authentication_principal with --mesos_authentication_secret_file', async () => {
    const r = await parse([
      'marathon',
      '--master',
      '127.0.0.1:5060',
      '--mesos_authentication_principal',
      'web',
      '--mesos_authentication_secret_file',
      join(dir, 'web.secret'),
    ]);
    expect(r.code, r.err).to.equal(0);
    const flags = r.flags as MarathonFlags;
    expect(frameworkCredential(flags.mesosAuthentication)).to.deep.equal({
      credential: { principal: 'web', secret: 'web-secret' },
    });
    const half = await parse(['chronos', '--master', '127.0.0.1:5060', '--mesos_authentication_principal', 'web']);
    expect(half.code).to.equal(2);
    expect(half.err).to.match(/--mesos_authentication_principal: needs --mesos_authentication_secret_file/);
  });

  it('operator verbs: flags beat the environment; a principal without a secret is a usage error', () => {
    const env = { MESOCOSM_PRINCIPAL: 'web', MESOCOSM_SECRET: 'web-secret', MESOCOSM_TOKEN: 'tok' };
    const basic = (p: string, s: string): string => `Basic ${Buffer.from(`${p}:${s}`).toString('base64')}`;
    expect(operatorAuthorization(env)).to.equal(basic('web', 'web-secret'));
    expect(operatorAuthorization({ MESOCOSM_TOKEN: 'tok' })).to.equal('Bearer tok');
    expect(operatorAuthorization(env, { principal: 'ops', secretFile: join(dir, 'ops.secret') })).to.equal(
      basic('ops', 'ops-secret'),
    );
    expect(operatorAuthorization({})).to.equal(undefined);
    expect(() => operatorAuthorization({ MESOCOSM_PRINCIPAL: 'web' })).to.throw(/'web' needs a secret/);
  });

  describe('against a master with --authenticate_http and ACLs', () => {
    let master: Master;
    before(async () => {
      master = await Master.start({
        ip: '127.0.0.1',
        port: 0,
        grpcPort: 0,
        logger: silentLogger,
        authenticateHttp: true,
        credentials: {
          credentials: [
            { principal: 'web', secret: 'web-secret' },
            { principal: 'ops', secret: 'ops-secret' },
          ],
          tokens: [{ principal: 'ops', token: 'ops-token-0123456789' }],
        },
        acls: {
          teardown_frameworks: [
            { principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } },
            { principals: { type: 'ANY' }, framework_principals: { type: 'NONE' } },
          ],
        },
      });
    });
    after(async () => master.stop());

    it('says how to authenticate when no credentials are given', async () => {
      const r = await cli(['agents', '--master', master.httpUrl]);
      expect(r.code).to.equal(1);
      expect(r.err)
        .to.match(/401/)
        .and.to.match(/--principal and --secret-file, or MESOCOSM_TOKEN/);
    });

    it('authenticates with --principal/--secret-file, MESOCOSM_* or a bearer token', async () => {
      const flags = await cli([
        'agents',
        '--master',
        master.httpUrl,
        '--principal',
        'web',
        '--secret-file',
        join(dir, 'web.secret'),
      ]);
      expect(flags.code, flags.err).to.equal(0);
      const env = await cli(['frameworks', '--master', master.httpUrl], {
        env: { MESOCOSM_PRINCIPAL: 'ops', MESOCOSM_SECRET_FILE: join(dir, 'ops.secret') },
      });
      expect(env.code, env.err).to.equal(0);
      const token = await cli(['tasks', '--master', master.httpUrl], {
        env: { MESOCOSM_TOKEN: 'ops-token-0123456789' },
      });
      expect(token.code, token.err).to.equal(0);
      const wrong = await cli([
        'agents',
        '--master',
        master.httpUrl,
        '--principal',
        'web',
        '--secret-file',
        join(dir, 'ops.secret'),
      ]);
      expect(wrong.code).to.equal(1);
      expect(wrong.err).to.match(/authentication of principal 'web' failed/);
      expect(`${flags.out}${flags.err}${wrong.err}`).not.to.include('web-secret');
    });

    it('reports an ACL denial of an operator verb, and acts for a principal the ACL allows', async () => {
      const driver = new SchedulerDriver({
        master: master.grpcAddress,
        framework: { name: 'victim', user: 'nobody' },
        logger: silentLogger,
      });
      const { frameworkId } = await driver.start();
      try {
        const as = (who: 'web' | 'ops') => [
          'teardown',
          frameworkId,
          '--yes',
          '--master',
          master.httpUrl,
          '--principal',
          who,
          '--secret-file',
          join(dir, `${who}.secret`),
        ];
        const denied = await cli(as('web'));
        expect(denied.code).to.equal(1);
        expect(denied.err).to.match(
          new RegExp(`principal 'web' may not tear down framework ${frameworkId}: denied by ACL rule`),
        );
        const done = await cli(as('ops'));
        expect(done.code, done.err).to.equal(0);
      } finally {
        await driver.stop();
      }
    });
  });
});
